// Audit trail (F-ADMIN): who changed what, when, from where; filters (actor, action, entity, a date
// range in the reader's time zone), newest first with "older entries" paging, each change shown as
// a readable before → after diff (text only), and "Verify chain" to check the hash chain. Its second
// tab, "Scans at docks", is every dock scan as it reached the hub, by who, dock, station and time.

import { api, el, fill, header, empty, notice, table, field, values, when, pill, query, link } from './kit.js';
import { attempt } from './admin-words.js';

const PAGE = 50;
const ACTIONS = ['PARENT_CREATED', 'CHILD_CREATED', 'CHILD_LINKED', 'CHILD_UNLINKED', 'PARENT_FINISHED', 'BILL_CREATED',
  'BILL_EDITED', 'BILL_PARENT_ADDED', 'BILL_PARENT_REMOVED', 'BILL_FINALIZED', 'BILL_REOPENED', 'AREA_CREATED',
  'USER_CREATED', 'USER_EDITED', 'USER_ENABLED', 'USER_DISABLED', 'USER_ROLE_CHANGED', 'USER_PASSWORD_RESET',
  'USER_UNLOCKED', 'USER_PASSWORD_CHANGED', 'USER_DELETED', 'PROMOTION_REQUESTED', 'PROMOTION_APPROVED',
  'PROMOTION_REJECTED', 'TOTP_ENROLMENT_STARTED', 'TOTP_ENABLED', 'TOTP_DISABLED', 'DOCK_REGISTERED',
  'DOCK_CODE_ISSUED', 'DOCK_ENROLLED', 'DOCK_REVOKED', 'CONFLICT_RESOLVED'];
const ENTITIES = ['BAG', 'BILL', 'USER', 'AREA', 'PROMOTION_REQUEST', 'DOCK', 'CONFLICT'];

/** The two trails: changes made at the hub (hash-chained) and scans made at docks. */
function tabs(current) {
  const tab = (hash, text, name) => link(hash, text, { class: 'tab' + (current === name ? ' tab-current' : ''),
    'aria-current': current === name ? 'page' : null, id: 'audit-tab-' + name });
  return el('nav', { class: 'tabs', 'aria-label': 'Audit trails' }, tab('/audit', 'Changes', 'changes'),
    tab('/audit?trail=scans', 'Scans at docks', 'scans'));
}

// a day in the reader's time zone: from its local midnight to the next one
function midnight(day, plus) {
  const d = new Date(day + 'T00:00:00');
  d.setDate(d.getDate() + plus);
  return d.toISOString();
}

export async function render(view, route) {
  const q = route.query;
  if (q.get('trail') === 'scans') {
    return renderScans(view, q);
  }
  const filters = { actor: q.get('actor') || '', action: q.get('action') || '', entityType: q.get('entityType') || '',
    entityId: q.get('entityId') || '', fromDay: q.get('fromDay') || '', toDay: q.get('toDay') || '' };
  const words = name => name.toLowerCase().replaceAll('_', ' ');
  const form = el('form', { class: 'filters', id: 'audit-filters', role: 'search' },
    field('Who', 'actor', { value: filters.actor, maxlength: 80, id: 'audit-actor' }),
    field('What happened', 'action', { type: 'select', value: filters.action, id: 'audit-action' }, [['', 'Anything'], ...ACTIONS.map(a => [a, words(a)])]),
    field('Kind', 'entityType', { type: 'select', value: filters.entityType, id: 'audit-entity' }, [['', 'Any kind'], ...ENTITIES.map(e => [e, words(e)])]),
    field('Which (id or code)', 'entityId', { value: filters.entityId, maxlength: 80, id: 'audit-entity-id' }),
    field('From day', 'fromDay', { type: 'date', value: filters.fromDay, id: 'audit-from' }),
    field('To day (inclusive)', 'toDay', { type: 'date', value: filters.toDay, id: 'audit-to' }),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn btn-primary' }, 'Show'),
      el('a', { href: '#/audit', class: 'btn' }, 'Clear')));
  form.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = '#/audit' + query(values(form));
  });

  const verifyBox = el('div', { id: 'audit-verify-result', 'aria-live': 'polite' });
  const verify = el('button', { type: 'button', class: 'btn', id: 'audit-verify' }, 'Verify chain');
  verify.addEventListener('click', async () => {
    fill(verifyBox, el('p', { class: 'muted', role: 'status' }, 'Checking every entry of the chain…'));
    const result = await attempt(verify, verifyBox, () => api('POST', '/api/v1/audit/verify'));
    if (!result) {
      return;
    }
    const box = result.intact
      ? notice('ok', 'The chain is intact: ' + result.checked + ' entries checked, none changed or removed.')
      : notice('error', 'The chain is broken at entry ' + (result.firstBadSeq ?? '?') + ': ' + (result.problem || 'an entry does not match its hash')
        + '. Someone changed or removed audit entries outside the hub. Keep a copy of the database as it is and tell your security contact.');
    box.dataset.intact = String(result.intact);
    fill(verifyBox, box);
  });

  const list = el('div', { id: 'audit-list' });
  const problem = el('div', { id: 'audit-problem' });
  const older = el('button', { type: 'button', class: 'btn', id: 'audit-older', hidden: true }, 'Older entries');
  fill(view, header('Audit trail', verify), tabs('changes'), verifyBox, el('section', { class: 'panel' }, form), problem, list,
    el('div', { class: 'pager' }, older));

  const params = { actor: filters.actor, action: filters.action, entityType: filters.entityType, entityId: filters.entityId,
    from: filters.fromDay ? midnight(filters.fromDay, 0) : '', until: filters.toDay ? midnight(filters.toDay, 1) : '', limit: PAGE };
  let before = null;
  const entries = [];
  async function load(more) {
    const answer = await attempt(older, problem, () => api('GET', '/api/v1/audit' + query({ ...params, before: more ? before : null })));
    if (!answer) {
      return;
    }
    entries.push(...answer.entries);
    before = answer.next;
    older.hidden = !before;
    fill(list, entries.length === 0
      ? empty('No audit entries match.', 'Widen the filters (clear "Who" or the dates).')
      : table([
        { label: 'When', value: e => when(e.at) },
        { label: 'Who', value: e => el('span', null, e.actor, e.ip ? el('small', { class: 'muted block' }, e.ip) : null) },
        { label: 'What', value: e => pill(words(e.action), 'info') },
        { label: 'Which', value: e => el('span', { class: 'code' }, words(e.entityType || '') + ' ' + (e.entityId || '')) },
        { label: 'Change', value: e => diff(e.before, e.after) },
        { label: 'Request', value: e => el('small', { class: 'muted code' }, e.requestId || '–') },
      ], entries, { label: 'Audit entries', rowAttrs: e => ({ 'data-entry': e.id, 'data-action': e.action }) }));
  }
  older.addEventListener('click', () => load(true));
  await load(false);
}

/** Dock scans as they reached the hub: who, dock, station, a date range; newest first, older pages. */
async function renderScans(view, q) {
  const filters = { actor: q.get('actor') || '', dock: q.get('dock') || '', station: q.get('station') || '',
    fromDay: q.get('fromDay') || '', toDay: q.get('toDay') || '' };
  const words = name => (name || '').toLowerCase().replaceAll('_', ' ');
  const form = el('form', { class: 'filters', id: 'scan-filters', role: 'search' },
    field('Who', 'actor', { value: filters.actor, maxlength: 64, id: 'scan-actor' }),
    field('Dock', 'dock', { value: filters.dock, maxlength: 64, id: 'scan-dock' }),
    field('Station', 'station', { value: filters.station, maxlength: 64, id: 'scan-station' }),
    field('From day', 'fromDay', { type: 'date', value: filters.fromDay, id: 'scan-from' }),
    field('To day (inclusive)', 'toDay', { type: 'date', value: filters.toDay, id: 'scan-to' }),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn btn-primary' }, 'Show'),
      el('a', { href: '#/audit?trail=scans', class: 'btn' }, 'Clear')));
  form.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = '#/audit' + query({ trail: 'scans', ...values(form) });
  });
  const list = el('div', { id: 'scan-list' });
  const problem = el('div', { id: 'scan-problem' });
  const older = el('button', { type: 'button', class: 'btn', id: 'scan-older', hidden: true }, 'Older scans');
  fill(view, header('Audit trail'), tabs('scans'),
    el('p', { class: 'muted' }, 'Every scan a dock made that the hub took, as it reached the hub. Scans refused on sync are on the Conflicts page.'),
    el('section', { class: 'panel' }, form), problem, list, el('div', { class: 'pager' }, older));
  const params = { actor: filters.actor, dock: filters.dock, station: filters.station,
    from: filters.fromDay ? midnight(filters.fromDay, 0) : '', until: filters.toDay ? midnight(filters.toDay, 1) : '', limit: PAGE };
  let before = null;
  const scans = [];
  async function load(more) {
    const answer = await attempt(older, problem, () => api('GET', '/api/v1/audit/scans' + query({ ...params, before: more ? before : null })));
    if (!answer) {
      return;
    }
    scans.push(...answer.scans);
    before = answer.next;
    older.hidden = !before;
    fill(list, scans.length === 0
      ? empty('No dock scans match.', 'Widen the filters (clear "Who", the dock or the dates).')
      : table([
        { label: 'Reached the hub', value: s => when(s.at) },
        { label: 'Who', value: s => s.actor },
        { label: 'Dock · station', value: s => (s.dock || '–') + (s.station ? ' · ' + s.station : '') },
        { label: 'What', value: s => pill(words(s.kind), 'info') },
        { label: 'Bag', value: s => link('/bags/' + encodeURIComponent(s.bag), s.bag, { class: 'code' }) },
        { label: 'Parent', value: s => s.parent ? el('span', { class: 'code' }, s.parent) : '–' },
      ], scans, { label: 'Dock scans', rowAttrs: s => ({ 'data-scan': s.id, 'data-kind': s.kind }) }));
  }
  older.addEventListener('click', () => load(true));
  await load(false);
}

function parse(json) {
  if (json === null || json === undefined || json === '') {
    return null;
  }
  try {
    return JSON.parse(json);
  } catch (e) {
    return json;
  }
}

function flat(value, prefix, out) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      flat(v, prefix ? prefix + '.' + k : k, out);
    }
  } else if (prefix) {
    out[prefix] = value === null ? '–' : Array.isArray(value) ? value.join(', ') : String(value);
  } else if (value !== null) {
    out.value = String(value);
  }
  return out;
}

/** Before → after as lines "field: old → new"; unchanged fields are left out (text nodes only). */
function diff(beforeJson, afterJson) {
  const before = flat(parse(beforeJson), '', {});
  const after = flat(parse(afterJson), '', {});
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const lines = [];
  for (const k of keys) {
    const a = before[k];
    const b = after[k];
    if (a === b) {
      continue;
    }
    if (a === undefined) {
      lines.push(el('li', { class: 'diff-add' }, el('span', { class: 'diff-key' }, k + ': '), b));
    } else if (b === undefined) {
      lines.push(el('li', { class: 'diff-del' }, el('span', { class: 'diff-key' }, k + ': '), el('del', null, a)));
    } else {
      lines.push(el('li', { class: 'diff-change' }, el('span', { class: 'diff-key' }, k + ': '), el('del', null, a), ' → ', el('ins', null, b)));
    }
  }
  return lines.length ? el('ul', { class: 'diff' }, lines) : el('span', { class: 'muted' }, '–');
}
