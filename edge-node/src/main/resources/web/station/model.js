// The station as the page shows it, as pure functions of the dock server's answers: the mode, the
// n / limit counter, which feedback a scan result gets, the recent-scans list. No page, no state:
// Node's test runner checks each of the counter's states (edge-node/src/test/js/model.test.mjs).

import { displayText, isObject, numberOrNull, stringOrNull } from './text.js';

/** Parent mode, no parent: what a station is after sign-in, CANCEL, FINISH or an idle reset. */
export function emptyStation() {
  return { mode: 'PARENT', parent: null, count: 0, limit: null, complete: false, pendingFinish: false };
}

/**
 * The station fields a ScanResult and the /api/station snapshot have in common, read defensively
 * into a new station: a missing count is 0, a missing limit is unknown, an unknown mode keeps the
 * previous one. A refused scan carries the station too, so the counter shows where it stands.
 */
export function withStationFields(station, source) {
  return {
    mode: source.mode === 'PARENT' || source.mode === 'CHILD' ? source.mode : station.mode,
    parent: stringOrNull(source.parent),
    count: numberOrNull(source.count) ?? 0,
    limit: numberOrNull(source.limit),
    complete: source.complete === true,
    pendingFinish: source.pendingFinish === true,
  };
}

/** The station after a scan answer (not IGNORED): its fields, and a fresh finish-short question. */
export function afterScanResult(station, result) {
  const next = withStationFields(station, result);
  // a server build that forgot to set pendingFinish alongside the reason still asks the question
  if (result.reason === 'FINISH_NEEDS_CONFIRMATION') next.pendingFinish = true;
  return next;
}

/** 'signin' | 'receiving' | 'parent' | 'child' | 'complete' — also the test hook on body[data-state]. */
export function stationPhase(view, station, receipt = null) {
  if (view !== 'station') return 'signin';
  if (receipt) return 'receiving';
  if (station.complete) return 'complete';
  return station.mode === 'CHILD' ? 'child' : 'parent';
}

/**
 * The big counter: "– / –" with no parent, "n / limit" on one ("n / –" while the limit is
 * unknown), and marked COMPLETE once the parent is full or finished.
 */
export function counterView(station) {
  return {
    text: station.parent ? `${station.count} / ${station.limit ?? '–'}` : '– / –',
    complete: station.complete,
  };
}

/** The mode banner: its class, title and hint. */
export function modeView(station) {
  const child = station.mode === 'CHILD';
  let hint = 'Scan a parent bag';
  if (child && station.complete) hint = `${station.parent || 'Parent'} is complete – scan the next parent bag`;
  else if (child) hint = `Scan children into ${station.parent || 'the parent'}`;
  return {
    className: `mode ${child ? 'mode-child' : 'mode-parent'}${station.complete ? ' mode-complete' : ''}`,
    title: child ? 'CHILD MODE' : 'PARENT MODE',
    hint,
  };
}

/** The finish-short question for the confirmation panel. */
export function finishShortQuestion(station) {
  const parent = station.parent || 'This parent';
  return station.limit === null
    ? `${parent} has ${station.count}. Finish it short?`
    : `${parent} has ${station.count} of ${station.limit}. Finish it short?`;
}

export function isAccepted(result) {
  return result.accepted === true || result.outcome === 'ACCEPTED';
}

/** Which flash, tone and vibration a scan answer gets. */
export function feedbackKind(result) {
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

/** The status panel's colour for a feedback kind: 'ok' | 'warn' | 'error'. */
export function statusKind(feedback) {
  if (feedback === 'error' || feedback === 'warn') return feedback;
  return 'ok';
}

/** The server's recent scans, newest first whatever order it used, at most max. */
export function normaliseRecent(list, max) {
  if (!Array.isArray(list)) return [];
  const entries = list.filter(isObject).map((item) => ({
    at: stringOrNull(item.at),
    code: item.code == null ? '—' : displayText(item.code),
    accepted: item.accepted === true,
    reason: stringOrNull(item.reason),
    message: stringOrNull(item.message),
    hubRefused: stringOrNull(item.hubRefused),
  }));
  // sort only when every time parses
  const times = entries.map((entry) => Date.parse(entry.at));
  if (times.every(Number.isFinite)) {
    const order = entries.map((entry, index) => ({ entry, time: times[index] }));
    order.sort((a, b) => b.time - a.time);
    return order.slice(0, max).map((item) => item.entry);
  }
  return entries.slice(0, max);
}

/**
 * A recent scan's mark: the dock's answer at the time, unless the hub later refused the op it made
 * (then the green tick would be a lie).
 */
export function recentMark(entry) {
  if (entry.accepted && entry.hubRefused) {
    return { className: 'recent-refused', mark: '✗', spoken: 'refused by the hub', note: `refused by the hub: ${entry.hubRefused}` };
  }
  if (entry.accepted) return { className: 'recent-ok', mark: '✓', spoken: 'accepted', note: entry.message || '' };
  return { className: 'recent-bad', mark: '✗', spoken: 'rejected', note: entry.reason || 'REJECTED' };
}

/**
 * How a conflict ended at the hub, in words ("Resolved at the hub by amir: MOVE — C900 is now on
 * P5001-5"), or null while it is open. childNowOn is the child's parent in the hub's record as the
 * dock last heard it.
 */
export function conflictOutcome(c) {
  if (!isObject(c)) return null;
  const action = stringOrNull(c.resolution);
  if (!action) return null;
  const by = stringOrNull(c.resolvedBy);
  const head = `Resolved at the hub${by ? ` by ${displayText(by)}` : ''}: ${displayText(action)}`;
  const child = stringOrNull(c.child);
  const now = stringOrNull(c.childNowOn);
  const where = child && now ? `${displayText(child)} is now on ${displayText(now)}` : null;
  switch (action) {
    case 'MOVE': return `${head} — ${where || 'the scan was made to stand'}`;
    case 'KEEP': return `${head} — the hub's record stands${where ? `: ${where}` : ''}`;
    case 'DISMISS': return `${head} — closed with no change${where ? `: ${where}` : ''}`;
    default: return head;
  }
}

/**
 * What the sign-in card promises about new names, from the dock's status: a dock on its own makes a
 * new name and password a local dispatcher; one that has the hub's users refuses names the hub does
 * not know.
 */
export function signInHint(status) {
  if (isObject(status) && status.usersFromHub === true) {
    return 'Dispatchers come from the hub: sign in with the name and password your admin gave you.';
  }
  if (isObject(status) && status.enrolled === true) {
    return 'This dock has not heard the hub\'s users yet: a new name and password create a local dispatcher for now.';
  }
  return 'On a new dock, a new name and password create a local dispatcher.';
}

// ---------------------------------------------------------------- receiving a load

/**
 * The receipt open at the station (from a receiving answer or GET /api/receipt), read defensively;
 * null when the station is not receiving.
 */
export function readReceipt(source) {
  if (!isObject(source) || !stringOrNull(source.bill)) return null;
  const lines = (list) => (Array.isArray(list) ? list.filter(isObject).map((line) => ({
    code: line.code == null ? '—' : displayText(line.code),
    by: stringOrNull(line.by),
    at: stringOrNull(line.at),
    children: numberOrNull(line.children),
  })) : []);
  const earlier = isObject(source.earlier) ? {
    closedBy: stringOrNull(source.earlier.closedBy),
    closedAt: stringOrNull(source.earlier.closedAt),
    received: numberOrNull(source.earlier.received) ?? 0,
  } : null;
  return {
    bill: displayText(source.bill),
    expected: numberOrNull(source.expected) ?? 0,
    received: lines(source.received),
    missing: Array.isArray(source.missing) ? source.missing.map((code) => displayText(code)) : [],
    extra: lines(source.extra),
    earlier,
    confirming: stringOrNull(source.confirming),
  };
}

/** The receiving banner and its counter: received of the parents the manifest listed. */
export function receiptBanner(receipt) {
  const got = receipt.received.length;
  const all = receipt.expected > 0 && got === receipt.expected;
  let hint = 'Scan each parent as it comes off the vehicle · FINISH closes the receipt';
  if (all) hint = 'Every parent received – FINISH closes the receipt';
  if (receipt.confirming === 'FINISH') hint = 'Parents are missing – FINISH again closes the receipt without them';
  if (receipt.confirming === 'CANCEL') hint = 'CANCEL again drops this receipt and its scans';
  return {
    className: `mode mode-receiving${all ? ' mode-complete' : ''}`,
    title: `RECEIVING BILL ${receipt.bill}`,
    hint,
    counter: `${got} / ${receipt.expected}`,
    complete: all,
  };
}

/**
 * Which flash and tone a receiving answer gets: a parent received is a good beep, the last one a
 * complete; an extra, a repeat or a question is amber; anything refused is red.
 */
export function receiptFeedbackKind(result) {
  if (!isAccepted(result)) {
    return result.reason === 'ALREADY_RECEIVED' || result.reason === 'FINISH_NEEDS_CONFIRMATION' ? 'warn' : 'error';
  }
  if (result.reason === 'NOT_ON_BILL') return 'warn';
  if (isObject(result.closed)) return 'complete';
  const receipt = readReceipt(result.receipt);
  if (receipt && receiptBanner(receipt).complete) return 'complete';
  return 'parent';
}
