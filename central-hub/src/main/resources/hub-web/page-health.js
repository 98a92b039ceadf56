// System health (F-ADMIN): the database pool and the admission queue in front of it, memory,
// database size, errors in the last hour, cache hit rates, each dock's sync state, the hub
// instances sharing the database and the last days' end-of-day e-mail; refreshed live.

import { api, el, fill, header, empty, notice, table, num, ago, when, pill, link, every, explain } from './kit.js';

const REFRESH_MS = 5000;

// what each cache saves, so a low hit rate can be read without knowing the code
const CACHE_NAMES = {
  bag_views: 'Bag pages',
  bill_summaries: 'Bill summaries',
  account_checks: 'Sign-in checks',
  dashboard: 'Dashboard totals',
};

export async function render(view) {
  const status = el('p', { class: 'live', id: 'health-updated', role: 'status' }, 'Loading…');
  const cards = el('div', { class: 'cards', id: 'health-cards' });
  const caches = el('div', { id: 'health-caches' });
  const docks = el('div', { id: 'health-docks' });
  const mail = el('div', { id: 'health-mail' });
  const instances = el('div', { id: 'health-instances' });
  const problem = el('div');
  fill(view, header('System health', status), problem, cards,
    el('div', { class: 'two-columns' },
      el('section', { class: 'panel', 'aria-labelledby': 'caches-title' }, el('h2', { id: 'caches-title' }, 'Caches'), caches),
      el('section', { class: 'panel', 'aria-labelledby': 'health-docks-title' }, el('h2', { id: 'health-docks-title' }, 'Dock sync'), docks)),
    el('section', { class: 'panel', 'aria-labelledby': 'health-instances-title' },
      el('h2', { id: 'health-instances-title' }, 'Hub instances'), instances),
    el('section', { class: 'panel', 'aria-labelledby': 'health-mail-title' },
      el('h2', { id: 'health-mail-title' }, 'End-of-day e-mail'), mail));

  const load = async () => {
    try {
      const [health, fleet, mailLog] = await Promise.all([api('GET', '/api/v1/system/health'),
        api('GET', '/api/v1/docks').catch(() => ({ docks: null })),
        api('GET', '/api/v1/eod/mail').catch(() => null)]);
      fill(problem);
      draw(health, fleet.docks);
      drawMail(mail, mailLog);
      drawInstances(instances, health.instances || []);
      status.textContent = 'Live · updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      status.textContent = 'Not updated: the hub did not answer';
      fill(problem, notice('error', explain(e) + ' The figures refresh by themselves when the hub answers again.'));
    }
  };

  const draw = (h, fleet) => {
    const db = h.database || {};
    const pool = db.pool || {};
    const queue = db.queue;
    const mem = h.memory || {};
    const heapShare = mem.heapMaxBytes > 0 ? mem.heapUsedBytes / mem.heapMaxBytes : 0;
    const errors = h.errorsLastHour ?? 0;
    fill(cards,
      card('pool', num(pool.active) + ' / ' + num(pool.max), 'DB connections in use',
        num(pool.idle) + ' idle · ' + num(pool.waiting) + ' waiting', pool.waiting > 0 ? 'warn' : 'ok'),
      queue ? card('queue', num(queue.waiting), 'Requests waiting for the database',
        num(queue.timeouts) + ' turned away as busy since start (after '
          + num(queue.deadlineSeconds) + ' s)', queue.timeouts > 0 ? 'bad' : queue.waiting > 0 ? 'warn' : 'ok') : null,
      card('memory', bytes(mem.heapUsedBytes), 'Memory used', 'of ' + bytes(mem.heapMaxBytes) + ' (' + Math.round(heapShare * 100) + '%)',
        heapShare > 0.9 ? 'bad' : heapShare > 0.75 ? 'warn' : 'ok', heapShare),
      card('database', bytes(db.sizeBytes), 'Database size', (db.dialect || '').toLowerCase(), 'ok'),
      card('errors', num(errors), 'Errors in the last hour', errors > 0 ? 'server errors (5xx); see the hub\'s log' : 'none', errors > 0 ? 'bad' : 'ok'),
      card('uptime', duration(h.uptimeSeconds), 'Up for', '', 'ok'),
      eventsCard(h.events),
      webhooksCard(h.webhooks));
    const list = h.caches || [];
    fill(caches, list.length === 0
      ? empty('This hub reports no caches.')
      : table([
        { label: 'Cache', value: c => el('span', null, CACHE_NAMES[c.name] || c.name, ' ', el('span', { class: 'code muted' }, c.name)) },
        // no lookups yet is not a 0 % hit rate
        { label: 'Hit rate', value: c => c.hits + c.misses > 0 ? Math.round((c.hitRate || 0) * 100) + '%' : '–', class: 'num' },
        { label: 'Hits', value: c => num(c.hits), class: 'num' },
        { label: 'Misses', value: c => num(c.misses), class: 'num' },
        { label: 'Entries', value: c => num(c.size), class: 'num' },
      ], [...list].sort((a, b) => a.name.localeCompare(b.name)), { label: 'Caches', rowAttrs: c => ({ 'data-cache': c.name }) }));
    fill(docks, fleet === null
      ? notice('warn', 'The dock list could not be read.')
      : fleet.length === 0
        ? empty('No docks yet.', 'Register docks on the Fleet page.')
        : table([
          { label: 'Dock', value: d => el('span', { class: 'code' }, d.name) },
          { label: 'State', value: d => d.revokedAt ? pill('revoked', 'bad') : !d.enrolled ? pill('not enrolled', 'info')
            : d.backlog > 0 ? pill('backlog ' + num(d.backlog), 'warn') : pill('in sync', 'ok') },
          { label: 'Last seen', value: d => d.lastSeenAt ? ago(d.lastSeenAt) : 'never' },
          { label: 'Oldest pending', value: d => d.oldestPendingAt ? ago(d.oldestPendingAt) : '–' },
          { label: 'Open conflicts', value: d => num(d.openConflicts), class: 'num' },
        ], fleet, { label: 'Dock sync', rowAttrs: d => ({ 'data-dock': d.name }) }));
  };

  await load();
  return every(REFRESH_MS, load);
}

/**
 * The hub instances on this database, as their rows say: the one answering marked, each one's
 * version (a roll-out in progress shows two) and its share of the database's connections.
 */
function drawInstances(box, list) {
  const versions = new Set(list.map(i => i.version));
  fill(box,
    list.length === 0 ? empty('No instance has reported yet.') : table([
      { label: 'Instance', value: i => el('span', null, el('span', { class: 'code' }, i.name), i.here ? ' ' : null,
        i.here ? pill('this one', 'info') : null) },
      { label: 'Version', value: i => el('span', { class: 'code' }, i.version) },
      { label: 'Started', value: i => ago(i.startedAt) },
      { label: 'Last seen', value: i => ago(i.seenAt) },
      { label: 'DB connections', value: i => num(i.poolSize), class: 'num' },
    ], list, { label: 'Hub instances', rowAttrs: i => ({ 'data-instance': i.name, 'data-here': String(i.here) }) }),
    versions.size > 1
      ? notice('warn', 'The instances run ' + versions.size + ' different versions: a roll-out is under way or stalled.')
      : null,
    el('p', { class: 'hint' }, 'Every instance on the database renews its row every 5 s; one not seen for 15 s no longer counts, '
      + 'and the others take its share of the database\'s connections.'));
}

/** The last days' end-of-day mail: sent, failing (with the server's error) or pending; or why none goes. */
function drawMail(box, log) {
  if (log === null) {
    fill(box, notice('warn', 'The end-of-day mail state could not be read.'));
    box.dataset.configured = '';
    return;
  }
  box.dataset.configured = String(log.configured);
  const days = log.days || [];
  fill(box,
    log.configured ? null
      : notice('info', 'No mail server configured: the end-of-day summary is not e-mailed. Start the hub with --smtp-host '
        + '(HUB_SMTP_HOST; see the README\'s "E-mail" part) to send it to admins and billers with an address.'),
    days.length === 0
      ? (log.configured ? empty('No end-of-day mail yet.', 'It goes once a day after --eod-mail-at; to send one now, use the End of day page.') : null)
      : table([
        { label: 'Day', value: d => link('/eod?day=' + d.day, d.day), class: 'nowrap' },
        { label: 'State', value: d => d.sentAt ? pill('sent', 'ok') : d.lastError ? pill('failed', 'bad') : pill('pending', 'warn') },
        { label: 'Sent', value: d => when(d.sentAt), class: 'nowrap' },
        { label: 'Attempts', value: d => num(d.attempts), class: 'num' },
        { label: 'To', value: d => d.recipients || '–' },
        { label: 'Error', value: d => d.sentAt ? '–' : d.lastError ? el('span', { class: 'mail-error' }, d.lastError) : 'not sent yet' },
      ], days, { label: 'End-of-day e-mail', rowAttrs: d => ({ 'data-mail-day': d.day,
        'data-mail-state': d.sentAt ? 'sent' : d.lastError ? 'failed' : 'pending' }) }),
    days.some(d => !d.sentAt && d.lastError)
      ? el('p', { class: 'hint' }, 'A failed day is tried again every 10 minutes; check the mail server named in the error, or send it again from the End of day page.')
      : null);
}

/** The webhooks: none, or their deliveries dead-lettered (the worst webhook named) and waiting. */
function webhooksCard(hooks) {
  if (!hooks || hooks.count === 0) {
    return card('webhooks', 'None', 'Webhooks', 'an admin registers one with POST /api/v1/webhooks', 'ok');
  }
  const worst = (hooks.failing || [])[0];
  const detail = worst
    ? worst.url + ': ' + num(worst.failed) + ' dead-lettered' + (worst.lastError ? ' (' + worst.lastError + ')' : '')
    : num(hooks.pending) + ' waiting to be sent · ' + num(hooks.count) + ' webhook' + (hooks.count === 1 ? '' : 's');
  return card('webhooks', num(hooks.failed), 'Webhook deliveries failed', detail,
    hooks.failed > 0 ? 'bad' : hooks.pending > 0 ? 'warn' : 'ok');
}

/** The relay to Kafka: off, or how many events wait for Kafka and how old the oldest is. */
function eventsCard(events) {
  if (!events || events.relay !== 'on') {
    return card('events', 'Off', 'Events to Kafka', 'start the hub with --kafka to publish every change', 'ok');
  }
  const lag = events.lagEntries ?? 0;
  const detail = events.lastError ? 'retrying: ' + events.lastError
    : lag === 0 ? 'all delivered' + (events.holder ? ' · relayed by ' + events.holder : '')
      : 'oldest waiting ' + duration(Math.round(events.lagSeconds || 0));
  return card('events', num(lag), 'Events waiting for Kafka', detail,
    events.lastError || (events.lagSeconds || 0) > 60 ? 'bad' : lag > 0 ? 'warn' : 'ok');
}

function card(key, value, label, detail, kind, share) {
  const bar = share === undefined ? null : el('div', { class: 'progress', role: 'progressbar', 'aria-label': label,
    'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(share * 100) }, el('div', { class: 'progress-bar' }));
  if (bar) {
    bar.firstChild.style.width = Math.min(100, Math.round(share * 100)) + '%';
  }
  return el('div', { class: 'card card-' + kind, 'data-health': key },
    el('span', { class: 'card-value' }, value), el('span', { class: 'card-label' }, label),
    detail ? el('span', { class: 'card-detail' }, detail) : null, bar);
}

function bytes(n) {
  if (n === null || n === undefined || n < 0) {
    return '–';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)) + ' ' + units[i];
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '–';
  }
  if (seconds < 3600) {
    return Math.max(1, Math.round(seconds / 60)) + ' min';
  }
  if (seconds < 86400) {
    return Math.round(seconds / 3600) + ' h';
  }
  return Math.round(seconds / 86400) + ' days';
}
