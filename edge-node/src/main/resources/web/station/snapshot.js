// Where the station stands, from the dock server: GET /api/station after a reload, a sign-in, an
// idle reset or an outage. A snapshot older than a scan answer never overwrites it.

import { CONFIG, state } from './state.js';
import { apiRequest } from './api.js';
import { normaliseRecent, readReceipt, withStationFields } from './model.js';
import { isObject, numberOrNull, stringOrNull } from './text.js';
import { expireSession } from './signin.js';
import { syncConfirmPanel } from './finish.js';
import { restartIdleResetTimer } from './idle.js';
import { renderAll, setStatus } from './view.js';

/** GET /api/station: restores the station after a reload, sign-in, idle reset or outage. */
export async function refreshStation() {
  const token = state.token;
  if (!token) return;
  const seqBefore = state.resultSeq;
  const res = await apiRequest('GET', '/api/station', { token });
  if (token !== state.token) return; // signed out (or in again) meanwhile
  if (res.status === 401) {
    expireSession([]);
    return;
  }
  if (!res.ok || !isObject(res.data)) return;
  // A scan answered (or still in flight) while this was out is newer than this snapshot.
  const stale = state.resultSeq !== seqBefore || state.sending || state.queue.length > 0;
  applySnapshot(res.data, !stale);
  await refreshReceipt(token, seqBefore);
}

/** GET /api/receipt: the receipt open at this station (receiving survives a reload and a restart). */
async function refreshReceipt(token, seqBefore) {
  const res = await apiRequest('GET', '/api/receipt', { token });
  if (token !== state.token || !res.ok || !isObject(res.data)) return;
  if (state.resultSeq !== seqBefore || state.sending || state.queue.length > 0) return;
  state.receipt = readReceipt(res.data.receipt);
  renderAll();
}

function applySnapshot(snapshot, includeStationFields) {
  state.session.station = stringOrNull(snapshot.station) || state.session.station;
  state.session.user = stringOrNull(snapshot.user) || state.session.user;
  applySettings(snapshot);
  if (includeStationFields) {
    state.station = withStationFields(state.station, snapshot);
    state.recent = normaliseRecent(snapshot.recent, CONFIG.recentMax);
    syncConfirmPanel();
  }
  if (state.awaitingFirstSnapshot) {
    state.awaitingFirstSnapshot = false;
    const s = state.station;
    setStatus('info', s.mode === 'CHILD' && s.parent ? `Resumed on ${s.parent}.` : 'Ready.');
  }
  renderAll();
}

function applySettings(source) {
  const bounce = numberOrNull(source.bounceMillis);
  if (bounce !== null && bounce >= 0) state.settings.bounceMillis = bounce;
  const idle = numberOrNull(source.idleResetMinutes);
  if (idle !== null && idle > 0 && idle !== state.settings.idleResetMinutes) {
    state.settings.idleResetMinutes = idle;
    restartIdleResetTimer(false);
  }
}

export function addRecent(entry) {
  state.recent.unshift(entry);
  state.recent.length = Math.min(state.recent.length, CONFIG.recentMax);
}
