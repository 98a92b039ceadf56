// Exports (F-IO): one card per export with the filters its route takes, and CSV / XLSX as plain
// links. A link, not fetch(): the browser streams the file straight to disk (the session cookie
// goes along on a same-origin GET), so an export of millions of rows never sits in the page.

import { api, el, fill, header, link } from './kit.js';

const ADMIN = 'ADMIN';
const BILLER = 'BILLER';
const DISPATCHER = 'DISPATCHER';

// each card mirrors one route of io/ExportRoutes (and eod/EndOfDayRoutes): its roles and filters
const EXPORTS = [
  { id: 'bags', title: 'Bags', text: 'Every bag with its parent, count and times.', roles: [ADMIN, BILLER, DISPATCHER],
    area: true, status: { label: 'Kind', options: [['PARENT', 'Parents'], ['CHILD', 'Children']] } },
  { id: 'scans', title: 'Scans', text: 'Every scan: created, linked, unlinked, finished; who, which dock, when.',
    roles: [ADMIN, BILLER, DISPATCHER], area: true,
    status: { label: 'Scan', options: [['CREATE_PARENT', 'Parent created'], ['CREATE_CHILD', 'Child created'], ['LINK', 'Linked'],
      ['UNLINK', 'Unlinked'], ['FINISH', 'Finished']] } },
  { id: 'bills', title: 'Bills', text: 'Every bill with its destination, vehicle, parents and children.', roles: [ADMIN, BILLER],
    area: false, status: { label: 'Status', options: [['OPEN', 'Open'], ['FINALIZED', 'Finalized']] } },
  { id: 'user-activity', title: 'User activity', text: 'Per user: scans, links, undos, parents and bills created, last scan.',
    roles: [ADMIN], area: true, status: { label: 'Role', options: [['ADMIN', 'Admins'], ['BILLER', 'Billers'], ['DISPATCHER', 'Dispatchers']] } },
];

export async function render(view, route) {
  const role = route.session.role;
  const ownArea = role === DISPATCHER ? route.session.area : null;
  // the area list is for choosing; a dispatcher's exports are their own area's whatever is chosen
  const areas = ownArea ? [] : await api('GET', '/api/v1/areas').then(a => a.items || [], () => []);
  const cards = EXPORTS.filter(e => e.roles.includes(role)).map(e => exportCard(e, areas, ownArea));
  if ([ADMIN, BILLER].includes(role)) {
    cards.push(endOfDayCard());
  }
  fill(view,
    header('Exports', [ADMIN, BILLER].includes(role) ? link('/eod', 'End of day', { class: 'btn' }) : null,
      role === ADMIN ? link('/import', 'Import', { class: 'btn' }) : null),
    el('p', { class: 'lead', id: 'exports-note' }, 'Every export streams every matching row: there is no row cap, the file '
      + 'downloads while the hub reads it, and a large one takes a while (XLSX longer than CSV, and it starts arriving only at the end). '
      + 'Days are the deployment\'s days; leave a filter empty for all.'
      + (ownArea ? ' Your exports hold area ' + ownArea + ' only.' : '')),
    el('div', { class: 'export-grid' }, cards));
}

function exportCard(e, areas, ownArea) {
  const prefix = 'x-' + e.id;
  const from = el('input', { type: 'date', id: prefix + '-from', name: 'from' });
  const to = el('input', { type: 'date', id: prefix + '-to', name: 'to' });
  const status = el('select', { id: prefix + '-status', name: 'status' }, el('option', { value: '' }, 'All'),
    e.status.options.map(([v, l]) => el('option', { value: v }, l)));
  let area = null;
  if (e.area && !ownArea) {
    area = areas.length
      ? el('select', { id: prefix + '-area', name: 'area' }, el('option', { value: '' }, 'All areas'),
        areas.map(a => el('option', { value: a.id }, a.id + (a.name ? ' · ' + a.name : ''))))
      : el('input', { type: 'text', id: prefix + '-area', name: 'area', placeholder: 'e.g. NORTH', autocomplete: 'off',
        pattern: '[A-Za-z0-9_-]{1,40}', spellcheck: 'false' });
  }
  const csv = el('a', { class: 'btn btn-primary', id: 'export-' + e.id + '-csv', download: true, 'data-export': e.id }, 'CSV');
  const xlsx = el('a', { class: 'btn', id: 'export-' + e.id + '-xlsx', download: true, 'data-export': e.id }, 'XLSX');
  const problem = el('p', { class: 'hint export-problem', role: 'alert', id: prefix + '-problem' });
  const update = () => {
    const q = new URLSearchParams();
    if (from.value) {
      q.set('from', from.value);
    }
    if (to.value) {
      q.set('to', to.value);
    }
    const areaValue = area ? area.value.trim().toUpperCase() : '';
    if (areaValue) {
      q.set('area', areaValue);
    }
    if (status.value) {
      q.set('status', status.value);
    }
    // a range the hub would refuse (to before from) is caught here, where it can be fixed
    const bad = from.value && to.value && to.value < from.value ? 'The "to" day is before the "from" day: swap them.'
      : area && areaValue && !/^[A-Z0-9_-]{1,40}$/.test(areaValue) ? 'An area is an id such as NORTH (letters, digits, _ or -).' : '';
    problem.textContent = bad;
    const text = q.toString() ? '?' + q.toString() : '';
    for (const [a, ext] of [[csv, 'csv'], [xlsx, 'xlsx']]) {
      if (bad) {
        a.removeAttribute('href');
        a.setAttribute('aria-disabled', 'true');
      } else {
        a.setAttribute('href', '/api/v1/exports/' + e.id + '.' + ext + text);
        a.removeAttribute('aria-disabled');
      }
    }
  };
  for (const input of [from, to, status, area]) {
    if (input) {
      input.addEventListener('input', update);
      input.addEventListener('change', update);
    }
  }
  update();
  return el('section', { class: 'panel export-card', id: 'export-' + e.id, 'aria-labelledby': prefix + '-title' },
    el('h2', { id: prefix + '-title' }, e.title),
    el('p', { class: 'muted' }, e.text),
    el('div', { class: 'filters' },
      labelled('From', from), labelled('To (included)', to),
      area ? labelled('Area', area) : null,
      ownArea && e.area ? el('p', { class: 'hint' }, 'Area ' + ownArea) : null,
      labelled(e.status.label, status)),
    problem,
    el('div', { class: 'form-actions' }, el('span', { class: 'muted' }, 'Download:'), csv, xlsx));
}

function endOfDayCard() {
  const day = el('input', { type: 'date', id: 'x-eod-day', name: 'day', required: true, value: today() });
  const csv = el('a', { class: 'btn btn-primary', id: 'export-eod-csv', download: true }, 'CSV');
  const xlsx = el('a', { class: 'btn', id: 'export-eod-xlsx', download: true }, 'XLSX');
  const update = () => {
    for (const [a, ext] of [[csv, 'csv'], [xlsx, 'xlsx']]) {
      if (day.value) {
        a.setAttribute('href', '/api/v1/eod/' + day.value + '.' + ext);
        a.removeAttribute('aria-disabled');
      } else {
        a.removeAttribute('href');
        a.setAttribute('aria-disabled', 'true');
      }
    }
  };
  day.addEventListener('input', update);
  day.addEventListener('change', update);
  update();
  return el('section', { class: 'panel export-card', id: 'export-eod', 'aria-labelledby': 'x-eod-title' },
    el('h2', { id: 'x-eod-title' }, 'End of day'),
    el('p', { class: 'muted' }, 'One day\'s summary as a table: bills, parents, children, kg, scans, undo and error rates. ',
      link('/eod', 'Open it as a page')),
    el('div', { class: 'filters' }, labelled('Day', day)),
    el('div', { class: 'form-actions' }, el('span', { class: 'muted' }, 'Download:'), csv, xlsx));
}

function labelled(text, input) {
  return el('div', { class: 'field' }, el('label', { for: input.id }, text), input);
}

/** Today on this computer; the hub reads the day in the deployment's zone. */
function today() {
  const d = new Date();
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
}
