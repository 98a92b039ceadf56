// Drawing the station: header, mode banner, counter, recent scans and the status panel, and
// keeping the scan field focused. Data only ever goes in as text (textContent, text nodes):
// codes and server messages may hold hostile text.

import { el, state } from './state.js';
import { counterView, modeView, recentMark, stationPhase } from './model.js';
import { formatTime, stringOrNull } from './text.js';

export function renderAll() {
  document.body.dataset.state = stationPhase(state.view, state.station);
  if (state.view !== 'station') return;
  renderHeader();
  renderMode();
  renderBag();
  renderRecent();
}

function renderHeader() {
  const { user, station } = state.session;
  el.who.textContent = [user, station].filter(Boolean).join(' · ');
  document.title = station ? `TraceTrack – ${station}` : 'TraceTrack station';
}

function renderMode() {
  const mode = modeView(state.station);
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
