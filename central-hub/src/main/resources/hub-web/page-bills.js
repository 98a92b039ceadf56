// Bills (F-BILL): the list, newest first, filtered by status and creator (the hub's filters) and by
// any text among the rows shown, a page at a time; and the "New bill" form, whose refusals are
// shown beside the field they are about.

import { api, ApiError, el, fill, header, empty, notice, explain, table, link, field, values, num, when, pill, query } from './kit.js';

const PAGE = 50;

export async function render(view, route) {
  const status = route.query.get('status') || '';
  const createdBy = route.query.get('createdBy') || '';
  const cursor = route.query.get('cursor') || '';
  const text = route.query.get('text') || '';

  const newBill = el('button', { type: 'button', class: 'btn btn-primary', id: 'bill-new', 'aria-expanded': 'false',
    'aria-controls': 'bill-create' }, 'New bill');
  const createBox = el('section', { class: 'panel', id: 'bill-create', 'aria-labelledby': 'create-title', hidden: true });
  const filters = el('form', { class: 'filters', id: 'bills-filters', role: 'search', novalidate: true },
    field('Status', 'status', { type: 'select', value: status, id: 'bills-status' },
      [['', 'Open and finalized'], ['OPEN', 'Open'], ['FINALIZED', 'Finalized']]),
    field('Created by', 'createdBy', { value: createdBy, maxlength: 64, id: 'bills-created-by' }),
    field('Text in id, destination or vehicle', 'text', { value: text, maxlength: 100, id: 'bills-text' }),
    el('button', { type: 'submit', class: 'btn' }, 'Show bills'));
  filters.addEventListener('submit', e => {
    e.preventDefault();
    go('#/bills' + query(values(filters)));
  });
  filters.querySelector('#bills-status').addEventListener('change', () => filters.requestSubmit());
  const list = el('div', { id: 'bills-list' });
  fill(view, header('Bills', newBill), createBox, el('section', { class: 'panel', 'aria-label': 'Bills' }, filters, list));

  const toggle = open => {
    createBox.hidden = !open;
    newBill.setAttribute('aria-expanded', String(open));
    if (open) {
      drawCreate(createBox, () => toggle(false));
      createBox.querySelector('#f-id').focus();
    } else {
      newBill.focus();
    }
  };
  newBill.addEventListener('click', () => toggle(createBox.hidden));
  if (route.query.get('new') === '1') {
    toggle(true);
  }

  let page;
  try {
    page = await api('GET', '/api/v1/bills' + query({ status, createdBy, cursor, limit: PAGE }));
  } catch (e) {
    fill(list, notice('error', e instanceof ApiError && e.code === 'INVALID_CURSOR'
      ? 'That page no longer exists. Start again from the first page.' : explain(e)));
    return undefined;
  }
  const needle = text.toLowerCase();
  const rows = (page.items || []).filter(b => !needle
    || [b.id, b.destination, b.vehicle].some(v => String(v || '').toLowerCase().includes(needle)));
  const here = { status, createdBy, text };
  const pager = el('div', { class: 'pager' },
    cursor ? el('a', { class: 'btn btn-small', href: '#/bills' + query(here), id: 'bills-first' }, 'First page') : null,
    page.nextCursor ? el('a', { class: 'btn btn-small', id: 'bills-next', href: '#/bills' + query({ ...here, cursor: page.nextCursor }) },
      'Next page') : null);
  if (rows.length === 0) {
    const filtered = status || createdBy || text || cursor;
    fill(list, empty(filtered ? 'No bills match these filters.' : 'No bills yet.',
      filtered ? 'Clear a filter, or go back to the first page.' : 'Start with "New bill": give it an id, a destination, a vehicle and how many parents it takes.'),
    pager);
    return undefined;
  }
  fill(list, table([
    { label: 'Bill', value: b => link('/bills/' + encodeURIComponent(b.id), b.id, { class: 'code' }) },
    { label: 'Status', value: b => statusPill(b) },
    { label: 'Destination', value: b => b.destination, class: 'text' },
    { label: 'Vehicle', value: b => b.vehicle, class: 'text' },
    { label: 'Parents', value: b => num(b.parentCount) + ' / ' + num(b.capacity), class: 'num' },
    { label: 'Children', value: b => num(b.childCount), class: 'num' },
    { label: 'Created', value: b => el('span', { class: 'nowrap' }, when(b.createdAt)), class: 'when' },
    { label: 'By', value: b => b.createdBy },
  ], rows, { label: 'Bills', rowAttrs: b => ({ 'data-bill': b.id }) }), pager);
  return undefined;
}

export function statusPill(bill) {
  if (bill.status === 'FINALIZED') {
    return pill(bill.shortClosed ? 'Finalized short' : 'Finalized', bill.shortClosed ? 'warn' : 'ok');
  }
  return pill('Open', 'info');
}

/** Goes to a hash, and redraws when it is the one shown already (a repeated search). */
export function go(hash) {
  if (location.hash === hash) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

/** Which form field a refusal of a bill's create or edit is about. */
export function fieldOf(error) {
  if (!(error instanceof ApiError)) {
    return null;
  }
  const detail = (error.detail || '').toLowerCase();
  switch (error.code) {
    case 'BILL_CAPACITY_INVALID':
      return 'capacity';
    case 'BILL_EXISTS':
    case 'INVALID_CODE':
      return 'id';
    default:
      for (const name of ['id', 'destination', 'vehicle', 'capacity']) {
        if (detail.startsWith(name + ' ') || detail.includes(' ' + name + ' ') || detail.includes('"' + name + '"')) {
          return name;
        }
      }
      return null;
  }
}

/** What to say about a refusal of a field, with what to do next. */
export function fieldProblem(error, name) {
  if (error.code === 'BILL_EXISTS') {
    return 'A bill with this id exists already. Choose another id, or open that bill from the list.';
  }
  if (error.code === 'INVALID_CODE' && name === 'id') {
    return 'A bill id is 6 to 20 letters and digits, like DEL2026001. Fix it and try again.';
  }
  return explain(error) + ' Fix this field and try again.';
}

/** Marks fields wrong: every problem beside its field, the first one focused. */
export function showFieldProblems(form, problems) {
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
  for (const old of form.querySelectorAll('.field-error')) {
    old.remove();
  }
  let first = null;
  for (const [name, text] of Object.entries(problems)) {
    const input = form.querySelector('[name="' + name + '"]');
    if (!input) {
      continue;
    }
    const id = input.id + '-error';
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.closest('.field').appendChild(el('small', { class: 'field-error', id, role: 'alert' }, text));
    first = first || input;
  }
  if (first) {
    first.focus();
  }
}

function drawCreate(box, close) {
  const problem = el('div');
  const submit = el('button', { type: 'submit', class: 'btn btn-primary', id: 'bill-create-submit' }, 'Create bill');
  const cancel = el('button', { type: 'button', class: 'btn' }, 'Cancel');
  const form = el('form', { id: 'bill-create-form', novalidate: true },
    el('div', { class: 'form-grid' },
      field('Bill id', 'id', { maxlength: 20, autocapitalize: 'characters', required: true,
        hint: '6 to 20 letters and digits' }),
      field('Destination', 'destination', { maxlength: 100, required: true }),
      field('Vehicle', 'vehicle', { maxlength: 100, required: true, hint: 'Number plate or trailer id' }),
      field('Capacity (parents)', 'capacity', { type: 'number', min: 1, max: 50, value: 10, required: true,
        inputmode: 'numeric', hint: '1 to 50; it can grow to 100 later' })),
    problem,
    el('div', { class: 'form-actions' }, submit, cancel));
  cancel.addEventListener('click', close);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const v = values(form);
    const missing = {};
    for (const [name, label] of [['id', 'a bill id'], ['destination', 'a destination'], ['vehicle', 'a vehicle'], ['capacity', 'a capacity']]) {
      if (!v[name]) {
        missing[name] = 'Enter ' + label + '.';
      }
    }
    const capacity = Number(v.capacity);
    if (v.capacity && !(Number.isInteger(capacity) && capacity >= 1 && capacity <= 50)) {
      missing.capacity = 'Capacity is a whole number of parents from 1 to 50.';
    }
    showFieldProblems(form, missing);
    fill(problem);
    if (Object.keys(missing).length) {
      return;
    }
    submit.disabled = true;
    try {
      const bill = await api('POST', '/api/v1/bills', { id: v.id, destination: v.destination, vehicle: v.vehicle, capacity });
      location.hash = '#/bills/' + encodeURIComponent(bill.id);
    } catch (error) {
      const name = fieldOf(error);
      if (name) {
        showFieldProblems(form, { [name]: fieldProblem(error, name) });
      } else {
        fill(problem, notice('error', explain(error)));
      }
    } finally {
      submit.disabled = false;
    }
  });
  fill(box, el('h2', { id: 'create-title' }, 'New bill'), form);
}
