// The station's counter and mode as pure functions of the dock server's answers: each state the
// n / limit counter can be in, and what a malformed answer does to it (nothing harmful).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  afterScanResult, conflictOutcome, counterView, emptyStation, feedbackKind, finishShortQuestion, modeView, normaliseRecent, recentMark,
  readReceipt, receiptBanner, receiptFeedbackKind, signInHint,
  stationPhase, statusKind, withStationFields,
} from '../../main/resources/web/station/model.js';

const onParent = (fields) => withStationFields(emptyStation(), { mode: 'CHILD', parent: 'P1001-30', limit: 30, ...fields });

test('empty: no parent, the counter shows no numbers, parent mode', () => {
  const s = emptyStation();
  assert.deepEqual(counterView(s), { text: '– / –', complete: false });
  assert.equal(stationPhase('station', s), 'parent');
  assert.deepEqual(modeView(s), { className: 'mode mode-parent', title: 'PARENT MODE', hint: 'Scan a parent bag' });
});

test('counting: n of the limit, child mode, naming the parent', () => {
  for (const n of [0, 1, 29]) {
    const s = onParent({ count: n });
    assert.deepEqual(counterView(s), { text: `${n} / 30`, complete: false });
    assert.equal(stationPhase('station', s), 'child');
  }
  assert.equal(modeView(onParent({ count: 1 })).hint, 'Scan children into P1001-30');
});

test('counting with the limit unknown: the limit shows as a dash', () => {
  assert.equal(counterView(onParent({ count: 4, limit: undefined })).text, '4 / –');
});

test('full: 30 of 30 is complete, and the hint asks for the next parent', () => {
  const s = onParent({ count: 30, complete: true });
  assert.deepEqual(counterView(s), { text: '30 / 30', complete: true });
  assert.equal(stationPhase('station', s), 'complete');
  assert.deepEqual(modeView(s), {
    className: 'mode mode-child mode-complete', title: 'CHILD MODE',
    hint: 'P1001-30 is complete – scan the next parent bag',
  });
});

test('finished short: complete below the limit', () => {
  const s = afterScanResult(onParent({ count: 12 }), { outcome: 'ACCEPTED', kind: 'COMMAND', command: 'FINISH',
    mode: 'CHILD', parent: 'P1001-30', count: 12, limit: 30, complete: true });
  assert.deepEqual(counterView(s), { text: '12 / 30', complete: true });
});

test('refused: a refusal carries the station, so the counter stays where it stands', () => {
  const full = onParent({ count: 30, complete: true });
  const refusal = { outcome: 'REJECTED', accepted: false, kind: 'CHILD', reason: 'PARENT_FULL', code: 'C31',
    mode: 'CHILD', parent: 'P1001-30', count: 30, limit: 30, complete: true };
  const s = afterScanResult(full, refusal);
  assert.deepEqual(counterView(s), { text: '30 / 30', complete: true });
  assert.equal(feedbackKind(refusal), 'error');
  assert.equal(statusKind(feedbackKind(refusal)), 'error');
});

test('finish short asked: the question is pending, amber not red', () => {
  const question = { outcome: 'REJECTED', reason: 'FINISH_NEEDS_CONFIRMATION', kind: 'COMMAND', mode: 'CHILD',
    parent: 'P1001-30', count: 7, limit: 30 };
  const s = afterScanResult(onParent({ count: 7 }), question);
  assert.equal(s.pendingFinish, true, 'asked even when the server forgot to set pendingFinish');
  assert.equal(feedbackKind(question), 'warn');
  assert.equal(finishShortQuestion(s), 'P1001-30 has 7 of 30. Finish it short?');
  assert.equal(finishShortQuestion({ ...s, limit: null }), 'P1001-30 has 7. Finish it short?');
});

test('back to parent mode (CANCEL, idle reset): the counter empties', () => {
  const s = afterScanResult(onParent({ count: 5 }), { outcome: 'ACCEPTED', kind: 'COMMAND', command: 'CANCEL',
    mode: 'PARENT', parent: null, count: 0 });
  assert.deepEqual(counterView(s), { text: '– / –', complete: false });
  assert.equal(stationPhase('station', s), 'parent');
});

test('signed out: the phase is signin whatever the station', () => {
  assert.equal(stationPhase('signin', onParent({ count: 30, complete: true })), 'signin');
});

test('a malformed answer never shows garbage: count 0, limit unknown, mode kept', () => {
  const s = withStationFields(onParent({ count: 3 }), { mode: 'SIDEWAYS', parent: 'P9', count: '3', limit: 'lots',
    complete: 'yes' });
  assert.equal(s.mode, 'CHILD');
  assert.deepEqual(counterView(s), { text: '0 / –', complete: false });
  assert.deepEqual(counterView(withStationFields(s, { parent: '', count: Infinity })), { text: '– / –', complete: false });
});

test('each accepted scan has its own sound', () => {
  const ok = { outcome: 'ACCEPTED', accepted: true };
  assert.equal(feedbackKind({ ...ok, kind: 'PARENT' }), 'parent');
  assert.equal(feedbackKind({ ...ok, kind: 'CHILD' }), 'child');
  assert.equal(feedbackKind({ ...ok, kind: 'CHILD', complete: true }), 'complete');
  assert.equal(feedbackKind({ ...ok, kind: 'COMMAND', command: 'UNDO' }), 'command');
  assert.equal(statusKind('child'), 'ok');
});

test('recent scans: newest first, at most the limit, codes shown as text', () => {
  const list = normaliseRecent([
    { at: '2026-01-01T10:00:00Z', code: 'C1', accepted: true },
    { at: '2026-01-01T10:00:02Z', code: 'C\u00072', accepted: false, reason: 'DUPLICATE' },
    { at: '2026-01-01T10:00:01Z', code: null },
    'junk',
  ], 2);
  assert.deepEqual(list.map((e) => e.code), ['C\ufffd2', '—']);
  assert.deepEqual(normaliseRecent('nope', 8), []);
});

test('a conflict closed at the hub says how it ended, who closed it and where the child is now', () => {
  const refused = { id: 78, code: 'CHILD_ALREADY_LINKED', child: 'C900', parent: 'P5001-5', otherParent: 'P5002-5' };
  assert.equal(conflictOutcome(refused), null); // still open: the refusal is the news
  assert.equal(conflictOutcome({ ...refused, resolution: 'MOVE', resolvedBy: 'amir', childNowOn: 'P5001-5' }),
    'Resolved at the hub by amir: MOVE — C900 is now on P5001-5');
  assert.equal(conflictOutcome({ ...refused, resolution: 'KEEP', resolvedBy: 'amir', childNowOn: 'P5002-5' }),
    "Resolved at the hub by amir: KEEP — the hub's record stands: C900 is now on P5002-5");
  assert.equal(conflictOutcome({ ...refused, resolution: 'DISMISS', childNowOn: 'P5002-5' }),
    'Resolved at the hub: DISMISS — closed with no change: C900 is now on P5002-5');
  assert.equal(conflictOutcome({ ...refused, resolution: 'MOVE' }), 'Resolved at the hub: MOVE — the scan was made to stand');
  assert.equal(conflictOutcome(null), null);
  assert.equal(conflictOutcome({ resolution: 42 }), null);
});

test('a recent scan the hub refused later loses its green tick', () => {
  const [taken, refused, rejected] = normaliseRecent([
    { at: '2026-12-05T10:00:03Z', code: 'P5001-5', accepted: true },
    { at: '2026-12-05T10:00:02Z', code: 'C900', accepted: true, hubRefused: 'CHILD_ALREADY_LINKED' },
    { at: '2026-12-05T10:00:01Z', code: 'C1', accepted: false, reason: 'PARENT_COMPLETE' },
  ], 8);
  assert.equal(recentMark(taken).className, 'recent-ok');
  assert.deepEqual(recentMark(refused), { className: 'recent-refused', mark: '✗', spoken: 'refused by the hub',
    note: 'refused by the hub: CHILD_ALREADY_LINKED' });
  assert.equal(recentMark(rejected).className, 'recent-bad');
  assert.equal(recentMark(rejected).note, 'PARENT_COMPLETE');
});

test('the sign-in card promises local dispatchers only where the dock makes them', () => {
  assert.match(signInHint({ enrolled: false, usersFromHub: false }), /create a local dispatcher/);
  assert.match(signInHint({ enrolled: true, usersFromHub: true }), /come from the hub/);
  assert.doesNotMatch(signInHint({ enrolled: true, usersFromHub: true }), /local dispatcher/);
  assert.match(signInHint({ enrolled: true, usersFromHub: false }), /not heard the hub's users yet/);
  assert.match(signInHint(null), /create a local dispatcher/);
});

// ---------------------------------------------------------------- receiving

const RECEIPT = {
  bill: 'BILL0042', expected: 3, missing: ['SB12345', 'P1002-5'], confirming: null,
  received: [{ code: 'P1001-30', by: 'dana', at: '2026-12-06T08:11:00Z', children: 30 }],
  extra: [{ code: 'P9000-5', by: 'omar', at: '2026-12-06T08:12:00Z', children: null }],
};

test('receiving: the banner counts received of the manifest, and the page says receiving', () => {
  const r = readReceipt(RECEIPT);
  assert.equal(stationPhase('station', emptyStation(), r), 'receiving');
  assert.equal(stationPhase('signin', emptyStation(), r), 'signin');
  const banner = receiptBanner(r);
  assert.equal(banner.title, 'RECEIVING BILL BILL0042');
  assert.equal(banner.counter, '1 / 3');
  assert.equal(banner.complete, false);
  assert.match(banner.hint, /FINISH closes the receipt/);
  assert.equal(receiptBanner(readReceipt({ ...RECEIPT, confirming: 'FINISH' })).hint,
    'Parents are missing – FINISH again closes the receipt without them');
});

test('receiving: every parent in, the banner and counter turn complete', () => {
  const all = readReceipt({ ...RECEIPT, missing: [], received: ['P1', 'P2', 'P3'].map((code) => ({ code })) });
  assert.deepEqual([receiptBanner(all).counter, receiptBanner(all).complete], ['3 / 3', true]);
  assert.match(receiptBanner(all).className, /mode-complete/);
});

test('receiving: a malformed receipt is no receipt, and hostile text stays text', () => {
  for (const bad of [null, undefined, 7, 'x', {}, { bill: '' }, { bill: 42 }]) assert.equal(readReceipt(bad), null);
  const r = readReceipt({ bill: 'B1', expected: 'lots', received: 'nope', missing: [1], extra: [null, { code: '<img>' }] });
  assert.equal(r.expected, 0);
  assert.deepEqual(r.received, []);
  assert.deepEqual(r.missing, ['1']);
  assert.equal(r.extra.length, 1);
  assert.equal(r.extra[0].code, '<img>');
});

test('receiving: each answer gets its tone', () => {
  const receipt = RECEIPT;
  assert.equal(receiptFeedbackKind({ outcome: 'ACCEPTED', accepted: true, receipt }), 'parent');
  assert.equal(receiptFeedbackKind({ outcome: 'ACCEPTED', accepted: true, reason: 'NOT_ON_BILL', receipt }), 'warn');
  assert.equal(receiptFeedbackKind({ outcome: 'REJECTED', accepted: false, reason: 'ALREADY_RECEIVED', receipt }), 'warn');
  assert.equal(receiptFeedbackKind({ outcome: 'REJECTED', accepted: false, reason: 'FINISH_NEEDS_CONFIRMATION' }), 'warn');
  assert.equal(receiptFeedbackKind({ outcome: 'REJECTED', accepted: false, reason: 'CODE_IS_CHILD', receipt }), 'error');
  assert.equal(receiptFeedbackKind({ outcome: 'ACCEPTED', accepted: true, receipt: null, closed: { bill: 'B1' } }), 'complete');
  const last = { ...RECEIPT, missing: [], received: ['P1', 'P2', 'P3'].map((code) => ({ code })) };
  assert.equal(receiptFeedbackKind({ outcome: 'ACCEPTED', accepted: true, receipt: last }), 'complete');
});
