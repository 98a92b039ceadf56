// From keystrokes to scans to answers: the scan field's framing (the web kit's rules: Enter, Tab
// or a scanner burst's idle gap end a scan; an echo within the bounce window is dropped), then
// every scan and command sent strictly one at a time, in the order it was made, never lost or
// merged with the next one.

import { burstFraming, isBounce } from '../scan-kit.js';
import { CONFIG, el, state } from './state.js';
import { apiRequest } from './api.js';
import { afterScanResult, feedbackKind, isAccepted, readReceipt, receiptFeedbackKind, statusKind } from './model.js';
import { displayText, isObject, stringOrNull } from './text.js';
import { giveFeedback } from './feedback.js';
import { onKeepScanning, syncConfirmPanel } from './finish.js';
import { restartIdleResetTimer } from './idle.js';
import { expireSession } from './signin.js';
import { addRecent } from './snapshot.js';
import { renderAll, setLastOutcome, setStatus } from './view.js';

const framing = burstFraming(takeScanFromField);

export function onScanKeydown(event) {
  if (event.isComposing) return;
  if (event.key === 'Enter' || event.key === 'Tab') {
    // Tab too: scanners set up with a Tab suffix must not move focus off the field.
    event.preventDefault();
    takeScanFromField();
  } else if (event.key === 'Escape' && !el.confirmPanel.hidden) {
    onKeepScanning();
  }
}

/** A scanner burst that stops is a complete code; a slow person is only ended by Enter or Tab. */
export function onScanInput(event) {
  framing.typed(el.scanInput.value, event.inputType || 'insertText');
}

export function resetKeyTiming() {
  framing.reset();
}

function takeScanFromField() {
  const text = el.scanInput.value;
  el.scanInput.value = ''; // the next scan starts clean, even while this one is being sent
  framing.reset();
  submitScan(text);
}

/** Every scan and every command button comes through here, in the order they happened. */
export function submitScan(text) {
  if (!state.token || text.trim() === '') return;
  const now = performance.now();
  // scanner echo: silently dropped, like the server does
  if (isBounce(state.lastTaken, text, now, state.settings.bounceMillis)) return;
  state.lastTaken = { text, at: now };
  restartIdleResetTimer(true);
  state.queue.push(text);
  pumpQueue();
}

async function pumpQueue() {
  if (state.sending) return;
  state.sending = true;
  try {
    while (state.queue.length > 0 && state.token) {
      const token = state.token;
      const text = state.queue[0];
      const res = await apiRequest('POST', '/api/scan', {
        body: { code: text },
        token,
        timeoutMs: CONFIG.scanTimeoutMs,
      });
      if (token !== state.token) break; // signed out meanwhile: that session's queue is gone
      state.queue.shift();
      if (res.status === 401) {
        expireSession([text, ...state.queue]);
        break;
      }
      if (res.ok && isObject(res.data) && typeof res.data.outcome === 'string' && res.data.kind === 'RECEIPT') {
        handleReceiptResult(res.data, text);
      } else if (res.ok && isObject(res.data) && typeof res.data.outcome === 'string') {
        handleScanResult(res.data, text);
      } else {
        // Scans queued behind a failed one were made assuming it went through (it may have
        // been the parent), so they are not sent either: all are reported, none silently lost.
        reportNotRecorded([text, ...state.queue.splice(0)], failureCode(res), failureDetail(res));
      }
    }
  } finally {
    state.sending = false;
  }
}

function failureCode(res) {
  if (res.network) return 'NETWORK_ERROR';
  const code = isObject(res.data) ? stringOrNull(res.data.code) : null;
  return code || `HTTP_${res.status}`;
}

function failureDetail(res) {
  if (res.network) return 'dock server unreachable';
  return isObject(res.data) ? stringOrNull(res.data.detail) : null;
}

function handleScanResult(result, text) {
  state.resultSeq += 1;
  restartIdleResetTimer(true); // from the answer too, so ours never fires before the server's
  setLastOutcome(result.outcome, stringOrNull(result.reason));
  if (result.outcome === 'IGNORED') return; // scanner echo seen by the server: nothing visible

  state.station = afterScanResult(state.station, result);
  // A fresh question: ask it even if an earlier one was waved off.
  if (result.reason === 'FINISH_NEEDS_CONFIRMATION') state.finishPromptDismissed = false;

  const kind = feedbackKind(result);
  const code = result.code == null ? displayText(text) : displayText(result.code);
  const reason = stringOrNull(result.reason);
  const message = stringOrNull(result.message) || `${code} ${isAccepted(result) ? 'accepted' : 'rejected'}`;
  setStatus(statusKind(kind), message, {
    reason: [reason, stringOrNull(result.detail)].filter(Boolean).join(' · '),
    otherBag: result.otherBag,
  });
  addRecent({ at: stringOrNull(result.at) || new Date().toISOString(), code, accepted: isAccepted(result), reason, message });
  syncConfirmPanel();
  renderAll();
  giveFeedback(kind);
}

/** A receiving answer: the receipt as it now stands (none once closed or cancelled), and its sentence. */
function handleReceiptResult(result, text) {
  state.resultSeq += 1;
  restartIdleResetTimer(true);
  setLastOutcome(result.outcome, stringOrNull(result.reason));
  if (result.outcome === 'IGNORED') return; // scanner echo seen by the server: nothing visible
  state.receipt = readReceipt(result.receipt);
  const kind = receiptFeedbackKind(result);
  const code = result.code == null ? displayText(text) : displayText(result.code);
  const reason = stringOrNull(result.reason);
  setStatus(statusKind(kind), stringOrNull(result.message) || `${code} ${isAccepted(result) ? 'accepted' : 'rejected'}`,
    { reason: reason || '' });
  addRecent({ at: stringOrNull(result.at) || new Date().toISOString(), code, accepted: isAccepted(result), reason,
    message: stringOrNull(result.message) });
  renderAll();
  giveFeedback(kind);
}

/** The scan(s) did not reach the store: say so loudly, name them, ask for a re-scan. */
function reportNotRecorded(texts, code, detail) {
  state.resultSeq += 1;
  setLastOutcome('ERROR', 'NOT_RECORDED');
  const shown = texts.slice(0, CONFIG.notRecordedListMax).map(displayText);
  const more = texts.length - shown.length;
  const list = shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
  setStatus('error', `NOT RECORDED – scan again: ${list}`, {
    reason: [code, detail].filter(Boolean).join(' · '),
  });
  const at = new Date().toISOString();
  for (const text of texts) {
    addRecent({ at, code: displayText(text), accepted: false, reason: 'NOT RECORDED', message: 'Not recorded – scan again' });
  }
  renderAll();
  giveFeedback('error');
}
