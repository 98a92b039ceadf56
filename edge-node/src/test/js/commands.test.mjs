// The station commands: the on-screen buttons send exactly what the printed barcodes carry, and
// Confirm waits out the bounce window after a CMD-FINISH scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COMMAND_TEXT, confirmHoldMs } from '../../main/resources/web/station/commands.js';

const web = new URL('../../main/resources/web/', import.meta.url);
const sheet = readFileSync(new URL('commands.html', web), 'utf8');
const page = readFileSync(new URL('index.html', web), 'utf8');

test('every command has a barcode on the printed sheet, with its text under it', () => {
  for (const [name, text] of Object.entries(COMMAND_TEXT)) {
    assert.match(text, /^CMD-[A-Z]+$/, `${name} is code text a scanner reads back unchanged`);
    assert.ok(sheet.includes(`src="/barcode/${text}.svg"`), `the sheet prints ${text}`);
    assert.ok(sheet.includes(`<p class="command-text">${text}</p>`), `the sheet names ${text}`);
    assert.ok(page.includes(`id="btn-${name.toLowerCase()}"`), `the station has a ${name} button`);
  }
});

test('the sheet prints no barcode the station does not know', () => {
  const printed = [...sheet.matchAll(/src="\/barcode\/([^"]+)\.svg"/g)].map((m) => m[1]);
  assert.deepEqual(printed.sort(), Object.values(COMMAND_TEXT).sort());
});

test('Confirm is held for what is left of the bounce window after a CMD-FINISH scan', () => {
  const finish = { text: COMMAND_TEXT.FINISH, at: 1000 };
  assert.equal(confirmHoldMs(finish, 1000, 800), 800);
  assert.equal(confirmHoldMs(finish, 1500, 800), 300);
  assert.equal(confirmHoldMs({ text: ` ${COMMAND_TEXT.FINISH} `, at: 1000 }, 1100, 800), 700);
});

test('Confirm works at once after the window, after another scan, or with none', () => {
  assert.equal(confirmHoldMs({ text: COMMAND_TEXT.FINISH, at: 1000 }, 1800, 800), 0);
  assert.equal(confirmHoldMs({ text: COMMAND_TEXT.FINISH, at: 1000 }, 5000, 800), 0);
  assert.equal(confirmHoldMs({ text: 'C1', at: 1000 }, 1001, 800), 0);
  assert.equal(confirmHoldMs(null, 1001, 800), 0);
});
