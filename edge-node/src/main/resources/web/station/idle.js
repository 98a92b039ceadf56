// Back to parent mode after idleResetMinutes with no scan (10 unless the dock server says
// otherwise). The server applies the same reset and has the last word.

import { state } from './state.js';
import { emptyStation } from './model.js';
import { closeConfirm } from './finish.js';
import { refreshStation } from './snapshot.js';
import { renderAll, setStatus } from './view.js';

function idleResetMs() {
  return state.settings.idleResetMinutes * 60 * 1000;
}

/** activity: true when a scan happened (moves the idle clock), false to just re-arm. */
export function restartIdleResetTimer(activity) {
  clearTimeout(state.timers.idleReset);
  state.timers.idleReset = null;
  if (activity) state.lastScanAt = Date.now();
  if (!state.token) return;
  const remaining = Math.max(0, idleResetMs() - (Date.now() - state.lastScanAt));
  state.timers.idleReset = setTimeout(onIdleReset, remaining);
}

function onIdleReset() {
  state.timers.idleReset = null;
  if (!state.token) return;
  if (state.sending || state.queue.length > 0) {
    restartIdleResetTimer(true);
    return;
  }
  const wasOnParent = state.station.mode === 'CHILD' || state.station.parent !== null;
  state.station = emptyStation();
  state.finishPromptDismissed = false;
  closeConfirm();
  if (wasOnParent) {
    const minutes = state.settings.idleResetMinutes;
    setStatus('info', `No scan for ${minutes} minute${minutes === 1 ? '' : 's'} – back to parent mode.`);
  }
  renderAll();
  refreshStation(); // the server applies the same reset; it has the last word
}

/** Timers are throttled in background tabs and stop during sleep: check on return. */
export function checkIdleOverdue() {
  if (state.timers.idleReset !== null && Date.now() - state.lastScanAt >= idleResetMs()) {
    clearTimeout(state.timers.idleReset);
    onIdleReset();
  }
}

/** Stops the idle clock (signed out). */
export function stopIdleResetTimer() {
  clearTimeout(state.timers.idleReset);
  state.timers.idleReset = null;
}
