/*
 * TraceTrack dock station page: the entry module, which finds the elements, wires the events and
 * starts at the sign-in form (or resumes the station after a reload).
 *
 * Served by the edge node on 127.0.0.1 and driven by a keyboard-wedge scanner that "types" a
 * code, usually followed by Enter. Constraints that shape every module here:
 *  - no external resources and a strict CSP: no inline code, no eval, no style attributes
 *    (visual state is switched with classes and the hidden attribute only);
 *  - codes and server messages may hold hostile text, so data only ever goes in via textContent;
 *  - a scan must never be lost, merged with the next one or sent out of order.
 *
 * The modules: state (the one state, tuning, elements), text and model (pure: reading answers,
 * the counter and mode), commands (the command texts), api (requests, offline banner), scanning
 * (framing, the queue, answers), finish (finish-short panel), idle (idle reset), snapshot
 * (GET /api/station), view (drawing, focus), feedback (flash, tone, vibration), sync-strip and
 * conflicts (the hub), signin (session, views). Framing rules, tones and the flash are the web
 * kit's /scan-kit.js, shared with the hub's scan boxes.
 */

import { ensureAudio } from '../scan-kit.js';
import { bindElements, el, state } from './state.js';
import { COMMAND_TEXT } from './commands.js';
import { onConfirmFinish, onKeepScanning } from './finish.js';
import { checkIdleOverdue } from './idle.js';
import { onScanInput, onScanKeydown, submitScan } from './scanning.js';
import { onSignInSubmit, onSignOut, startSignIn } from './signin.js';
import { focusScan } from './view.js';

function onScanBlur() {
  if (state.view !== 'station' || !el.confirmPanel.hidden) return;
  setTimeout(focusScan, 0); // deferred, so a click that caused the blur still lands on its button
}

function onDocumentClick(event) {
  if (state.view !== 'station') return;
  const target = event.target;
  if (target instanceof Element && target.closest('button, a, input, select, textarea, label')) return;
  focusScan();
}

function onDocumentKeydown(event) {
  ensureAudio();
  if (state.view !== 'station' || event.target === el.scanInput) return;
  if (event.key === 'Escape' && !el.confirmPanel.hidden) {
    onKeepScanning();
    return;
  }
  // Focus drifted (e.g. onto a button while the finish panel is open): moving it now sends the
  // scanner's characters to the scan field, and its Enter can no longer press that button.
  const printable = typeof event.key === 'string' && event.key.length === 1;
  if (printable && !event.ctrlKey && !event.metaKey && !event.altKey) focusScan();
}

function onPageVisible() {
  if (document.visibilityState === 'hidden') return;
  checkIdleOverdue();
  focusScan();
}

function commandButton(text) {
  return () => {
    submitScan(text);
    focusScan();
  };
}

/**
 * The station field comes filled with this PC's last station name: entering it selects that name,
 * so what is typed replaces it ("station-1station-1" once reached the hub's conflict records). The
 * mouseup after a click would put the caret in and drop the selection, so that one is skipped.
 */
function selectOnEntry(input) {
  let entered = false;
  input.addEventListener('focus', () => {
    input.select();
    entered = true;
  });
  input.addEventListener('mouseup', e => {
    if (entered) e.preventDefault();
    entered = false;
  });
  input.addEventListener('blur', () => {
    entered = false;
  });
}

function wireEvents() {
  el.signinForm.addEventListener('submit', onSignInSubmit);
  selectOnEntry(el.stationInput);
  el.btnSignout.addEventListener('click', onSignOut);

  el.scanInput.addEventListener('keydown', onScanKeydown);
  el.scanInput.addEventListener('input', onScanInput);
  el.scanInput.addEventListener('blur', onScanBlur);

  el.btnUndo.addEventListener('click', commandButton(COMMAND_TEXT.UNDO));
  el.btnFinish.addEventListener('click', commandButton(COMMAND_TEXT.FINISH));
  el.btnCancel.addEventListener('click', commandButton(COMMAND_TEXT.CANCEL));
  el.btnConfirm.addEventListener('click', onConfirmFinish);
  el.btnKeep.addEventListener('click', onKeepScanning);

  // Capture phase: these must run whatever element has focus or was clicked.
  document.addEventListener('keydown', onDocumentKeydown, true);
  document.addEventListener('pointerdown', ensureAudio, true);
  document.addEventListener('click', onDocumentClick);
  document.addEventListener('visibilitychange', onPageVisible);
  window.addEventListener('focus', onPageVisible);
}

// A module script runs once the document is parsed, as the old deferred script did.
bindElements();
wireEvents();
startSignIn();
