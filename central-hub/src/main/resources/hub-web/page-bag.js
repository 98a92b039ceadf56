// Bags (F-BAG): a code box that a wedge scanner can type into (a scan opens the bag's page), and
// the bag's page: what it is, its parent or children, expected and actual counts, its bill, where
// it was made, and its history, newest first, with an "Older" pager when the hub offers one.

import { api, ApiError, el, fill, header, empty, notice, explain, table, link, num, when, pill } from './kit.js';
import { attachScanner } from './scanner.js';

export async function render(view, route) {
  return route.params.code ? bagPage(view, route.params.code) : lookup(view);
}

function lookup(view) {
  const input = el('input', { id: 'bag-code', name: 'code', type: 'text', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'characters', maxlength: 64, class: 'scan-input', 'aria-describedby': 'bag-code-hint' });
  const form = el('form', { id: 'bag-lookup', class: 'panel scan-panel', novalidate: true },
    el('label', { for: 'bag-code' }, 'Bag code'),
    el('div', { class: 'scan-row' }, input, el('button', { type: 'submit', class: 'btn btn-primary' }, 'Open bag')),
    el('small', { id: 'bag-code-hint', class: 'hint' },
      'Scan a parent or child bag, or type its code and press Enter. To find bags by part of a code, use ',
      link('/search', 'Search'), '.'));
  const open = code => {
    location.hash = '#/bags/' + encodeURIComponent(code.trim().toUpperCase());
  };
  // typed entry: the form submits; a scanner's Enter is taken by the scan field first
  form.addEventListener('submit', e => {
    e.preventDefault();
    if (input.value.trim()) {
      open(input.value);
    }
  });
  const detach = attachScanner(input, { onScan: async code => open(code) });
  fill(view, header('Bags'), form);
  input.focus();
  return detach;
}

async function bagPage(view, code) {
  const problem = el('div');
  fill(view, header('Bag ' + code, link('/bags', 'Look up another bag', { class: 'btn btn-small' })), problem);
  let bag;
  try {
    bag = await api('GET', '/api/v1/bags/' + encodeURIComponent(code));
  } catch (e) {
    const text = e instanceof ApiError && e.code === 'BAG_NOT_FOUND'
      ? 'There is no bag ' + code + ' in your area. Check the code, or search by part of it.'
      : explain(e);
    fill(problem, notice('error', text, ' ', link('/search?q=' + encodeURIComponent(code.replace(/[^A-Za-z0-9-]/g, '')),
      'Search for it')));
    return undefined;
  }
  const parent = bag.role === 'PARENT';
  const facts = el('dl', { class: 'facts', id: 'bag-facts', 'data-role': bag.role },
    el('dt', null, 'Type'), el('dd', null, pill(parent ? 'Parent' : 'Child', parent ? 'info' : 'ok')),
    parent ? [
      el('dt', null, 'Children'), el('dd', { id: 'bag-count' }, num(bag.childCount) + ' of '
        + (bag.expectedCount ? num(bag.expectedCount) + ' expected' : 'no stated count (up to ' + num(bag.limit) + ')')),
      el('dt', null, 'State'), el('dd', null, bag.complete ? pill('Complete', 'ok') : pill('Open', 'warn'),
        bag.finishedBy ? ' by ' + bag.finishedBy + ', ' + when(bag.finishedAt) : ''),
      el('dt', null, 'Bill'), el('dd', { id: 'bag-bill' }, bag.bill
        ? link('/bills/' + encodeURIComponent(bag.bill), bag.bill, { class: 'code' }) : 'Not on a bill'),
    ] : [
      el('dt', null, 'Parent'), el('dd', { id: 'bag-parent' }, bag.parent
        ? link('/bags/' + encodeURIComponent(bag.parent), bag.parent, { class: 'code' }) : 'Not linked to a parent'),
      el('dt', null, 'Bill'), el('dd', { id: 'bag-bill' }, bag.bill
        ? link('/bills/' + encodeURIComponent(bag.bill), bag.bill, { class: 'code' }) : 'Not on a bill'),
    ],
    el('dt', null, 'Area'), el('dd', null, bag.area || '–'),
    el('dt', null, 'Dock'), el('dd', null, bag.dock || 'hub'),
    el('dt', null, 'Created'), el('dd', null, when(bag.createdAt), bag.createdBy ? ' by ' + bag.createdBy : ''));

  const children = parent ? el('section', { class: 'panel', 'aria-labelledby': 'children-title' },
    el('h2', { id: 'children-title' }, 'Children (' + num(bag.children.length) + ')'),
    bag.children.length === 0
      ? empty('No children are linked yet.', 'Children appear here as a dock scans them after this parent.')
      : el('ul', { class: 'code-list', id: 'bag-children' }, bag.children.map(c =>
        el('li', null, link('/bags/' + encodeURIComponent(c), c, { class: 'code' }))))) : null;

  const historyBox = el('div', { id: 'bag-history' });
  const pager = el('div', { class: 'pager' });
  const events = [];
  const drawHistory = (answer) => {
    events.push(...(answer.history || []));
    // newest first whatever order the hub sent (older pages append below)
    events.sort((a, b) => String(b.at || '').localeCompare(String(a.at || '')));
    fill(historyBox, events.length === 0 ? empty('No history yet.') : table([
      { label: 'When', value: h => when(h.at) },
      { label: 'What', value: h => String(h.kind || '').toLowerCase().replaceAll('_', ' ') },
      { label: 'Bag', value: h => h.bag ? link('/bags/' + encodeURIComponent(h.bag), h.bag, { class: 'code' }) : '–' },
      { label: 'Parent', value: h => h.parent ? link('/bags/' + encodeURIComponent(h.parent), h.parent, { class: 'code' }) : '–' },
      { label: 'By', value: h => h.actor || '–' },
      { label: 'Dock', value: h => h.dock || 'hub' },
    ], events, { label: 'History of ' + bag.code }));
    const before = answer.historyBefore;
    if (before === undefined || before === null) {
      fill(pager);
      return;
    }
    const older = el('button', { type: 'button', class: 'btn btn-small', id: 'history-older' }, 'Older entries');
    older.addEventListener('click', async () => {
      older.disabled = true;
      try {
        drawHistory(await api('GET', '/api/v1/bags/' + encodeURIComponent(bag.code) + '?historyBefore='
          + encodeURIComponent(before)));
        const next = document.getElementById('history-older');
        (next || historyBox).focus?.();
      } catch (e) {
        older.disabled = false;
        fill(pager, older, notice('error', explain(e)));
      }
    });
    fill(pager, older);
  };
  drawHistory(bag);

  fill(view, header((parent ? 'Parent ' : 'Child ') + bag.code, link('/bags', 'Look up another bag', { class: 'btn btn-small' })),
    el('div', { class: 'two-columns' },
      el('section', { class: 'panel', 'aria-labelledby': 'facts-title' }, el('h2', { id: 'facts-title' }, 'Facts'), facts),
      children),
    el('section', { class: 'panel', 'aria-labelledby': 'history-title' },
      el('h2', { id: 'history-title' }, 'History, newest first'), historyBox, pager));
  document.body.dataset.bag = bag.code;
  return () => {
    delete document.body.dataset.bag;
  };
}
