// The hub's keyboard-wedge scanner: turns keystrokes in one text field into scans, drops the
// scanner's echoes, and gives the same feedback as the dock station (a colour flash, a tone, a
// message). The framing rules, the tones and the flash are the station's own, from the web kit's
// scan-kit.js (served beside this file); what is here is the hub's scan field: one scan at a time,
// in the order they were made, none lost or merged.

import { isBounce, burstFraming, ensureAudio, playTone, flash } from './scan-kit.js';

/**
 * Makes input a scan field. onScan(code) is called for each scan, strictly one after the other
 * (the next waits for the previous promise); onBounce(code) is told of a dropped echo, for tests
 * and counters. Returns a function that detaches the field.
 */
export function attachScanner(input, { onScan, onBounce }) {
  let last = null;
  let chain = Promise.resolve();
  let detached = false;

  const take = () => {
    const text = input.value;
    // the next scan starts clean, even while this one is still being sent
    input.value = '';
    framing.reset();
    const code = text.trim();
    if (code === '' || detached) {
      return;
    }
    const now = performance.now();
    if (isBounce(last, code, now)) {
      input.dataset.bounced = String(Number(input.dataset.bounced || 0) + 1);
      if (onBounce) {
        onBounce(code);
      }
      return;
    }
    last = { text: code, at: now };
    chain = chain.then(() => (detached ? undefined : onScan(code))).catch(() => {
      // onScan reports its own failures; the chain must go on for the next scan
    });
  };

  const keydown = event => {
    ensureAudio();
    if (event.isComposing) {
      return;
    }
    if (event.key === 'Enter' || event.key === 'Tab') {
      // Tab too: a scanner with a Tab suffix must not move focus off the field
      if (input.value.trim() !== '' || event.key === 'Enter') {
        event.preventDefault();
        take();
      }
    }
  };

  const framing = burstFraming(take);
  const typed = event => framing.typed(input.value, event.inputType || 'insertText');

  input.addEventListener('keydown', keydown);
  input.addEventListener('input', typed);
  input.addEventListener('pointerdown', ensureAudio);
  return () => {
    detached = true;
    framing.reset();
    input.removeEventListener('keydown', keydown);
    input.removeEventListener('input', typed);
    input.removeEventListener('pointerdown', ensureAudio);
  };
}

// --- feedback ----------------------------------------------------------------------------------

/**
 * Tells the person how a scan went: node flashes (class scan-flash-ok|warn|error), a tone plays,
 * and node.dataset.feedback keeps the kind for tests. kind: 'ok' | 'warn' | 'error'.
 */
export function feedback(node, kind) {
  flash(node, 'scan-flash-', kind);
  node.dataset.feedback = kind;
  playTone(kind);
}
