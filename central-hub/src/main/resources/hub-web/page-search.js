// Search: bags by code or the start of one, with the hub's filters (type, area, dock, creator,
// created between two dates, linked, billed), bills and users by id or name beside them, pages
// by keyset ("Next page" carries the last code shown, so a deep page costs what the first does),
// and "did you mean" when nothing matched. The whole search lives in the address, so it can be
// bookmarked, shared, and gone back to.

import { api, ApiError, el, fill, header, empty, notice, explain, table, link, field, values, num, when, pill, query } from './kit.js';
import { go } from './page-bills.js';

const PAGE = 50;
const FILTERS = ['q', 'type', 'area', 'dock', 'user', 'from', 'to', 'linked', 'billed'];

export async function render(view, route) {
  const asked = Object.fromEntries(FILTERS.map(k => [k, route.query.get(k) || '']));
  const after = route.query.get('after') || '';
  const dispatcher = route.session.role === 'DISPATCHER';

  const form = el('form', { id: 'search-form', class: 'panel', role: 'search', novalidate: true },
    el('div', { class: 'form-grid' },
      field('Code, or its first letters', 'q', { value: asked.q, maxlength: 64, id: 'search-q',
        autocapitalize: 'characters', required: true }),
      field('Type', 'type', { type: 'select', value: asked.type },
        [['', 'Parents and children'], ['PARENT', 'Parents'], ['CHILD', 'Children']]),
      dispatcher ? null : field('Area', 'area', { value: asked.area, maxlength: 32 }),
      field('Dock', 'dock', { value: asked.dock, maxlength: 64 }),
      field('Created by', 'user', { value: asked.user, maxlength: 64 }),
      field('Created from', 'from', { type: 'date', value: asked.from }),
      field('Created to (inclusive)', 'to', { type: 'date', value: asked.to }),
      field('Linked', 'linked', { type: 'select', value: asked.linked },
        [['', 'Either'], ['true', 'Linked'], ['false', 'Not linked']]),
      field('On a bill', 'billed', { type: 'select', value: asked.billed },
        [['', 'Either'], ['true', 'Billed'], ['false', 'Not billed']])),
    el('div', { class: 'form-actions' },
      el('button', { type: 'submit', class: 'btn btn-primary', id: 'search-submit' }, 'Search'),
      el('a', { href: '#/search', class: 'btn' }, 'Clear')),
    dispatcher ? el('small', { class: 'hint' }, 'You see bags of your own area (' + (route.session.area || '–') + ') only.') : null);
  form.addEventListener('submit', e => {
    e.preventDefault();
    const wanted = values(form);
    if (!wanted.q) {
      const q = form.querySelector('#search-q');
      q.setAttribute('aria-invalid', 'true');
      fill(results, notice('error', 'Type a code, or the start of one (letters, digits and -), then press Enter.'));
      q.focus();
      return;
    }
    go('#/search' + query(wanted));
  });
  const results = el('div', { id: 'search-results', 'aria-live': 'polite' });
  fill(view, header('Search'), form, results);

  if (!asked.q) {
    fill(results, empty('Type a code, or the first letters of one, and press Enter.',
      'Scanning a bag label into the box works too. Filters narrow the list of bags.'));
    form.querySelector('#search-q').focus();
    return undefined;
  }
  const params = { ...asked, limit: PAGE, after };
  if (asked.to) {
    // the hub's "to" is exclusive; a person means the whole of the last day
    const next = new Date(asked.to + 'T00:00:00Z');
    next.setUTCDate(next.getUTCDate() + 1);
    params.to = next.toISOString().slice(0, 10);
  }
  let answer;
  try {
    answer = await api('GET', '/api/v1/search' + query(params));
  } catch (e) {
    fill(results, notice('error', problemText(e)));
    return undefined;
  }
  draw(results, answer, asked, after);
  return undefined;
}

function problemText(e) {
  if (e instanceof ApiError) {
    switch (e.code) {
      case 'INVALID_QUERY':
        return 'A search is 1 to 64 letters, digits or "-". Remove other characters and search again.';
      case 'INVALID_FILTER':
        return explain(e) + ' Change that filter and search again.';
      case 'INVALID_CURSOR':
        return 'That page no longer matches this search. Start again from the first page.';
      default:
        return explain(e);
    }
  }
  return explain(e);
}

function bagLink(code) {
  return link('/bags/' + encodeURIComponent(code), code, { class: 'code' });
}

function draw(box, answer, asked, after) {
  const hits = answer.results || [];
  const exact = answer.exact;
  const bills = answer.bills || [];
  const users = answer.users || [];
  const parts = [];
  if (exact) {
    parts.push(el('section', { class: 'panel', id: 'search-exact', 'aria-labelledby': 'exact-title' },
      el('h2', { id: 'exact-title' }, 'Exact match'), bagTable([exact])));
  }
  if (bills.length) {
    parts.push(el('section', { class: 'panel', id: 'search-bills', 'aria-labelledby': 'bills-title' },
      el('h2', { id: 'bills-title' }, 'Bills'),
      table([
        { label: 'Bill', value: b => link('/bills/' + encodeURIComponent(b.id), b.id, { class: 'code' }) },
        { label: 'Status', value: b => pill(b.status === 'FINALIZED' ? 'Finalized' : 'Open', b.status === 'FINALIZED' ? 'ok' : 'info') },
        { label: 'Destination', value: b => b.destination },
      ], bills, { label: 'Bills found' })));
  }
  if (users.length) {
    parts.push(el('section', { class: 'panel', id: 'search-users', 'aria-labelledby': 'users-title' },
      el('h2', { id: 'users-title' }, 'Users'),
      table([
        { label: 'User', value: u => u.username },
        { label: 'Role', value: u => String(u.role).toLowerCase() },
      ], users, { label: 'Users found' })));
  }
  const bagsTitle = after ? 'More bags starting with ' + asked.q.toUpperCase() : 'Bags starting with ' + asked.q.toUpperCase();
  const pager = el('div', { class: 'pager' },
    after ? el('a', { class: 'btn btn-small', href: '#/search' + query(asked), id: 'search-first' }, 'First page') : null,
    answer.next ? el('a', { class: 'btn btn-small', id: 'search-next',
      href: '#/search' + query({ ...asked, after: answer.next }) }, 'Next page') : null,
    el('span', { class: 'hint' }, num(hits.length) + (hits.length === 1 ? ' bag' : ' bags') + ' on this page'));
  if (hits.length) {
    parts.push(el('section', { class: 'panel', 'aria-labelledby': 'bags-title' },
      el('h2', { id: 'bags-title' }, bagsTitle), bagTable(hits), pager));
  } else if (after) {
    parts.push(el('section', { class: 'panel' }, empty('No more bags on later pages.'), pager));
  }
  if (!exact && !hits.length && !bills.length && !users.length && !after) {
    const suggestions = answer.didYouMean || [];
    parts.push(el('div', { id: 'search-empty' }, empty('Nothing starts with ' + asked.q.toUpperCase() + '.',
      suggestions.length ? null : 'Check the code on the label, remove a filter, or search for fewer characters.')));
    if (suggestions.length) {
      parts.push(el('p', { class: 'did-you-mean', id: 'did-you-mean' }, 'Did you mean ',
        suggestions.map((s, i) => [i ? ', ' : '', link('/search' + query({ ...asked, q: s }), s, { class: 'code' })]), '?'));
    }
  }
  fill(box, parts);
  box.dataset.count = String(hits.length + (exact ? 1 : 0));
}

function bagTable(rows) {
  return table([
    { label: 'Code', value: h => bagLink(h.code) },
    { label: 'Type', value: h => (h.role === 'PARENT' ? 'parent' : 'child') },
    { label: 'Children', value: h => (h.role === 'PARENT' ? num(h.childCount) + (h.limit ? ' / ' + num(h.limit) : '') : '–'), class: 'num' },
    { label: 'Parent', value: h => (h.parent ? bagLink(h.parent) : '–') },
    { label: 'Area', value: h => h.area || '–' },
    { label: 'Dock', value: h => h.dock || 'hub' },
    { label: 'Created', value: h => when(h.createdAt) },
    { label: 'By', value: h => h.createdBy || '–' },
  ], rows, { label: 'Bags found', rowAttrs: h => ({ 'data-code': h.code }) });
}
