// The web kit's scan-kit.js, which the dock station and the hub's scan boxes both run: framing a
// wedge scanner's keystrokes into scans, the bounce filter, the tones and the flash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  FRAMING, TONES, burstFraming, ensureAudio, flash, isBounce, looksLikeScannerBurst, playTone,
} from '../../main/resources/web-kit/scan-kit.js';

test('bounce: the same code within the window is an echo, blanks around it ignored', () => {
  assert.equal(isBounce({ text: 'P12-10', at: 1000 }, 'P12-10', 1000 + FRAMING.bounceMs - 1), true);
  assert.equal(isBounce({ text: 'P12-10', at: 1000 }, ' P12-10 ', 1200), true);
  assert.equal(isBounce({ text: ' P12-10', at: 1000 }, 'P12-10', 1000), true);
});

test('bounce: after the window, another code, or no scan before is a new scan', () => {
  assert.equal(isBounce({ text: 'P12-10', at: 1000 }, 'P12-10', 1000 + FRAMING.bounceMs), false);
  assert.equal(isBounce({ text: 'P12-10', at: 1000 }, 'P13-10', 1001), false);
  assert.equal(isBounce(null, 'P12-10', 1001), false);
});

test('bounce: a clock that went backwards never swallows a scan', () => {
  assert.equal(isBounce({ text: 'P12-10', at: 1000 }, 'P12-10', 999), false);
});

test('bounce: the window the dock server sets replaces the default', () => {
  assert.equal(isBounce({ text: 'C1', at: 0 }, 'C1', 1500, 2000), true);
  assert.equal(isBounce({ text: 'C1', at: 0 }, 'C1', 100, 0), false, 'a window of 0 drops nothing');
});

test('the framing numbers are the product spec\'s', () => {
  assert.deepEqual({ ...FRAMING }, { scannerMaxAvgGapMs: 50, scannerIdleEndMs: 200, scannerMinLength: 2, bounceMs: 800,
    flashMs: 400 });
});

test('burst: a scanner types faster than any person', () => {
  assert.equal(looksLikeScannerBurst('P12-10', [0, 10, 20, 30, 40, 50]), true);
  assert.equal(looksLikeScannerBurst('P12-10', [0, 60, 98]), true);
  assert.equal(looksLikeScannerBurst('P12-10', [0, 10, 100]), false, 'an average gap of 50 ms is a person, however fast one key was');
});

test('burst: a person, one key, or one character is never a burst', () => {
  assert.equal(looksLikeScannerBurst('P12-10', [0, 120, 260, 400, 520, 700]), false);
  assert.equal(looksLikeScannerBurst('P', [0]), false);
  assert.equal(looksLikeScannerBurst('P', [0, 1]), false);
  assert.equal(looksLikeScannerBurst('P1', [0]), false);
});

/** A framing whose key clock the test moves; takes() counts the scans it ended. */
function framingWithClock() {
  let now = 0;
  let taken = 0;
  const framing = burstFraming(() => { taken += 1; }, () => now);
  const type = (value, gapMs) => {
    now += gapMs;
    framing.typed(value, 'insertText');
  };
  return { framing, type, taken: () => taken };
}

test('framing: a burst that stops for the idle gap is a scan, once', async () => {
  const f = framingWithClock();
  ['C', 'C1', 'C12'].forEach((v) => f.type(v, 5));
  await sleep(FRAMING.scannerIdleEndMs / 2);
  assert.equal(f.taken(), 0, 'not before the gap');
  await sleep(FRAMING.scannerIdleEndMs);
  assert.equal(f.taken(), 1);
});

test('framing: a person typing slowly is never cut off by the gap', async () => {
  const f = framingWithClock();
  ['P', 'P1', 'P12'].forEach((v) => f.type(v, 300));
  await sleep(FRAMING.scannerIdleEndMs + 50);
  assert.equal(f.taken(), 0);
});

test('framing: deleting is editing, so it stops the gap; reset (Enter or Tab) does too', async () => {
  const f = framingWithClock();
  ['C', 'C1', 'C12'].forEach((v) => f.type(v, 5));
  f.framing.typed('C1', 'deleteContentBackward');
  const g = framingWithClock();
  ['C', 'C1', 'C12'].forEach((v) => g.type(v, 5));
  g.framing.reset();
  const h = framingWithClock();
  ['C', 'C1'].forEach((v) => h.type(v, 5));
  h.framing.typed('', 'insertText'); // the field was cleared
  await sleep(FRAMING.scannerIdleEndMs + 50);
  assert.deepEqual([f.taken(), g.taken(), h.taken()], [0, 0, 0]);
});

test('tones: parent, child, complete, command, warning and error each sound different', () => {
  const kinds = ['parent', 'child', 'complete', 'command', 'warn', 'error'];
  const sounds = new Set(kinds.map((k) => JSON.stringify(TONES[k])));
  assert.equal(sounds.size, kinds.length);
  assert.equal(TONES.ok, TONES.parent, 'the hub\'s accepted scan is the dock\'s new parent');
  for (const kind of kinds) {
    for (const step of TONES[kind]) {
      assert.ok(step.hz > 0 && step.seconds > 0.02 && step.volume > 0 && step.volume <= 0.5, kind);
      assert.ok(Object.isFrozen(step), kind);
    }
  }
});

/** An AudioContext that writes down what it is asked to play. */
class RecordingAudio {
  static made = [];
  constructor() {
    this.state = 'running';
    this.currentTime = 10;
    this.destination = {};
    this.played = [];
    RecordingAudio.made.push(this);
  }
  createOscillator() {
    const osc = { frequency: { setValueAtTime: (hz, t) => { osc.hz = hz; osc.at = t; } },
      connect: (gain) => gain, start: () => this.played.push(osc), stop: () => {} };
    return osc;
  }
  createGain() {
    const ramp = () => {};
    return { gain: { setValueAtTime: ramp, linearRampToValueAtTime: ramp }, connect: (d) => d };
  }
}

test('sound: nothing before a gesture, then each step of the tone in turn', () => {
  globalThis.AudioContext = RecordingAudio;
  Object.defineProperty(globalThis, 'navigator', { value: { userActivation: { hasBeenActive: false } },
    configurable: true, writable: true });
  ensureAudio();
  playTone('error');
  assert.equal(RecordingAudio.made.length, 0, 'no context before the first gesture');

  globalThis.navigator.userActivation.hasBeenActive = true;
  ensureAudio();
  ensureAudio();
  assert.equal(RecordingAudio.made.length, 1, 'one context for the page');
  const audio = RecordingAudio.made[0];
  playTone('complete');
  assert.deepEqual(audio.played.map((o) => [o.type, o.hz]), [['square', 1047], ['square', 1319], ['square', 1568]]);
  assert.ok(audio.played[0].at < audio.played[1].at && audio.played[1].at < audio.played[2].at, 'one after another');
  playTone('no-such-kind');
  assert.equal(audio.played.length, 3);
});

/** An element with just classes. */
function node() {
  const classes = new Set();
  return { offsetWidth: 0, classes, classList: { add: (c) => classes.add(c), remove: (...cs) => cs.forEach((c) => classes.delete(c)) } };
}

test('flash: the tone\'s class for flashMs; a second flash replaces the first', async () => {
  const n = node();
  flash(n, 'flash-', 'ok');
  assert.deepEqual([...n.classes], ['flash-ok']);
  flash(n, 'flash-', 'error');
  assert.deepEqual([...n.classes], ['flash-error']);
  await sleep(FRAMING.flashMs + 50);
  assert.deepEqual([...n.classes], []);
});
