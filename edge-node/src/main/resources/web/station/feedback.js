// What a dispatcher takes in from 2 m away: a full-screen colour flash, a tone per kind of scan
// (the web kit's, shared with the hub) and, where the device has one, the vibration motor.

import { flash, playTone } from '../scan-kit.js';
import { el } from './state.js';

const VIBRATION = Object.freeze({ ok: 60, warn: [120, 80, 120], error: [250, 100, 250, 100, 400] });

/** kind: a feedbackKind ('parent' | 'child' | 'complete' | 'command' | 'warn' | 'error'). */
export function giveFeedback(kind) {
  const tone = kind === 'error' || kind === 'warn' ? kind : 'ok';
  flash(el.flash, 'flash-', tone);
  playTone(kind);
  vibrate(VIBRATION[tone]);
}

function vibrate(pattern) {
  if (typeof navigator.vibrate !== 'function') return;
  // Chrome logs an intervention when vibrate() runs before any user gesture.
  if (navigator.userActivation && !navigator.userActivation.hasBeenActive) return;
  try {
    navigator.vibrate(pattern);
  } catch {
    /* no motor */
  }
}
