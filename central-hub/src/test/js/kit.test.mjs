// The web UI's small formatting helpers (hub-web/kit.js), in Node: no page needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count } from '../../main/resources/hub-web/kit.js';

test('a count agrees with its noun: 1 child, never "1 children"', () => {
  assert.equal(count(1, 'child', 'children'), '1 child');
  assert.equal(count(0, 'child', 'children'), '0 children');
  assert.equal(count(38, 'child', 'children'), '38 children');
  assert.equal(count(1, 'parent', 'parents'), '1 parent');
});
