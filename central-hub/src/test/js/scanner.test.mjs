// The hub's scan field (hub-web/scanner.js) on the web kit's framing rules (scan-kit.js, which
// the web kit's own tests cover): what attachScanner makes of a wedge scanner's keystrokes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { attachScanner, feedback } from '../../main/resources/hub-web/scanner.js';

/** A text field with just what attachScanner uses. */
function field() {
  const listeners = {};
  return {
    value: '',
    dataset: {},
    addEventListener: (type, l) => { (listeners[type] ||= []).push(l); },
    removeEventListener: (type, l) => { listeners[type] = listeners[type].filter((x) => x !== l); },
    fire(type, props = {}) {
      const event = { type, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; }, ...props };
      (listeners[type] || []).forEach((l) => l(event));
      return event;
    },
    scan(text, key = 'Enter') {
      for (const ch of text) {
        this.value += ch;
        this.fire('input', { inputType: 'insertText' });
      }
      return this.fire('keydown', { key });
    },
  };
}

test('Enter or Tab ends a scan, trimmed, and clears the field at once', async () => {
  const input = field();
  const scans = [];
  attachScanner(input, { onScan: async (code) => scans.push(code) });
  assert.equal(input.scan(' P12-10 ').defaultPrevented, true);
  assert.equal(input.value, '');
  input.scan('P13-10', 'Tab');
  await sleep(5);
  assert.deepEqual(scans, ['P12-10', 'P13-10']);
});

test('Tab on an empty field moves focus as usual; Enter on it sends nothing', async () => {
  const input = field();
  const scans = [];
  attachScanner(input, { onScan: async (code) => scans.push(code) });
  assert.equal(input.fire('keydown', { key: 'Tab' }).defaultPrevented, false);
  input.fire('keydown', { key: 'Enter' });
  await sleep(5);
  assert.deepEqual(scans, []);
});

test('an echo is dropped and counted, not sent', async () => {
  const input = field();
  const scans = [];
  const bounced = [];
  attachScanner(input, { onScan: async (code) => scans.push(code), onBounce: (code) => bounced.push(code) });
  input.scan('P12-10');
  input.scan('P12-10');
  await sleep(5);
  assert.deepEqual(scans, ['P12-10']);
  assert.deepEqual(bounced, ['P12-10']);
  assert.equal(input.dataset.bounced, '1');
});

test('scans wait for the one before, in order, even when it fails', async () => {
  const input = field();
  const done = [];
  attachScanner(input, {
    onScan: async (code) => {
      await sleep(code === 'P1-10' ? 30 : 1);
      done.push(code);
      if (code === 'P1-10') throw new Error('refused');
    },
  });
  input.scan('P1-10');
  input.scan('P2-10');
  input.scan('P3-10');
  await sleep(80);
  assert.deepEqual(done, ['P1-10', 'P2-10', 'P3-10']);
});

test('a scanner burst with no suffix is a scan once it stops; a detached field sends nothing', async () => {
  const input = field();
  const scans = [];
  const detach = attachScanner(input, { onScan: async (code) => scans.push(code) });
  for (const ch of 'P7-10') {
    input.value += ch;
    input.fire('input', { inputType: 'insertText' });
  }
  await sleep(260);
  assert.deepEqual(scans, ['P7-10']);
  detach();
  input.scan('P8-10');
  await sleep(5);
  assert.deepEqual(scans, ['P7-10']);
});

test('feedback flashes the panel and keeps the kind for the browser tests', () => {
  const classes = new Set();
  const panel = { dataset: {}, offsetWidth: 0,
    classList: { add: (c) => classes.add(c), remove: (...cs) => cs.forEach((c) => classes.delete(c)) } };
  feedback(panel, 'warn');
  assert.equal(panel.dataset.feedback, 'warn');
  assert.deepEqual([...classes], ['scan-flash-warn']);
});
