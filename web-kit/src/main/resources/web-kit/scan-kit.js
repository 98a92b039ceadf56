// The keyboard-wedge scanner rules and the scan feedback that the dock station and the hub's scan
// boxes share, served by both apps as /scan-kit.js from the web kit's jar, so a biller who has
// worked a dock reads the desk without learning anything new, and a change reaches both at once.
//
// Framing (the product spec's F-SCAN, item 5):
//  - Enter or Tab ends a scan (scanners are set up with either suffix; Tab must not move focus);
//  - a burst typed faster than any person (average gap under 50 ms) that then stops for 200 ms is
//    a complete code even without a suffix;
//  - a person typing slowly is only ended by Enter or Tab, never cut off by the idle gap;
//  - the same code again within the bounce window (800 ms unless the server says otherwise) is the
//    scanner's echo and is dropped silently; nothing else is ever debounced.
//
// Nothing here touches the page at import time, so Node's test runner loads it as it is.

export const FRAMING = Object.freeze({
  scannerMaxAvgGapMs: 50, // faster than any person: keys this close together come from a scanner
  scannerIdleEndMs: 200, // a scanner burst that then stops this long is a complete code
  scannerMinLength: 2,
  bounceMs: 800,
  flashMs: 400,
});

/**
 * Whether text is an echo of the last scan taken ({ text, at }): the same code (ignoring
 * surrounding blanks) within bounceMs. A clock that went backwards never swallows a scan.
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
 * The idle-gap half of the framing for one scan field: typed(value, inputType) is called on each
 * input event, and calls take() once a scanner burst has stopped for scannerIdleEndMs; reset() is
 * called when a scan is taken by Enter or Tab. now() is the key clock (performance.now in a page).
 */
export function burstFraming(take, now = () => performance.now()) {
  let keyTimes = [];
  let gapTimer = null;
  const reset = () => {
    keyTimes = [];
    clearTimeout(gapTimer);
    gapTimer = null;
  };
  const typed = (value, inputType = 'insertText') => {
    if (value === '' || !inputType.startsWith('insert')) {
      // deleting is a person editing: never cut that off with the idle gap
      reset();
      return;
    }
    keyTimes.push(now());
    clearTimeout(gapTimer);
    gapTimer = null;
    if (looksLikeScannerBurst(value, keyTimes)) {
      gapTimer = setTimeout(take, FRAMING.scannerIdleEndMs);
    }
  };
  return Object.freeze({ typed, reset });
}

// --- feedback: tones and flash -----------------------------------------------------------------

function beep(hz, seconds, wave, volume, gapAfter = 0) {
  return Object.freeze({ hz, seconds, wave, volume, gapAfter });
}

const PARENT = Object.freeze([beep(880, 0.09, 'square', 0.2, 0.04), beep(1320, 0.12, 'square', 0.2)]); // two rising

/** Distinct sounds, so a dispatcher or a biller can work without looking at the screen. */
export const TONES = Object.freeze({
  parent: PARENT,
  child: Object.freeze([beep(1760, 0.07, 'square', 0.2)]), // one short high
  complete: Object.freeze([
    beep(1047, 0.1, 'square', 0.2, 0.03),
    beep(1319, 0.1, 'square', 0.2, 0.03),
    beep(1568, 0.25, 'square', 0.2),
  ]),
  command: Object.freeze([beep(1175, 0.05, 'triangle', 0.4, 0.05), beep(1175, 0.05, 'triangle', 0.4)]),
  ok: PARENT, // the hub's accepted scan sounds like a dock's new parent
  warn: Object.freeze([beep(523, 0.16, 'triangle', 0.45, 0.08), beep(523, 0.16, 'triangle', 0.45)]),
  error: Object.freeze([beep(200, 0.4, 'sawtooth', 0.35)]), // low buzz
});

let audio = null;

/**
 * Browsers allow sound only after a gesture, so the context is made on the first key or tap (a
 * context made before one would only be refused). Call it from key and pointer handlers.
 */
export function ensureAudio() {
  if (audio) {
    if (audio.state === 'suspended') {
      audio.resume().catch(() => {});
    }
    return;
  }
  const AudioCtor = globalThis.AudioContext || globalThis.webkitAudioContext;
  const activation = globalThis.navigator ? globalThis.navigator.userActivation : undefined;
  if (!AudioCtor || (activation && !activation.hasBeenActive)) {
    return;
  }
  try {
    audio = new AudioCtor();
  } catch {
    audio = null;
  }
}

/** Plays TONES[kind]; silent until ensureAudio has made a context, and for an unknown kind. */
export function playTone(kind) {
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
  } catch {
    // sound is a convenience; the flash and the message already told the story
  }
}

const flashTimers = new WeakMap();

/**
 * Flashes node with the class prefix + tone ('ok' | 'warn' | 'error') for FRAMING.flashMs; a
 * second flash within one restarts the animation rather than being lost in it.
 */
export function flash(node, prefix, tone) {
  node.classList.remove(`${prefix}ok`, `${prefix}warn`, `${prefix}error`);
  void node.offsetWidth; // restart the CSS animation when two scans land within one flash
  node.classList.add(prefix + tone);
  clearTimeout(flashTimers.get(node));
  flashTimers.set(node, setTimeout(() => node.classList.remove(prefix + tone), FRAMING.flashMs));
}
