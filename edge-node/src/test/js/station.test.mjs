// The station page's real modules (station/main.js and all it imports, with the web kit's
// scan-kit.js) on a fake page: keystrokes framed into scans, echoes dropped, scans sent one at a
// time in order, and the n / limit counter as the dock server's answers move it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { installFakePage, settle } from './fake-page.mjs';

const { server, el } = installFakePage();
await import('../../main/resources/web/station/main.js');
const { state } = await import('../../main/resources/web/station/state.js');

const scanInput = el('scan-input');

/** A wedge scanner: the characters as fast as they come, then the suffix key. */
function scan(text, suffix = 'Enter') {
  typeFast(text);
  return scanInput.dispatch('keydown', { key: suffix });
}

function typeFast(text) {
  for (const ch of text) {
    scanInput.value += ch;
    scanInput.dispatch('input', { inputType: 'insertText' });
  }
}

function answer(fields) {
  server.scanAnswers.push({ status: 200, body: { outcome: 'ACCEPTED', accepted: true, mode: 'CHILD', ...fields } });
}

/** A business refusal is a 200 with outcome REJECTED, carrying where the station stands. */
function refuse(fields) {
  server.scanAnswers.push({ status: 200, body: { outcome: 'REJECTED', accepted: false, mode: 'CHILD', ...fields } });
}

const counter = () => el('counter').textContent;
const completeShown = () => !el('counter-label').hidden && el('counter-box').classList.contains('counter-complete');

after(async () => {
  el('btn-signout').dispatch('click'); // stops the idle timer
  await settle();
  clearTimeout(state.timers.sync); // and the next sync poll, so the process ends now
});

test('signing in shows parent mode with an empty counter', async () => {
  assert.equal(document.body.dataset.state, 'signin');
  el('user-input').value = 'asha';
  el('password-input').value = 'Asha-password-1';
  el('signin-form').dispatch('submit');
  await settle();
  assert.equal(document.body.dataset.state, 'parent');
  assert.equal(counter(), '– / –');
  assert.equal(completeShown(), false);
  assert.equal(document.activeElement, scanInput);
});

test('a parent, then children: the counter counts up to full and shows COMPLETE', async () => {
  answer({ kind: 'PARENT', code: 'P1001-3', parent: 'P1001-3', count: 0, limit: 3 });
  const enter = scan('P1001-3');
  assert.equal(enter.defaultPrevented, true);
  assert.equal(scanInput.value, '', 'the field is clear for the next scan at once');
  await settle();
  assert.equal(document.body.dataset.state, 'child');
  assert.equal(counter(), '0 / 3');
  for (const [code, n] of [['C1', 1], ['C2', 2]]) {
    answer({ kind: 'CHILD', code, parent: 'P1001-3', count: n, limit: 3 });
    scan(code);
    await settle();
    assert.equal(counter(), `${n} / 3`);
    assert.equal(completeShown(), false);
  }
  answer({ kind: 'CHILD', code: 'C3', parent: 'P1001-3', count: 3, limit: 3, complete: true });
  scan('C3');
  await settle();
  assert.equal(counter(), '3 / 3');
  assert.equal(completeShown(), true);
  assert.equal(document.body.dataset.state, 'complete');
});

test('a refused scan keeps the full counter and says why', async () => {
  refuse({ kind: 'CHILD', code: 'C4', reason: 'PARENT_COMPLETE', message: 'P1001-3 is complete: 3 of 3',
    parent: 'P1001-3', count: 3, limit: 3, complete: true });
  scan('C4');
  await settle();
  assert.equal(document.body.dataset.lastOutcome, 'REJECTED:PARENT_COMPLETE');
  assert.equal(counter(), '3 / 3');
  assert.equal(completeShown(), true);
  assert.match(el('message').textContent, /3 of 3/);
  assert.equal(el('status').className, 'status status-error');
});

test('the same code again within the bounce window is an echo: sent once', async () => {
  answer({ kind: 'PARENT', code: 'P3003-5', parent: 'P3003-5', count: 0, limit: 5 });
  scan('P3003-5', 'Tab');
  await settle();
  answer({ kind: 'CHILD', code: 'C30', parent: 'P3003-5', count: 1, limit: 5 });
  const before = server.scans().length;
  scan('C30');
  scan('C30');
  await settle();
  assert.deepEqual(server.scans().slice(before), ['C30']);
  assert.equal(counter(), '1 / 5');
  assert.equal(document.body.dataset.lastOutcome, 'ACCEPTED');
});

test('scans made while one is on its way are sent after it, in order', async () => {
  answer({ kind: 'CHILD', code: 'C31', parent: 'P3003-5', count: 2, limit: 5 });
  answer({ kind: 'CHILD', code: 'C32', parent: 'P3003-5', count: 3, limit: 5 });
  answer({ kind: 'CHILD', code: 'C33', parent: 'P3003-5', count: 4, limit: 5 });
  const before = server.scans().length;
  scan('C31');
  scan('C32');
  scan('C33');
  await settle(20);
  assert.deepEqual(server.scans().slice(before), ['C31', 'C32', 'C33']);
  assert.equal(counter(), '4 / 5');
});

test('a scanner burst with no suffix is a complete scan once it stops', async () => {
  answer({ kind: 'CHILD', code: 'C34', parent: 'P3003-5', count: 5, limit: 5, complete: true });
  typeFast('C34');
  await settle(50);
  assert.equal(scanInput.value, 'C34', 'not taken before the idle gap');
  await settle(250);
  assert.equal(scanInput.value, '');
  assert.equal(server.scans().at(-1), 'C34');
  assert.equal(counter(), '5 / 5');
  assert.equal(completeShown(), true);
});

test('a person typing slowly is never cut off: only Enter ends the scan', async () => {
  const before = server.scans().length;
  for (const ch of 'P4004') {
    scanInput.value += ch;
    scanInput.dispatch('input', { inputType: 'insertText' });
    await settle(80);
  }
  await settle(250);
  assert.equal(scanInput.value, 'P4004');
  assert.equal(server.scans().length, before);
  answer({ kind: 'PARENT', code: 'P4004', parent: 'P4004', count: 0, limit: null });
  scanInput.dispatch('keydown', { key: 'Enter' });
  await settle();
  assert.equal(server.scans().at(-1), 'P4004');
  assert.equal(counter(), '0 / –', 'a limit the server did not give is shown as unknown');
});

test('a scan answered with an error, not a result, is NOT RECORDED; the counter stays where it stood', async () => {
  server.scanAnswers.push({ status: 500, body: { code: 'INTERNAL', detail: 'the dock server failed' } });
  scan('C40');
  await settle();
  assert.equal(document.body.dataset.lastOutcome, 'ERROR:NOT_RECORDED');
  assert.match(el('message').textContent, /NOT RECORDED – scan again: C40/);
  assert.equal(counter(), '0 / –');
});

test('the command buttons send the command barcodes\' texts', async () => {
  answer({ kind: 'COMMAND', command: 'CANCEL', code: 'CMD-CANCEL', mode: 'PARENT', parent: null, count: 0 });
  el('btn-cancel').dispatch('click');
  await settle();
  assert.equal(server.scans().at(-1), 'CMD-CANCEL');
  assert.equal(document.body.dataset.state, 'parent');
  assert.equal(counter(), '– / –');
  assert.equal(state.queue.length, 0);
});
