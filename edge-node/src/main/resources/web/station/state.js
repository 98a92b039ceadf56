// The page's one state, its tuning and its elements. Every station module reads and writes this
// state rather than keeping its own copy, so there is one answer to "where does the station stand".

import { FRAMING } from '../scan-kit.js';
import { emptyStation } from './model.js';

/** Tuning. The scan-framing numbers are the web kit's (scan-kit.js), from the product spec. */
export const CONFIG = Object.freeze({
  defaultBounceMs: FRAMING.bounceMs, // until the dock server says otherwise
  defaultIdleResetMinutes: 10,
  recentMax: 8,
  retryMs: 5000,
  scanTimeoutMs: 8000, // a hung request would otherwise stall every scan queued behind it
  requestTimeoutMs: 15000, // sign-in hashes a password; give it longer
  signOutTimeoutMs: 5000,
  notRecordedListMax: 5,
  syncPollMs: 5000, // the sync strip and the conflicts list are re-read this often
  conflictsShown: 20,
});

export const STORAGE_KEYS = Object.freeze({
  token: 'tracetrack.station.token', // sessionStorage: dies with the tab
  lastStation: 'tracetrack.station.lastStation', // localStorage: the dock PC keeps its name
});

/** The single source of truth for this page. */
export const state = {
  view: 'signin', // 'signin' | 'station'
  token: null,
  signingIn: false,
  session: { station: '', user: '' },
  station: emptyStation(),
  receipt: null, // the receipt open at this station (readReceipt), or null when it is not receiving
  settings: { bounceMillis: CONFIG.defaultBounceMs, idleResetMinutes: CONFIG.defaultIdleResetMinutes },
  recent: [], // newest first: { at, code, accepted, reason, message }
  queue: [], // raw scan texts waiting to be sent, oldest first
  sending: false,
  resultSeq: 0, // bumps on every scan answer; lets a slower snapshot know it is stale
  lastTaken: null, // { text, at } of the last scan taken, for the bounce filter
  awaitingFirstSnapshot: false,
  lastScanAt: Date.now(),
  finishPromptDismissed: false,
  timers: { idleReset: null, retry: null, confirmEnable: null, sync: null },
  acknowledging: new Set(), // conflict ids whose acknowledgement is on its way
  conflictsSeen: null, // the open conflicts the last poll saw (ids, ops, outcomes): a change re-reads the recent list
};

/** Elements by role; filled once at start by bindElements. */
export const el = {};

const ELEMENT_IDS = Object.freeze({
  flash: 'flash',
  offlineBanner: 'offline-banner',
  signinView: 'signin-view',
  signinForm: 'signin-form',
  stationInput: 'station-input',
  userInput: 'user-input',
  passwordInput: 'password-input',
  signinSubmit: 'signin-submit',
  signinError: 'signin-error',
  signinHint: 'signin-hint',
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
  receiptPanel: 'receipt-panel',
  receiptTitle: 'receipt-title',
  receiptCounter: 'receipt-counter',
  receiptMissing: 'receipt-missing',
  receiptMissingCount: 'receipt-missing-count',
  receiptReceived: 'receipt-received',
  receiptExtra: 'receipt-extra',
  receiptEarlier: 'receipt-earlier',
});

export function bindElements() {
  for (const [key, id] of Object.entries(ELEMENT_IDS)) el[key] = document.getElementById(id);
}
