// The finish-short confirmation panel. Focus deliberately stays in the scan field while it is
// open, so a scanner's Enter can never press one of its buttons by accident; a second CMD-FINISH
// scan confirms too.

import { el, state } from './state.js';
import { COMMAND_TEXT, confirmHoldMs } from './commands.js';
import { finishShortQuestion } from './model.js';
import { submitScan } from './scanning.js';
import { focusScan, setStatus } from './view.js';

/** Shows or hides the panel to match the server's pendingFinish, unless the user waved it off. */
export function syncConfirmPanel() {
  if (!state.station.pendingFinish) {
    state.finishPromptDismissed = false;
    closeConfirm();
  } else if (!state.finishPromptDismissed) {
    openConfirm();
  }
}

function openConfirm() {
  el.confirmText.textContent = finishShortQuestion(state.station);
  if (!el.confirmPanel.hidden) return;
  el.confirmPanel.hidden = false;
  holdConfirmDuringBounce();
  focusScan(); // scanner input keeps flowing; a second CMD-FINISH scan confirms
}

/** Confirm stays disabled while a tap on it would be dropped as the echo of the CMD-FINISH scan. */
function holdConfirmDuringBounce() {
  clearTimeout(state.timers.confirmEnable);
  const remaining = confirmHoldMs(state.lastTaken, performance.now(), state.settings.bounceMillis);
  el.btnConfirm.disabled = remaining > 0;
  if (remaining > 0) {
    state.timers.confirmEnable = setTimeout(() => {
      el.btnConfirm.disabled = false;
    }, remaining);
  }
}

export function closeConfirm() {
  clearTimeout(state.timers.confirmEnable);
  el.btnConfirm.disabled = false;
  el.confirmPanel.hidden = true;
}

export function onConfirmFinish() {
  submitScan(COMMAND_TEXT.FINISH); // the answer (pendingFinish false) closes the panel
  focusScan();
}

/** Closes the panel and stays on the parent. Sends nothing, on purpose. */
export function onKeepScanning() {
  state.finishPromptDismissed = true;
  closeConfirm();
  const parent = state.station.parent;
  setStatus('info', parent ? `Still on ${parent} – keep scanning children.` : 'Keep scanning.');
  focusScan();
}
