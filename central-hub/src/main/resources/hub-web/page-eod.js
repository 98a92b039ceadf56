// End of day (F-EOD): one day's summary in the deployment's time zone, as the hub computes it
// (GET /api/v1/eod/{day}); the day defaults to today there (GET /api/v1/eod answers today's).
// Downloads as CSV/XLSX links, "mail it now" for admins, and a print layout.

import { api, el, fill, header, notice, explain, table, num, link, pill, empty, act, toast, when } from './kit.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function render(view, route) {
  const asked = route.query.get('day');
  const isAdmin = route.session.role === 'ADMIN';
  const problem = el('div', { id: 'eod-problem' });
  let summary;
  try {
    summary = asked && DAY.test(asked) ? await api('GET', '/api/v1/eod/' + asked) : await api('GET', '/api/v1/eod');
  } catch (e) {
    fill(view, header('End of day'), notice('error', explain(e) + ' Pick another day or reload the page.'), dayForm(asked || '', null));
    return undefined;
  }
  const day = summary.date;
  const mailBox = el('div', { id: 'eod-mail', class: 'no-print' });
  const totalBills = Object.values(summary.billsByStatus || {}).reduce((a, b) => a + b, 0);
  const scans = Object.values(summary.scansByDispatcher || {}).reduce((a, b) => a + b, 0);

  fill(view,
    header('End of day · ' + longDay(day),
      el('a', { class: 'btn no-print', id: 'eod-csv', href: '/api/v1/eod/' + day + '.csv', download: true }, 'Export CSV'),
      el('a', { class: 'btn no-print', id: 'eod-xlsx', href: '/api/v1/eod/' + day + '.xlsx', download: true }, 'Export XLSX'),
      el('button', { type: 'button', class: 'btn no-print', id: 'eod-print', onclick: () => window.print() }, 'Print')),
    dayForm(day, summary.zone),
    problem,
    el('p', { class: 'muted', id: 'eod-range' }, 'From ' + when(summary.from) + ' to ' + when(summary.to) + ' (' + summary.zone
      + '). Bills are those created that day, as they stand now.'),
    el('div', { class: 'cards', id: 'eod-figures', 'data-day': day },
      card('bills', num(totalBills), 'bills created'),
      card('parentsCreated', num(summary.parentsCreated), 'parents created'),
      card('childrenLinked', num(summary.childrenLinked), 'children linked'),
      card('kgLinked', kg(summary.kgLinked), 'weight linked'),
      card('scans', num(scans), 'link scans'),
      card('undoRate', rate(summary.undoRate), 'undo rate · ' + num(summary.undos) + ' undos', summary.undoRate > 0.05 ? 'card-warn' : null),
      card('errorRate', rate(summary.errorRate), 'error rate · ' + num(summary.refusedScans) + ' refused on sync',
        summary.errorRate > 0.01 ? 'card-bad' : null),
      card('incomplete', num((summary.parentsLeftIncomplete || []).length), 'parents left incomplete',
        (summary.parentsLeftIncomplete || []).length ? 'card-warn' : null)),
    el('div', { class: 'two-columns' },
      section('eod-status', 'Bills by status', counts(summary.billsByStatus, 'Status', 'No bill was created this day.',
        s => pill(s.toLowerCase(), s === 'FINALIZED' ? 'ok' : 'warn'))),
      section('eod-users', 'Bills by user', counts(summary.billsByUser, 'User', 'No bill was created this day.'))),
    section('eod-bills', 'Bills of the day', (summary.bills || []).length === 0
      ? empty('No bill was created this day.', 'Bills appear here the day a biller creates them.')
      : table([
        { label: 'Bill', value: b => link('/bills/' + encodeURIComponent(b.id), b.id, { class: 'code' }) },
        { label: 'Status', value: b => pill(b.status.toLowerCase(), b.status === 'FINALIZED' ? 'ok' : 'warn') },
        { label: 'By', value: b => b.createdBy },
        { label: 'Destination', value: b => b.destination || '–' },
        { label: 'Vehicle', value: b => b.vehicle || '–' },
        { label: 'Parents', value: b => num(b.parents), class: 'num' },
        { label: 'Children', value: b => num(b.children), class: 'num' },
        { label: 'kg (actual)', value: b => kg(b.actualKg), class: 'num' },
        { label: 'kg (expected)', value: b => kg(b.expectedKg), class: 'num' },
      ], summary.bills, { label: 'Bills of the day', rowAttrs: b => ({ 'data-bill': b.id }) })),
    el('div', { class: 'two-columns' },
      section('eod-dispatchers', 'Link scans per dispatcher', counts(summary.scansByDispatcher, 'Dispatcher', 'No link scans this day.')),
      section('eod-docks', 'Link scans per dock', counts(summary.scansByDock, 'Dock', 'No link scans this day.'))),
    section('eod-incomplete', 'Parents left incomplete', (summary.parentsLeftIncomplete || []).length === 0
      ? empty('Every parent started this day is full or finished.', null)
      : el('div', null,
        el('p', { class: 'muted' }, 'Started this day, short of their count and not finished' +
          (summary.parentsLeftIncomplete.length >= 1000 ? ' (the first 1,000)' : '') + ':'),
        el('ul', { class: 'code-list' }, summary.parentsLeftIncomplete.map(code =>
          el('li', null, link('/bags/' + encodeURIComponent(code), code, { class: 'code' })))))),
    isAdmin ? mailBox : null);

  if (isAdmin) {
    await mailPanel(mailBox, day);
  }
  return undefined;
}

function dayForm(day, zone) {
  const input = el('input', { type: 'date', id: 'eod-day', name: 'day', value: day, required: true });
  const go = d => {
    if (DAY.test(d)) {
      location.hash = '#/eod?day=' + d;
    }
  };
  const form = el('form', { class: 'filters no-print', id: 'eod-day-form', role: 'search', 'aria-label': 'Choose the day' },
    el('button', { type: 'button', class: 'btn', id: 'eod-prev', 'aria-label': 'Previous day',
      onclick: () => day && go(shift(day, -1)) }, '← Previous day'),
    el('div', { class: 'field' }, el('label', { for: 'eod-day' }, 'Day' + (zone ? ' (' + zone + ')' : '')), input),
    el('button', { type: 'submit', class: 'btn btn-primary', id: 'eod-show' }, 'Show'),
    el('button', { type: 'button', class: 'btn', id: 'eod-next', 'aria-label': 'Next day',
      onclick: () => day && go(shift(day, 1)) }, 'Next day →'),
    el('a', { class: 'btn', href: '#/eod', id: 'eod-today' }, 'Today'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    go(input.value);
  });
  return form;
}

async function mailPanel(box, day) {
  const result = el('div', { id: 'eod-mail-result' });
  let log = null;
  try {
    log = await api('GET', '/api/v1/eod/mail');
  } catch (e) {
    // the button still works; only the history is missing
  }
  const configured = log ? log.configured : true;
  const send = el('button', { type: 'button', class: configured ? 'btn btn-primary' : 'btn', id: 'eod-mail-send', 'data-configured': String(configured) },
    'E-mail to admins and billers now');
  send.addEventListener('click', () => act(send, result, async () => {
    try {
      const sent = await api('POST', '/api/v1/eod/' + day + '/mail');
      fill(result, notice('ok', 'Sent the summary of ' + day + ' to ' + (sent.recipients || []).length + ' people: '
        + (sent.recipients || []).join(', ') + '.'));
      toast('Summary e-mailed');
    } catch (e) {
      fill(result, el('div', { 'data-code': e.code || 'ERROR' }, notice('error', mailWords(e))));
    }
  }));
  const recent = log && (log.days || []).length
    ? table([
      { label: 'Day', value: d => d.day || '–' },
      { label: 'State', value: d => d.sentAt ? pill('sent', 'ok') : d.lastError ? pill('failing', 'bad') : pill('pending', 'warn') },
      { label: 'Sent', value: d => when(d.sentAt) },
      { label: 'Attempts', value: d => num(d.attempts), class: 'num' },
      { label: 'To', value: d => d.recipients || '–' },
      { label: 'Last error', value: d => d.lastError || '–' },
    ], log.days, { label: 'Recent end-of-day mail' })
    : null;
  fill(box, el('section', { class: 'panel', 'aria-labelledby': 'eod-mail-title' },
    el('h2', { id: 'eod-mail-title' }, 'E-mail'),
    configured
      ? el('p', { class: 'muted' }, 'The summary is mailed to every enabled admin and biller with an e-mail address each evening; send it now if needed.')
      : notice('warn', 'Mail is not set up on this hub, so the summary is not e-mailed. To set it up, start the hub with '
        + '--smtp-host (HUB_SMTP_HOST) and, as needed, --smtp-from, --smtp-user and HUB_SMTP_PASSWORD, then add e-mail addresses on the Users page.'),
    el('div', { class: 'form-actions' }, send), result,
    recent ? el('details', null, el('summary', null, 'Recent mail'), recent) : null));
}

function mailWords(e) {
  if (e.code === 'SMTP_NOT_CONFIGURED') {
    return 'No mail server is set up, so nothing was sent. ' + explain(e)
      + ' Ask whoever runs the hub to set it (see the README, "end of day").';
  }
  if (e.code === 'NO_MAIL_RECIPIENTS') {
    return 'Nobody to send to: ' + explain(e);
  }
  return explain(e);
}

function section(id, title, body) {
  return el('section', { class: 'panel', id, 'aria-labelledby': id + '-title' }, el('h2', { id: id + '-title' }, title), body);
}

function card(key, value, label, extra) {
  return el('div', { class: 'card' + (extra ? ' ' + extra : ''), 'data-figure': key },
    el('span', { class: 'card-value' }, value), el('span', { class: 'card-label' }, label));
}

function counts(map, label, none, show) {
  const entries = Object.entries(map || {});
  if (entries.length === 0) {
    return empty(none, null);
  }
  return table([
    { label, value: ([k]) => show ? show(k) : k },
    { label: 'Count', value: ([, v]) => num(v), class: 'num' },
  ], entries, { label });
}

function rate(r) {
  return r === null || r === undefined ? '–' : (r * 100).toFixed(1) + ' %';
}

function kg(v) {
  return v === null || v === undefined ? '–' : num(Number(v)) + ' kg';
}

function shift(day, days) {
  const d = new Date(day + 'T12:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function longDay(day) {
  const d = new Date(day + 'T12:00:00Z');
  return d.toLocaleDateString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}
