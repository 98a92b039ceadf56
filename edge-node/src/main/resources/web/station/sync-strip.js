// Sync with the hub: the status strip (online or not, scans waiting, last sync, loading hub data,
// errors), read from GET /api/status every few seconds while the station view is up, and this
// dock's open conflicts with it. Text only, never markup.

import { CONFIG, el, state } from './state.js';
import { apiRequest } from './api.js';
import { renderConflicts } from './conflicts.js';
import { refreshStation } from './snapshot.js';
import { ageText, isObject, shortText, sinceText, stringOrNull } from './text.js';

export function scheduleSyncPoll(delayMs = CONFIG.syncPollMs) {
  clearTimeout(state.timers.sync);
  state.timers.sync = setTimeout(pollSync, delayMs);
}

/** Reads the status (and, signed in, the open conflicts), draws them, and comes back later. */
async function pollSync() {
  state.timers.sync = null;
  if (state.view !== 'station') return;
  try {
    const status = await apiRequest('GET', '/api/status', { token: null });
    if (status.ok && isObject(status.data)) renderSyncStrip(status.data);
    if (state.token && isObject(status.data) && status.data.enrolled === true) {
      const res = await apiRequest('GET', '/api/conflicts', {});
      if (res.ok && isObject(res.data) && Array.isArray(res.data.conflicts)) {
        renderConflicts(res.data.conflicts);
        // a conflict that arrived (or ended) changes the recent list's marks: read it again
        const seen = JSON.stringify(res.data.conflicts.filter(isObject).map((c) => [c.id, c.seq, c.resolution]));
        if (state.conflictsSeen !== null && seen !== state.conflictsSeen) refreshStation();
        state.conflictsSeen = seen;
      }
    } else {
      renderConflicts([]);
    }
  } finally {
    if (state.view === 'station') scheduleSyncPoll();
  }
}

function setSyncItem(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}

function renderSyncStrip(s) {
  const enrolled = s.enrolled === true;
  const online = enrolled && s.online === true;
  el.syncOnline.textContent = !enrolled ? 'Local only – not connected to a hub' : online ? 'Hub: ONLINE' : 'Hub: OFFLINE';
  el.syncOnline.classList.toggle('sync-on', online);
  el.syncOnline.classList.toggle('sync-off', enrolled && !online);
  el.syncOnline.classList.toggle('sync-unknown', !enrolled);
  const pending = typeof s.pendingOps === 'number' ? s.pendingOps : 0;
  const receipts = typeof s.receiptsToSend === 'number' ? s.receiptsToSend : 0;
  setSyncItem(el.syncPending, enrolled ? `${pending} scan${pending === 1 ? '' : 's'} waiting to sync`
    + (receipts > 0 ? `, ${receipts} receipt${receipts === 1 ? '' : 's'}` : '') : '');
  const oldest = ageText(s.oldestPendingAgeMs);
  setSyncItem(el.syncOldest, enrolled && pending > 0 && oldest ? `oldest waiting ${oldest}` : '');
  const last = sinceText(s.lastSyncAt);
  setSyncItem(el.syncLast, enrolled ? (last ? `last sync ${last}` : 'never synced yet') : '');
  const boot = isObject(s.bootstrap) ? s.bootstrap : null;
  let bootText = '';
  if (boot && typeof boot.loaded === 'number' && typeof boot.total === 'number') {
    const percent = boot.total > 0 ? Math.min(100, Math.floor((boot.loaded * 100) / boot.total)) : 0;
    bootText = `Loading hub data: ${boot.loaded} of ${boot.total} (${percent}%)`;
  }
  setSyncItem(el.syncBootstrap, bootText);
  setSyncItem(el.syncError, enrolled && !online ? shortText(stringOrNull(s.lastError) || '', 160) : '');
  // a change this dock could not read: scanning and pushing go on; a snapshot repairs it
  const pullError = isObject(s.pullError) ? s.pullError : null;
  setSyncItem(el.syncPullError, enrolled && pullError
    ? shortText(`Hub change ${typeof pullError.position === 'number' ? pullError.position : '?'} could not be read `
      + `(${stringOrNull(pullError.reason) || 'unknown reason'}); scans still sync, reloading hub data`, 200)
    : '');
  setSyncItem(el.syncNotice, enrolled ? shortText(stringOrNull(s.notice) || '', 200) : '');
}
