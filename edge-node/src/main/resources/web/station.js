/*
 * TraceTrack dock station page.
 *
 * Served by the edge node on 127.0.0.1 and driven by a keyboard-wedge scanner that "types" a
 * code, usually followed by Enter. Constraints that shape this file:
 *  - no external resources and a strict CSP: no inline code, no eval, no style attributes
 *    (visual state is switched with classes and the hidden attribute only);
 *  - codes and server messages may hold hostile text, so data only ever goes in via textContent;
 *  - a scan must never be lost, merged with the next one or sent out of order.
 *
 * The same file also drives commands.html (only its Print button), so each page loads one script.
 */
(() => {
  'use strict';

  /** Tuning. The scan-framing numbers come from the product spec. */
  const CONFIG = Object.freeze({
    scannerMaxAvgGapMs: 50, // faster than any human: keys this close together come from a scanner
    scannerIdleEndMs: 200, // a scanner burst that then stops this long is a complete code
    scannerMinLength: 2,
    defaultBounceMs: 800,
    defaultIdleResetMinutes: 10,
    flashMs: 400,
    recentMax: 8,
    retryMs: 5000,
    scanTimeoutMs: 8000, // a hung request would otherwise stall every scan queued behind it
    requestTimeoutMs: 15000, // sign-in hashes a password; give it longer
    signOutTimeoutMs: 5000,
    shownTextMax: 40, // raw (possibly garbage) input is shortened before it is displayed
    notRecordedListMax: 5,
    syncPollMs: 5000, // the sync strip and the conflicts list are re-read this often
    conflictsShown: 20,
  });

  const COMMAND_TEXT = Object.freeze({ UNDO: 'CMD-UNDO', FINISH: 'CMD-FINISH', CANCEL: 'CMD-CANCEL' });

  const STORAGE_KEYS = Object.freeze({
    token: 'tracetrack.station.token', // sessionStorage: dies with the tab
    lastStation: 'tracetrack.station.lastStation', // localStorage: the dock PC keeps its name
  });

  const DEFAULT_STATION_NAME = 'station-1';

  function beep(hz, seconds, wave, volume, gapAfter = 0) {
    return Object.freeze({ hz, seconds, wave, volume, gapAfter });
  }

  /** Distinct sounds, so the dispatcher can work without looking at the screen. */
  const TONES = Object.freeze({
    parent: [beep(880, 0.09, 'square', 0.2, 0.04), beep(1320, 0.12, 'square', 0.2)], // two rising
    child: [beep(1760, 0.07, 'square', 0.2)], // one short high
    complete: [
      beep(1047, 0.1, 'square', 0.2, 0.03),
      beep(1319, 0.1, 'square', 0.2, 0.03),
      beep(1568, 0.25, 'square', 0.2),
    ],
    command: [beep(1175, 0.05, 'triangle', 0.4, 0.05), beep(1175, 0.05, 'triangle', 0.4)],
    warn: [beep(523, 0.16, 'triangle', 0.45, 0.08), beep(523, 0.16, 'triangle', 0.45)],
    error: [beep(200, 0.4, 'sawtooth', 0.35)], // low buzz
  });

  const VIBRATION = Object.freeze({ ok: 60, warn: [120, 80, 120], error: [250, 100, 250, 100, 400] });

  function emptyStation() {
    return { mode: 'PARENT', parent: null, count: 0, limit: null, complete: false, pendingFinish: false };
  }

  /** The single source of truth for this page. */
  const state = {
    view: 'signin', // 'signin' | 'station'
    token: null,
    signingIn: false,
    session: { station: '', user: '' },
    station: emptyStation(),
    settings: { bounceMillis: CONFIG.defaultBounceMs, idleResetMinutes: CONFIG.defaultIdleResetMinutes },
    recent: [], // newest first: { at, code, accepted, reason, message }
    queue: [], // raw scan texts waiting to be sent, oldest first
    sending: false,
    resultSeq: 0, // bumps on every scan answer; lets a slower snapshot know it is stale
    lastTaken: null, // { text, at } of the last scan taken, for the bounce filter
    keyTimes: [], // arrival times of the characters in the scan field
    awaitingFirstSnapshot: false,
    lastScanAt: Date.now(),
    finishPromptDismissed: false,
    audio: null,
    timers: { scanGap: null, idleReset: null, retry: null, flash: null, confirmEnable: null, sync: null },
    acknowledging: new Set(), // conflict ids whose acknowledgement is on its way
  };

  /** Elements by role; filled once at start. */
  const el = {};

  // ---------------------------------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------------------------------

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function numberOrNull(value) {
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  function stringOrNull(value) {
    return typeof value === 'string' && value !== '' ? value : null;
  }

  /** Raw input as it may be shown: control characters made visible, length capped. */
  function displayText(raw) {
    const visible = String(raw).replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
    return visible.length > CONFIG.shownTextMax ? `${visible.slice(0, CONFIG.shownTextMax)}…` : visible;
  }

  /** Server text for a longer line than a scan's: control characters shown, length capped. */
  function shortText(raw, max) {
    const visible = String(raw).replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
    return visible.length > max ? `${visible.slice(0, max)}…` : visible;
  }

  function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }

  // Storage can be disabled or full on locked-down dock PCs; the page must still work, it just forgets.
  function storageGet(kind, key) {
    try {
      return window[kind].getItem(key);
    } catch {
      return null;
    }
  }

  function storageSet(kind, key, value) {
    try {
      if (value === null) window[kind].removeItem(key);
      else window[kind].setItem(key, value);
    } catch {
      /* see storageGet */
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Server access
  // ---------------------------------------------------------------------------------------------

  /**
   * One JSON request. Never throws: resolves to { ok, network, status, data }, where network is
   * true when no HTTP answer came at all (refused, unplugged, timed out).
   */
  async function apiRequest(method, path, options = {}) {
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
  function problemText(res, fallback) {
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

  // ---------------------------------------------------------------------------------------------
  // Station state
  // ---------------------------------------------------------------------------------------------

  /** GET /api/station: restores the station after a reload, sign-in, idle reset or outage. */
  async function refreshStation() {
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
  }

  function applySnapshot(snapshot, includeStationFields) {
    state.session.station = stringOrNull(snapshot.station) || state.session.station;
    state.session.user = stringOrNull(snapshot.user) || state.session.user;
    applySettings(snapshot);
    if (includeStationFields) {
      applyStationFields(snapshot);
      state.recent = normaliseRecent(snapshot.recent);
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

  /** Copies the station fields a ScanResult and the /api/station snapshot have in common. */
  function applyStationFields(source) {
    const s = state.station;
    if (source.mode === 'PARENT' || source.mode === 'CHILD') s.mode = source.mode;
    s.parent = stringOrNull(source.parent);
    s.count = numberOrNull(source.count) ?? 0;
    s.limit = numberOrNull(source.limit);
    s.complete = source.complete === true;
    s.pendingFinish = source.pendingFinish === true;
  }

  function normaliseRecent(list) {
    if (!Array.isArray(list)) return [];
    const entries = list.filter(isObject).map((item) => ({
      at: stringOrNull(item.at),
      code: item.code == null ? '—' : displayText(item.code),
      accepted: item.accepted === true,
      reason: stringOrNull(item.reason),
      message: stringOrNull(item.message),
    }));
    // Newest first whatever order the server used; sort only when every time parses.
    const times = entries.map((entry) => Date.parse(entry.at));
    if (times.every(Number.isFinite)) {
      const order = entries.map((entry, index) => ({ entry, time: times[index] }));
      order.sort((a, b) => b.time - a.time);
      return order.slice(0, CONFIG.recentMax).map((item) => item.entry);
    }
    return entries.slice(0, CONFIG.recentMax);
  }

  function addRecent(entry) {
    state.recent.unshift(entry);
    state.recent.length = Math.min(state.recent.length, CONFIG.recentMax);
  }

  /** 'signin' | 'parent' | 'child' | 'complete' — also the test hook on body[data-state]. */
  function stationPhase() {
    if (state.view !== 'station') return 'signin';
    if (state.station.complete) return 'complete';
    return state.station.mode === 'CHILD' ? 'child' : 'parent';
  }

  function setLastOutcome(outcome, reason) {
    document.body.dataset.lastOutcome = reason ? `${outcome}:${reason}` : String(outcome);
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering
  // ---------------------------------------------------------------------------------------------

  function renderAll() {
    document.body.dataset.state = stationPhase();
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
    const s = state.station;
    const child = s.mode === 'CHILD';
    el.mode.className = `mode ${child ? 'mode-child' : 'mode-parent'}${s.complete ? ' mode-complete' : ''}`;
    el.modeTitle.textContent = child ? 'CHILD MODE' : 'PARENT MODE';
    if (!child) el.modeHint.textContent = 'Scan a parent bag';
    else if (s.complete) el.modeHint.textContent = `${s.parent || 'Parent'} is complete – scan the next parent bag`;
    else el.modeHint.textContent = `Scan children into ${s.parent || 'the parent'}`;
  }

  function renderBag() {
    const s = state.station;
    el.parentCode.textContent = s.parent || '—';
    el.counter.textContent = s.parent ? `${s.count} / ${s.limit ?? '–'}` : '– / –';
    el.counterBox.classList.toggle('counter-complete', s.complete);
    el.counterLabel.hidden = !s.complete;
  }

  function renderRecent() {
    const items = state.recent.map(recentItem);
    el.recent.replaceChildren(...items);
  }

  function recentItem(entry) {
    const li = document.createElement('li');
    li.className = entry.accepted ? 'recent-ok' : 'recent-bad';
    if (entry.message) li.title = entry.message;
    li.append(
      textSpan('recent-mark', entry.accepted ? '✓' : '✗', true),
      textSpan('sr-only', entry.accepted ? 'accepted' : 'rejected'),
      textSpan('recent-code', entry.code),
      textSpan('recent-note', entry.accepted ? entry.message || '' : entry.reason || 'REJECTED'),
      textSpan('recent-time', formatTime(entry.at)),
    );
    return li;
  }

  function textSpan(className, text, decorative = false) {
    const span = document.createElement('span');
    span.className = className;
    span.textContent = text;
    if (decorative) span.setAttribute('aria-hidden', 'true');
    return span;
  }

  /** The status panel. kind: 'ok' | 'error' | 'warn' | 'info'. */
  function setStatus(kind, message, details = {}) {
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

  // ---------------------------------------------------------------------------------------------
  // Feedback: flash, tone, vibration
  // ---------------------------------------------------------------------------------------------

  function feedbackKind(result) {
    if (isAccepted(result)) {
      if (result.complete === true && (result.kind === 'CHILD' || result.command === 'FINISH')) return 'complete';
      if (result.kind === 'PARENT') return 'parent';
      if (result.kind === 'CHILD') return 'child';
      return 'command';
    }
    // A question, not a failure: amber, so red keeps meaning "something is wrong".
    if (result.reason === 'FINISH_NEEDS_CONFIRMATION') return 'warn';
    return 'error';
  }

  function giveFeedback(kind) {
    const tone = kind === 'error' || kind === 'warn' ? kind : 'ok';
    flash(tone);
    playTone(kind);
    vibrate(VIBRATION[tone]);
  }

  function flash(tone) {
    const node = el.flash;
    node.classList.remove('flash-ok', 'flash-error', 'flash-warn');
    void node.offsetWidth; // restart the CSS animation when two scans land within one flash
    node.classList.add(`flash-${tone}`);
    clearTimeout(state.timers.flash);
    state.timers.flash = setTimeout(() => node.classList.remove(`flash-${tone}`), CONFIG.flashMs);
  }

  /** Browsers only allow audio after a user gesture, so the context is made on the first one. */
  function ensureAudio() {
    if (state.audio) {
      if (state.audio.state === 'suspended') state.audio.resume().catch(() => {});
      return;
    }
    const AudioCtor = window.AudioContext || window.webkitAudioContext;
    if (!AudioCtor) return;
    try {
      state.audio = new AudioCtor();
    } catch {
      state.audio = null;
    }
  }

  function playTone(kind) {
    const ctx = state.audio;
    const steps = TONES[kind];
    if (!ctx || !steps || ctx.state === 'closed') return;
    try {
      let t = ctx.currentTime + 0.01;
      for (const step of steps) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = step.wave;
        osc.frequency.setValueAtTime(step.hz, t);
        // Short ramps: an instant start or stop clicks, which would sound like an extra beep.
        gain.gain.setValueAtTime(0, t);
        gain.gain.linearRampToValueAtTime(step.volume, t + 0.005);
        gain.gain.setValueAtTime(step.volume, t + step.seconds - 0.01);
        gain.gain.linearRampToValueAtTime(0, t + step.seconds);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t);
        osc.stop(t + step.seconds + 0.02);
        t += step.seconds + step.gapAfter;
      }
    } catch {
      /* sound is a convenience; the flash and the status already told the story */
    }
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

  // ---------------------------------------------------------------------------------------------
  // Scan framing: turning keystrokes into scans
  // ---------------------------------------------------------------------------------------------

  function onScanKeydown(event) {
    if (event.isComposing) return;
    if (event.key === 'Enter' || event.key === 'Tab') {
      // Tab too: scanners set up with a Tab suffix must not move focus off the field.
      event.preventDefault();
      takeScanFromField();
    } else if (event.key === 'Escape' && !el.confirmPanel.hidden) {
      onKeepScanning();
    }
  }

  function onScanInput(event) {
    const value = el.scanInput.value;
    const inputType = event.inputType || 'insertText';
    if (value === '' || !inputType.startsWith('insert')) {
      // Deleting is a human editing: never cut that off with the idle gap.
      resetKeyTiming();
      return;
    }
    state.keyTimes.push(performance.now());
    clearTimeout(state.timers.scanGap);
    state.timers.scanGap = null;
    if (looksLikeScannerBurst(value)) {
      state.timers.scanGap = setTimeout(takeScanFromField, CONFIG.scannerIdleEndMs);
    }
  }

  /** Scanner speed: average gap under 50 ms. A slow human is only ended by Enter or Tab. */
  function looksLikeScannerBurst(value) {
    const times = state.keyTimes;
    if (value.length < CONFIG.scannerMinLength || times.length < 2) return false;
    const averageGap = (times[times.length - 1] - times[0]) / (times.length - 1);
    return averageGap < CONFIG.scannerMaxAvgGapMs;
  }

  function resetKeyTiming() {
    state.keyTimes = [];
    clearTimeout(state.timers.scanGap);
    state.timers.scanGap = null;
  }

  function takeScanFromField() {
    const text = el.scanInput.value;
    el.scanInput.value = ''; // the next scan starts clean, even while this one is being sent
    resetKeyTiming();
    submitScan(text);
  }

  /** Every scan and every command button comes through here, in the order they happened. */
  function submitScan(text) {
    if (!state.token || text.trim() === '') return;
    const now = performance.now();
    if (isBounce(text, now)) return; // scanner echo: silently dropped, like the server does
    state.lastTaken = { text, at: now };
    restartIdleResetTimer(true);
    state.queue.push(text);
    pumpQueue();
  }

  function isBounce(text, now) {
    const last = state.lastTaken;
    if (!last || last.text.trim() !== text.trim()) return false;
    const since = now - last.at;
    return since >= 0 && since < state.settings.bounceMillis;
  }

  // ---------------------------------------------------------------------------------------------
  // Sending scans, strictly one at a time and in order
  // ---------------------------------------------------------------------------------------------

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
        if (res.ok && isObject(res.data) && typeof res.data.outcome === 'string') {
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

  function isAccepted(result) {
    return result.accepted === true || result.outcome === 'ACCEPTED';
  }

  function handleScanResult(result, text) {
    state.resultSeq += 1;
    restartIdleResetTimer(true); // from the answer too, so ours never fires before the server's
    setLastOutcome(result.outcome, stringOrNull(result.reason));
    if (result.outcome === 'IGNORED') return; // scanner echo seen by the server: nothing visible

    applyStationFields(result);
    if (result.reason === 'FINISH_NEEDS_CONFIRMATION') {
      // A fresh question: ask it even if an earlier one was waved off (and even if a server
      // build forgot to set pendingFinish alongside the reason).
      state.station.pendingFinish = true;
      state.finishPromptDismissed = false;
    }

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

  function statusKind(feedback) {
    if (feedback === 'error' || feedback === 'warn') return feedback;
    return 'ok';
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

  // ---------------------------------------------------------------------------------------------
  // Finish-short confirmation
  // ---------------------------------------------------------------------------------------------

  /** Shows or hides the panel to match the server's pendingFinish, unless the user waved it off. */
  function syncConfirmPanel() {
    if (!state.station.pendingFinish) {
      state.finishPromptDismissed = false;
      closeConfirm();
    } else if (!state.finishPromptDismissed) {
      openConfirm();
    }
  }

  function openConfirm() {
    const s = state.station;
    const parent = s.parent || 'This parent';
    el.confirmText.textContent =
      s.limit === null ? `${parent} has ${s.count}. Finish it short?` : `${parent} has ${s.count} of ${s.limit}. Finish it short?`;
    if (!el.confirmPanel.hidden) return;
    el.confirmPanel.hidden = false;
    holdConfirmDuringBounce();
    focusScan(); // scanner input keeps flowing; a second CMD-FINISH scan confirms
  }

  /**
   * Within the bounce window a second CMD-FINISH is dropped as an echo, so a tap on Confirm
   * there would silently do nothing. Keep the button disabled until it can work.
   */
  function holdConfirmDuringBounce() {
    clearTimeout(state.timers.confirmEnable);
    const last = state.lastTaken;
    const remaining =
      last && last.text.trim() === COMMAND_TEXT.FINISH ? state.settings.bounceMillis - (performance.now() - last.at) : 0;
    el.btnConfirm.disabled = remaining > 0;
    if (remaining > 0) {
      state.timers.confirmEnable = setTimeout(() => {
        el.btnConfirm.disabled = false;
      }, remaining);
    }
  }

  function closeConfirm() {
    clearTimeout(state.timers.confirmEnable);
    el.btnConfirm.disabled = false;
    el.confirmPanel.hidden = true;
  }

  function onConfirmFinish() {
    submitScan(COMMAND_TEXT.FINISH); // the answer (pendingFinish false) closes the panel
    focusScan();
  }

  /** Closes the panel and stays on the parent. Sends nothing, on purpose. */
  function onKeepScanning() {
    state.finishPromptDismissed = true;
    closeConfirm();
    const parent = state.station.parent;
    setStatus('info', parent ? `Still on ${parent} – keep scanning children.` : 'Keep scanning.');
    focusScan();
  }

  // ---------------------------------------------------------------------------------------------
  // Idle reset
  // ---------------------------------------------------------------------------------------------

  function idleResetMs() {
    return state.settings.idleResetMinutes * 60 * 1000;
  }

  /** activity: true when a scan happened (moves the idle clock), false to just re-arm. */
  function restartIdleResetTimer(activity) {
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
  function checkIdleOverdue() {
    if (state.timers.idleReset !== null && Date.now() - state.lastScanAt >= idleResetMs()) {
      clearTimeout(state.timers.idleReset);
      onIdleReset();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Focus: the scan field must always be ready for the scanner
  // ---------------------------------------------------------------------------------------------

  function focusScan() {
    if (state.view !== 'station' || document.visibilityState === 'hidden') return;
    if (document.activeElement !== el.scanInput) el.scanInput.focus({ preventScroll: true });
  }

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

  // ---------------------------------------------------------------------------------------------
  // Sync with the hub: the status strip and this dock's conflicts
  // ---------------------------------------------------------------------------------------------

  /** "12 s", "5 min", "3 h", "2 days": how long ago, or how old, at a glance. */
  function ageText(ms) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '';
    const s = Math.floor(ms / 1000);
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min`;
    if (s < 48 * 3600) return `${Math.floor(s / 3600)} h`;
    return `${Math.floor(s / 86400)} days`;
  }

  function sinceText(iso) {
    const at = typeof iso === 'string' ? Date.parse(iso) : NaN;
    return Number.isNaN(at) ? null : `${ageText(Math.max(0, Date.now() - at))} ago`;
  }

  function scheduleSyncPoll(delayMs = CONFIG.syncPollMs) {
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
        if (res.ok && isObject(res.data) && Array.isArray(res.data.conflicts)) renderConflicts(res.data.conflicts);
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
    setSyncItem(el.syncPending, enrolled ? `${pending} scan${pending === 1 ? '' : 's'} waiting to sync` : '');
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

  /** One line per conflict: what was refused and why, the bags, the other dock, when; and the button. */
  function renderConflicts(list) {
    const shown = list.filter(isObject).slice(0, CONFIG.conflictsShown);
    el.conflicts.replaceChildren(...shown.map(conflictItem));
    el.conflictsPanel.hidden = shown.length === 0;
  }

  function conflictItem(c) {
    const li = document.createElement('li');
    li.className = 'conflict';
    const id = typeof c.id === 'number' ? c.id : null;
    if (id !== null) li.dataset.conflictId = String(id);
    const bags = [stringOrNull(c.child), stringOrNull(c.parent)].filter(Boolean);
    li.append(textSpan('conflict-code', stringOrNull(c.code) || 'CONFLICT'));
    li.append(textSpan('conflict-message', stringOrNull(c.message) || 'The hub did not take this scan.'));
    if (bags.length) li.append(textSpan('conflict-bags', bags.join(' → ')));
    const other = [stringOrNull(c.otherParent) ? `now in ${c.otherParent}` : null,
      stringOrNull(c.otherDock) ? `by dock ${c.otherDock}` : null].filter(Boolean);
    if (other.length) li.append(textSpan('conflict-other', other.join(' ')));
    const when = sinceText(c.hubAt);
    const who = [stringOrNull(c.actor), when].filter(Boolean).join(', ');
    if (who) li.append(textSpan('conflict-when', who));
    if (id !== null) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn btn-small btn-ack';
      button.textContent = 'Acknowledge';
      button.disabled = state.acknowledging.has(id);
      button.addEventListener('click', () => acknowledgeConflict(id, li));
      li.append(button);
    }
    return li;
  }

  async function acknowledgeConflict(id, item) {
    if (state.acknowledging.has(id)) return;
    state.acknowledging.add(id);
    const button = item.querySelector('button');
    if (button) button.disabled = true;
    try {
      const res = await apiRequest('POST', `/api/conflicts/${encodeURIComponent(String(id))}/ack`, {});
      if (res.status === 401) {
        expireSession([]);
        return;
      }
      if (res.ok || res.status === 404) item.remove(); // 404: acknowledged elsewhere meanwhile
      el.conflictsPanel.hidden = el.conflicts.children.length === 0;
    } finally {
      state.acknowledging.delete(id);
      if (button) button.disabled = false;
      focusScan();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Views and session
  // ---------------------------------------------------------------------------------------------

  function showSignIn(errorText) {
    state.view = 'signin';
    el.stationView.hidden = true;
    el.signinView.hidden = false;
    showSignInError(errorText);
    renderAll();
    (el.userInput.value ? el.passwordInput : el.userInput).focus();
  }

  function showSignInError(text) {
    el.signinError.textContent = text || '';
    el.signinError.hidden = !text;
  }

  function showStationView() {
    state.view = 'station';
    el.signinView.hidden = true;
    el.stationView.hidden = false;
    renderAll();
    focusScan();
    scheduleSyncPoll(0);
  }

  /** Forgets the session in this tab; the server side is handled by the caller (or has expired). */
  function clearSessionLocally() {
    state.token = null;
    storageSet('sessionStorage', STORAGE_KEYS.token, null);
    state.queue = [];
    state.lastTaken = null;
    state.recent = [];
    state.station = emptyStation();
    state.finishPromptDismissed = false;
    state.awaitingFirstSnapshot = false;
    resetKeyTiming();
    clearTimeout(state.timers.idleReset);
    state.timers.idleReset = null;
    el.scanInput.value = '';
    closeConfirm();
    setStatus('info', 'Ready.');
  }

  /** The server no longer knows this token (401 NOT_SIGNED_IN): back to the sign-in form. */
  function expireSession(notRecorded) {
    clearSessionLocally();
    let text = 'Your session has ended – please sign in again.';
    if (notRecorded.length > 0) {
      text += ` NOT RECORDED – scan again: ${notRecorded.map(displayText).join(', ')}`;
    }
    setLastOutcome('ERROR', 'NOT_SIGNED_IN');
    showSignIn(text);
  }

  async function onSignInSubmit(event) {
    event.preventDefault();
    if (state.signingIn) return;
    const station = el.stationInput.value.trim();
    const user = el.userInput.value.trim();
    const password = el.passwordInput.value;
    if (!station || !user || !password) {
      showSignInError('Enter the station, your user name and your password.');
      return;
    }

    setSigningIn(true);
    showSignInError('');
    try {
      const res = await apiRequest('POST', '/api/session', { body: { station, user, password }, token: null });
      if (res.ok && isObject(res.data) && stringOrNull(res.data.token)) {
        await startSession(res.data, station, user);
      } else if (res.network) {
        showSignInError('Dock server unreachable – check that the TraceTrack dock service is running, then try again.');
      } else {
        showSignInError(problemText(res, 'Sign-in failed'));
        el.passwordInput.select();
      }
    } finally {
      setSigningIn(false);
    }
  }

  function setSigningIn(busy) {
    state.signingIn = busy;
    el.signinSubmit.disabled = busy;
    el.signinSubmit.textContent = busy ? 'Signing in…' : 'Sign in';
  }

  async function startSession(session, station, user) {
    state.token = session.token;
    storageSet('sessionStorage', STORAGE_KEYS.token, session.token);
    storageSet('localStorage', STORAGE_KEYS.lastStation, station);
    state.session = { station: stringOrNull(session.station) || station, user: stringOrNull(session.user) || user };
    el.passwordInput.value = '';
    state.station = emptyStation();
    state.recent = [];
    state.awaitingFirstSnapshot = false; // the greeting below stays; the snapshot only fills in state
    showStationView();
    const name = state.session.user;
    setStatus('info', session.created === true ? `Welcome, new dispatcher ${name}` : `Signed in as ${name}.`);
    restartIdleResetTimer(true);
    await refreshStation();
  }

  async function onSignOut() {
    const token = state.token;
    clearSessionLocally();
    showSignIn('');
    if (token) await apiRequest('DELETE', '/api/session', { token, timeoutMs: CONFIG.signOutTimeoutMs });
  }

  /** A reload in the same tab keeps the token: resume where the station was. */
  function resumeSession(token) {
    state.token = token;
    state.awaitingFirstSnapshot = true;
    showStationView();
    setStatus('info', 'Connecting to the dock server…');
    restartIdleResetTimer(true);
    refreshStation();
  }

  // ---------------------------------------------------------------------------------------------
  // Start-up
  // ---------------------------------------------------------------------------------------------

  function bindElements() {
    const ids = {
      flash: 'flash',
      offlineBanner: 'offline-banner',
      signinView: 'signin-view',
      signinForm: 'signin-form',
      stationInput: 'station-input',
      userInput: 'user-input',
      passwordInput: 'password-input',
      signinSubmit: 'signin-submit',
      signinError: 'signin-error',
      stationView: 'station-view',
      who: 'who',
      mode: 'mode',
      modeTitle: 'mode-title',
      modeHint: 'mode-hint',
      scanInput: 'scan-input',
      parentCode: 'parent-code',
      counterBox: 'counter-box',
      counter: 'counter',
      counterLabel: 'counter-label',
      recent: 'recent',
      status: 'status',
      message: 'message',
      reason: 'reason',
      btnUndo: 'btn-undo',
      btnFinish: 'btn-finish',
      btnCancel: 'btn-cancel',
      btnSignout: 'btn-signout',
      confirmPanel: 'confirm-panel',
      confirmText: 'confirm-text',
      btnConfirm: 'btn-confirm',
      btnKeep: 'btn-keep',
      syncOnline: 'sync-online',
      syncPending: 'sync-pending',
      syncOldest: 'sync-oldest',
      syncLast: 'sync-last',
      syncBootstrap: 'sync-bootstrap',
      syncError: 'sync-error',
      syncPullError: 'sync-pull-error',
      syncNotice: 'sync-notice',
      conflictsPanel: 'conflicts-panel',
      conflicts: 'conflicts',
    };
    for (const [key, id] of Object.entries(ids)) el[key] = document.getElementById(id);
  }

  function commandButton(text) {
    return () => {
      submitScan(text);
      focusScan();
    };
  }

  function wireEvents() {
    el.signinForm.addEventListener('submit', onSignInSubmit);
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

  function initStationPage() {
    bindElements();
    wireEvents();
    el.stationInput.value = storageGet('localStorage', STORAGE_KEYS.lastStation) || DEFAULT_STATION_NAME;
    const token = storageGet('sessionStorage', STORAGE_KEYS.token);
    if (token) resumeSession(token);
    else showSignIn('');
  }

  function initCommandsPage() {
    const button = document.getElementById('btn-print');
    if (button) button.addEventListener('click', () => window.print());
  }

  if (document.body.classList.contains('commands-page')) initCommandsPage();
  else initStationPage();
})();
