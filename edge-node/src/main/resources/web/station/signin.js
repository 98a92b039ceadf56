// Signing in and out, and the two views. The token lives in sessionStorage (it dies with the
// tab; a reload in the same tab resumes), the station name in localStorage (the dock PC keeps it).

import { CONFIG, STORAGE_KEYS, el, state } from './state.js';
import { apiRequest, problemText } from './api.js';
import { emptyStation, signInHint } from './model.js';
import { displayText, isObject, stringOrNull } from './text.js';
import { closeConfirm } from './finish.js';
import { restartIdleResetTimer, stopIdleResetTimer } from './idle.js';
import { resetKeyTiming } from './scanning.js';
import { refreshStation } from './snapshot.js';
import { scheduleSyncPoll } from './sync-strip.js';
import { focusScan, renderAll, setLastOutcome, setStatus } from './view.js';

const DEFAULT_STATION_NAME = 'station-1';

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

/** At start: the form with this PC's station name, or the station again after a reload. */
export function startSignIn() {
  el.stationInput.value = storageGet('localStorage', STORAGE_KEYS.lastStation) || DEFAULT_STATION_NAME;
  const token = storageGet('sessionStorage', STORAGE_KEYS.token);
  if (token) resumeSession(token);
  else showSignIn('');
}

function showSignIn(errorText) {
  state.view = 'signin';
  el.stationView.hidden = true;
  el.signinView.hidden = false;
  showSignInError(errorText);
  renderAll();
  (el.userInput.value ? el.passwordInput : el.userInput).focus();
  explainNewNames();
}

/** The card's promise about new names follows the dock: on its own, or with the hub's users. */
async function explainNewNames() {
  const res = await apiRequest('GET', '/api/status', { token: null });
  if (res.ok && isObject(res.data)) el.signinHint.textContent = signInHint(res.data);
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
  state.receipt = null;
  state.finishPromptDismissed = false;
  state.awaitingFirstSnapshot = false;
  resetKeyTiming();
  stopIdleResetTimer();
  el.scanInput.value = '';
  closeConfirm();
  setStatus('info', 'Ready.');
}

/** The server no longer knows this token (401 NOT_SIGNED_IN): back to the sign-in form. */
export function expireSession(notRecorded) {
  clearSessionLocally();
  let text = 'Your session has ended – please sign in again.';
  if (notRecorded.length > 0) {
    text += ` NOT RECORDED – scan again: ${notRecorded.map(displayText).join(', ')}`;
  }
  setLastOutcome('ERROR', 'NOT_SIGNED_IN');
  showSignIn(text);
}

export async function onSignInSubmit(event) {
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
  state.receipt = null;
  state.recent = [];
  state.awaitingFirstSnapshot = false; // the greeting below stays; the snapshot only fills in state
  showStationView();
  const name = state.session.user;
  setStatus('info', session.created === true ? `Welcome, new dispatcher ${name}` : `Signed in as ${name}.`);
  restartIdleResetTimer(true);
  await refreshStation();
}

export async function onSignOut() {
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
