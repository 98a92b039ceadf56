// Drawing the station: header, mode banner, counter, recent scans and the status panel, and
// keeping the scan field focused. Data only ever goes in as text (textContent, text nodes):
// codes and server messages may hold hostile text.

import { el, state } from './state.js';
import { counterView, modeView, receiptBanner, recentMark, stationPhase } from './model.js';
import { formatTime, stringOrNull } from './text.js';

export function renderAll() {
  document.body.dataset.state = stationPhase(state.view, state.station, state.receipt);
  if (state.view !== 'station') return;
  renderHeader();
  renderMode();
  renderBag();
  renderReceipt();
  renderRecent();
}

function renderHeader() {
  const { user, station } = state.session;
  el.who.textContent = [user, station].filter(Boolean).join(' · ');
  document.title = station ? `TraceTrack – ${station}` : 'TraceTrack station';
}

function renderMode() {
  const mode = state.receipt ? receiptBanner(state.receipt) : modeView(state.station);
  el.mode.className = mode.className;
  el.modeTitle.textContent = mode.title;
  el.modeHint.textContent = mode.hint;
}

function renderBag() {
  const counter = counterView(state.station);
  el.parentCode.textContent = state.station.parent || '—';
  el.counter.textContent = counter.text;
  el.counterBox.classList.toggle('counter-complete', counter.complete);
  el.counterLabel.hidden = !counter.complete;
}

/** The receipt panel: received of expected, then what is missing, what came and what came extra. */
function renderReceipt() {
  const receipt = state.receipt;
  el.receiptPanel.hidden = !receipt;
  if (!receipt) return;
  const banner = receiptBanner(receipt);
  el.receiptTitle.textContent = `Bill ${receipt.bill}`;
  el.receiptCounter.textContent = banner.counter;
  el.receiptCounter.classList.toggle('counter-complete', banner.complete);
  el.receiptMissingCount.textContent = `(${receipt.missing.length})`;
  el.receiptMissing.replaceChildren(...receipt.missing.map((code) => listItem(textSpan('recent-code', code))));
  el.receiptReceived.replaceChildren(...receipt.received.map((line) => listItem(
    textSpan('recent-code', line.code),
    textSpan('recent-note', [line.children === null ? null : `${line.children} ${line.children === 1 ? 'child' : 'children'}`,
      line.by].filter(Boolean).join(' · ')),
    textSpan('recent-time', formatTime(line.at)))));
  el.receiptExtra.replaceChildren(...receipt.extra.map((line) => listItem(
    textSpan('recent-code', line.code), textSpan('recent-note', line.by || ''), textSpan('recent-time', formatTime(line.at)))));
  const earlier = receipt.earlier;
  el.receiptEarlier.hidden = !earlier;
  el.receiptEarlier.textContent = earlier
    ? `Received here before: ${earlier.received} ${earlier.received === 1 ? 'parent' : 'parents'}, closed by ${earlier.closedBy || '?'} at ${formatTime(earlier.closedAt)}`
    : '';
}

function listItem(...children) {
  const li = document.createElement('li');
  li.append(...children);
  return li;
}

function renderRecent() {
  el.recent.replaceChildren(...state.recent.map(recentItem));
}

function recentItem(entry) {
  const li = document.createElement('li');
  const shown = recentMark(entry);
  li.className = shown.className;
  if (entry.message) li.title = entry.message;
  li.append(
    textSpan('recent-mark', shown.mark, true),
    textSpan('sr-only', shown.spoken),
    textSpan('recent-code', entry.code),
    textSpan('recent-note', shown.note),
    textSpan('recent-time', formatTime(entry.at)),
  );
  return li;
}

export function textSpan(className, text, decorative = false) {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  if (decorative) span.setAttribute('aria-hidden', 'true');
  return span;
}

/** The status panel. kind: 'ok' | 'error' | 'warn' | 'info'. */
export function setStatus(kind, message, details = {}) {
  el.status.className = `status status-${kind}`;
  renderMessage(message, details.otherBag);
  el.reason.textContent = details.reason || '';
}

/** Puts the message in, with the bag it names (otherBag) highlighted; text nodes only. */
function renderMessage(message, otherBag) {
  const text = String(message);
  el.message.replaceChildren();
  const bag = stringOrNull(otherBag);
  if (!bag) {
    el.message.textContent = text;
    return;
  }
  const parts = text.split(bag);
  parts.forEach((part, index) => {
    if (index > 0) el.message.append(markBag(bag));
    if (part) el.message.append(part);
  });
  if (parts.length === 1) el.message.append(' ', markBag(bag)); // the message did not name it
}

function markBag(bag) {
  const mark = document.createElement('mark');
  mark.className = 'other-bag';
  mark.textContent = bag;
  return mark;
}

/** body[data-last-outcome]: the test hook for the last answer ("REJECTED:PARENT_COMPLETE"). */
export function setLastOutcome(outcome, reason) {
  document.body.dataset.lastOutcome = reason ? `${outcome}:${reason}` : String(outcome);
}

/** The scan field must always be ready for the scanner. */
export function focusScan() {
  if (state.view !== 'station' || document.visibilityState === 'hidden') return;
  if (document.activeElement !== el.scanInput) el.scanInput.focus({ preventScroll: true });
}
