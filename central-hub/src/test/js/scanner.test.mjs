// The hub scanner's pure rules, run by ScannerRulesTest with Node's own test runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBounce, looksLikeScannerBurst, FRAMING } from '../../main/resources/hub-web/scanner.js';

test('the same code within the bounce window is an echo', () => {
  assert.equal(isBounce({ text: 'P12-10', at: 1000 }, 'P12-10', 1000 + FRAMING.bounceMs - 1), true);
  assert.equal(isBounce({ text: 'P12-10', at: 1000 }, ' P12-10 ', 1200), true);
});

test('the same code after the window, or another code at once, is a new scan', () => {
  assert.equal(isBounce({ text: 'P12-10', at: 1000 }, 'P12-10', 1000 + FRAMING.bounceMs), false);
  assert.equal(isBounce({ text: 'P12-10', at: 1000 }, 'P13-10', 1001), false);
  assert.equal(isBounce(null, 'P12-10', 1001), false);
  // a clock that went backwards never swallows a scan
  assert.equal(isBounce({ text: 'P12-10', at: 1000 }, 'P12-10', 999), false);
});

test('a scanner types faster than any person; a person is never cut off', () => {
  assert.equal(looksLikeScannerBurst('P12-10', [0, 10, 20, 30, 40, 50]), true);
  assert.equal(looksLikeScannerBurst('P12-10', [0, 120, 260, 400, 520, 700]), false);
  assert.equal(looksLikeScannerBurst('P', [0]), false);
});
