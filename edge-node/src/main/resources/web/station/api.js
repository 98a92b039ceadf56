// The dock server's API, one JSON request at a time, and the offline banner: any request that got
// no answer at all shows it and retries until the server answers again.

import { CONFIG, el, state } from './state.js';
import { isObject, stringOrNull } from './text.js';
import { refreshStation } from './snapshot.js';

/**
 * One JSON request. Never throws: resolves to { ok, network, status, data }, where network is
 * true when no HTTP answer came at all (refused, unplugged, timed out).
 */
export async function apiRequest(method, path, options = {}) {
  const { body, token = state.token, timeoutMs = CONFIG.requestTimeoutMs } = options;
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'same-origin',
        signal: controller.signal,
      });
    } catch {
      noteServerUnreachable();
      return { ok: false, network: true, status: 0, data: null };
    }
    noteServerReachable();
    return { ok: response.ok, network: false, status: response.status, data: await readJson(response) };
  } finally {
    clearTimeout(timer);
  }
}

async function readJson(response) {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** A human sentence for a failed request, preferring the problem+json detail. */
export function problemText(res, fallback) {
  const data = isObject(res.data) ? res.data : {};
  return stringOrNull(data.detail) || stringOrNull(data.title) || `${fallback} (HTTP ${res.status}).`;
}

function noteServerUnreachable() {
  el.offlineBanner.hidden = false;
  scheduleReachabilityRetry();
}

function noteServerReachable() {
  el.offlineBanner.hidden = true;
  clearTimeout(state.timers.retry);
  state.timers.retry = null;
}

function scheduleReachabilityRetry() {
  if (state.timers.retry !== null) return;
  state.timers.retry = setTimeout(retryReachability, CONFIG.retryMs);
}

/** Any HTTP answer (even 401) proves the dock server is back; signed in, it also resyncs. */
async function retryReachability() {
  state.timers.retry = null;
  if (state.token) await refreshStation();
  else await apiRequest('GET', '/api/station', { token: null });
}
