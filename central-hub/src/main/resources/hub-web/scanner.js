// The hub's keyboard-wedge scanner: turns keystrokes in one text field into scans, drops the
// scanner's echoes, and gives the same feedback as the dock station (a colour flash, a tone, a
// message), so a biller who has worked a dock reads the desk without learning anything new.
//
// The framing is the station's (edge-node web/station.js), kept in step by hand rather than
// shared, because the edge serves its own page with no access to the hub's files:
//  - Enter or Tab ends a scan (scanners are set up with either suffix; Tab must not move focus);
//  - a burst typed faster than any person (average gap under 50 ms) that then stops for 200 ms is
//    a complete code even without a suffix;
//  - a person typing slowly is only ended by Enter or Tab, never cut off by the idle gap;
//  - the same code again within 800 ms is the scanner's echo and is dropped silently;
//  - scans are handled one at a time, in the order they were made: none is lost or merged, and
//    none is debounced away except an exact echo.

export const FRAMING = Object.freeze({
  scannerMaxAvgGapMs: 50,
  scannerIdleEndMs: 200,
  scannerMinLength: 2,
  bounceMs: 800,
  flashMs: 400,
});

/**
 * Whether text is an echo of the last scan taken: the same code (ignoring surrounding blanks)
 * within bounceMs. Pure, so the rule reads on its own.
 */
export function isBounce(last, text, now, bounceMs = FRAMING.bounceMs) {
  if (!last || last.text.trim() !== text.trim()) {
    return false;
  }
  const since = now - last.at;
  return since >= 0 && since < bounceMs;
}

/** Whether the key times look like a scanner (not a person): at least two keys, average gap under the limit. */
export function looksLikeScannerBurst(value, keyTimes) {
  if (value.length < FRAMING.scannerMinLength || keyTimes.length < 2) {
    return false;
  }
  const averageGap = (keyTimes[keyTimes.length - 1] - keyTimes[0]) / (keyTimes.length - 1);
  return averageGap < FRAMING.scannerMaxAvgGapMs;
}

/**
 * Makes input a scan field. onScan(code) is called for each scan, strictly one after the other
 * (the next waits for the previous promise); onBounce(code) is told of a dropped echo, for tests
 * and counters. Returns a function that detaches the field.
 */
export function attachScanner(input, { onScan, onBounce }) {
  let keyTimes = [];
  let gapTimer = null;
  let last = null;
  let chain = Promise.resolve();
  let detached = false;

  const resetTiming = () => {
    keyTimes = [];
    clearTimeout(gapTimer);
    gapTimer = null;
  };

  const take = () => {
    const text = input.value;
    // the next scan starts clean, even while this one is still being sent
    input.value = '';
    resetTiming();
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

  const typed = event => {
    const inputType = event.inputType || 'insertText';
    if (input.value === '' || !inputType.startsWith('insert')) {
      // deleting is a person editing: never cut that off with the idle gap
      resetTiming();
      return;
    }
    keyTimes.push(performance.now());
    clearTimeout(gapTimer);
    gapTimer = null;
    if (looksLikeScannerBurst(input.value, keyTimes)) {
      gapTimer = setTimeout(take, FRAMING.scannerIdleEndMs);
    }
  };

  input.addEventListener('keydown', keydown);
  input.addEventListener('input', typed);
  input.addEventListener('pointerdown', ensureAudio);
  return () => {
    detached = true;
    resetTiming();
    input.removeEventListener('keydown', keydown);
    input.removeEventListener('input', typed);
    input.removeEventListener('pointerdown', ensureAudio);
  };
}

// --- feedback: flash and tone ------------------------------------------------------------------

function beep(hz, seconds, wave, volume, gapAfter = 0) {
  return Object.freeze({ hz, seconds, wave, volume, gapAfter });
}

/** The station's sounds, so a biller can work without looking at the screen. */
const TONES = Object.freeze({
  ok: [beep(880, 0.09, 'square', 0.2, 0.04), beep(1320, 0.12, 'square', 0.2)], // two rising
  warn: [beep(523, 0.16, 'triangle', 0.45, 0.08), beep(523, 0.16, 'triangle', 0.45)],
  error: [beep(200, 0.4, 'sawtooth', 0.35)], // low buzz
});

let audio = null;

/** Browsers allow sound only after a gesture, so the context is made on the first key or tap. */
function ensureAudio() {
  if (audio) {
    if (audio.state === 'suspended') {
      audio.resume().catch(() => {});
    }
    return;
  }
  const AudioCtor = window.AudioContext || window.webkitAudioContext;
  if (!AudioCtor || !(navigator.userActivation ? navigator.userActivation.hasBeenActive : true)) {
    return;
  }
  try {
    audio = new AudioCtor();
  } catch (e) {
    audio = null;
  }
}

function playTone(kind) {
  const steps = TONES[kind];
  if (!audio || !steps || audio.state === 'closed') {
    return;
  }
  try {
    let t = audio.currentTime + 0.01;
    for (const step of steps) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = step.wave;
      osc.frequency.setValueAtTime(step.hz, t);
      // short ramps: an instant start or stop clicks, which would sound like an extra beep
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(step.volume, t + 0.005);
      gain.gain.setValueAtTime(step.volume, t + step.seconds - 0.01);
      gain.gain.linearRampToValueAtTime(0, t + step.seconds);
      osc.connect(gain).connect(audio.destination);
      osc.start(t);
      osc.stop(t + step.seconds + 0.02);
      t += step.seconds + step.gapAfter;
    }
  } catch (e) {
    // sound is a convenience; the flash and the message already told the story
  }
}

const flashTimers = new WeakMap();

/**
 * Tells the person how a scan went: node flashes (class scan-flash-ok|warn|error), a tone plays,
 * and node.dataset.feedback keeps the kind for tests. kind: 'ok' | 'warn' | 'error'.
 */
export function feedback(node, kind) {
  node.classList.remove('scan-flash-ok', 'scan-flash-warn', 'scan-flash-error');
  void node.offsetWidth; // restart the animation when two scans land within one flash
  node.classList.add('scan-flash-' + kind);
  node.dataset.feedback = kind;
  clearTimeout(flashTimers.get(node));
  flashTimers.set(node, setTimeout(() => node.classList.remove('scan-flash-' + kind), FRAMING.flashMs));
  playTone(kind);
}
