// Sync conflicts: ops a dock pushed that the hub refused, with both sides — what the dock scanned
// and what the hub already had — and the admin's MOVE / KEEP / DISMISS, each confirmed with what it
// does. A refused MOVE (parent full, bill finalized) shows the hub's reason and stays open.
// Billers may read the queue; only admins resolve (the hub checks it again).

import { api, el, fill, header, empty, notice, field, values, toast, confirmDialog, when, pill, query, session } from './kit.js';
import { attempt } from './admin-words.js';

/** What an admin usually does, per code (README: "What an admin does about a conflict"). */
const ADVICE = {
  CHILD_ALREADY_LINKED: 'Two docks put this child into different parents while cut off; the first to reach the hub stands. Check the bag: KEEP if it is in the hub\'s parent, MOVE if it is really in the scanned one.',
  PARENT_COMPLETE: 'The parent was filled past its count by two docks. Take the extra bag out and scan it into another parent at the dock, then DISMISS.',
  PARENT_FULL: 'The parent was filled past 30 by two docks. Take the extra bag out and scan it into another parent at the dock, then DISMISS.',
  STALE_UNLINK: 'An undo met a child that was on another parent by then; nothing was removed. DISMISS: the other link stands.',
  PARENT_FINALIZED: 'The parent\'s bill was finalized meanwhile; sync never reopens a bill. A biller reopens the bill if the bag belongs there, else DISMISS.',
  EXPECTED_COUNT_MISMATCH: 'The same parent was created with different counts; the first creation stands and the scan was applied. DISMISS once checked.',
};

const ACTIONS = {
  MOVE: ['Move the child', 'The child is taken off the parent the hub has it on and put on the parent the dock scanned, through the same rules as a scan. Every dock hears of it. If the scanned parent is full or on a finalized bill, nothing changes and you are told why.', false],
  KEEP: ['Keep the hub\'s state', 'Nothing changes on any bag: what the hub has stands, and the conflict is closed. The dock is told.', false],
  DISMISS: ['Dismiss', 'Nothing changes on any bag; the conflict is closed as handled (for example after fixing it at the dock). The dock is told.', true],
};

export async function render(view, route) {
  const status = route.query.get('status') || 'OPEN';
  const dock = route.query.get('dock') || '';
  const admin = session.current.role === 'ADMIN';
  const docks = admin ? await api('GET', '/api/v1/docks').then(d => (d.docks || []).map(x => x.name), () => []) : [];
  const list = el('div', { id: 'conflicts-list', 'data-status': status });
  const problem = el('div', { id: 'conflicts-problem' });
  const filter = el('form', { class: 'filters', role: 'search', id: 'conflicts-filters' },
    field('Status', 'status', { type: 'select', value: status, id: 'conflicts-status' }, [['OPEN', 'Open'], ['RESOLVED', 'Resolved']]),
    docks.length
      ? field('Dock', 'dock', { type: 'select', value: dock, id: 'conflicts-dock' }, [['', 'Every dock'], ...docks.map(d => [d, d])])
      : field('Dock', 'dock', { value: dock, id: 'conflicts-dock', maxlength: 64 }),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn' }, 'Show')));
  filter.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = '#/conflicts' + query(values(filter));
  });
  const more = el('button', { type: 'button', class: 'btn', hidden: true, id: 'conflicts-more' }, 'Show more');
  fill(view, header('Sync conflicts'), el('section', { class: 'panel' }, filter), problem, list, el('div', { class: 'pager' }, more));

  let after = null;
  const shown = [];
  async function load(next) {
    const answer = await attempt(null, problem, () => api('GET', '/api/v1/conflicts' + query({ status, dock, after: next ? after : null, limit: 50 })));
    if (!answer) {
      return;
    }
    if (!next) {
      shown.length = 0;
    }
    shown.push(...(answer.conflicts || []));
    after = answer.next;
    more.hidden = !after;
    fill(list, shown.length === 0
      ? empty(status === 'OPEN' ? 'No open conflicts.' : 'No resolved conflicts yet.',
        status === 'OPEN' ? 'Docks are in agreement with the hub. Conflicts appear here when two docks scanned the same bags differently while cut off.' : null)
      : shown.map(c => card(c, admin, reloadAll)));
  }
  more.addEventListener('click', () => load(true));
  async function reloadAll() {
    after = null;
    await load(false);
  }
  await load(false);
}

function side(title, rows) {
  return el('div', { class: 'conflict-side' }, el('h3', null, title),
    el('dl', { class: 'facts' }, rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [el('dt', null, k), el('dd', null, v)])));
}

function card(view, admin, reload) {
  const c = view.conflict;
  const box = el('div', { class: 'conflict-problem' });
  const open = view.status === 'OPEN';
  const buttons = open && admin
    ? Object.entries(ACTIONS).filter(([action]) => action !== 'MOVE' || (c.opType === 'LINK' && !c.applied)).map(([action, [label, what, danger]]) => {
      const b = el('button', { type: 'button', class: 'btn btn-small' + (action === 'MOVE' ? ' btn-primary' : danger ? ' btn-danger' : ''),
        'data-resolve': action, 'data-conflict': c.id }, label);
      b.addEventListener('click', async () => {
        if (!await confirmDialog(label + ' — conflict ' + c.id + '?', what, label, danger)) {
          b.focus();
          return;
        }
        const done = await attempt(b, box, () => api('POST', '/api/v1/conflicts/' + c.id + '/resolve', { action }));
        if (done) {
          toast('Conflict ' + c.id + ' resolved: ' + action + '.');
          await reload();
          const title = document.getElementById('page-title');
          if (title) {
            title.focus();
          }
        }
      });
      return b;
    })
    : [];
  return el('article', { class: 'panel conflict', 'data-conflict': c.id, 'data-code': c.code, 'aria-labelledby': 'conflict-' + c.id },
    el('div', { class: 'page-head' },
      el('h2', { id: 'conflict-' + c.id }, 'Conflict ' + c.id + ' · ', el('span', { class: 'code' }, c.code)),
      open ? pill('open', 'warn') : pill((view.resolution || 'resolved').toLowerCase(), 'ok')),
    el('p', { class: 'conflict-message free-text' }, c.message),
    el('div', { class: 'two-columns' },
      side('The dock scanned', [
        ['What', (c.opType || '').toLowerCase() + (c.child ? ' ' + c.child : '') + (c.parent ? ' → ' + c.parent : '')],
        ['Dock', c.dock + ' (' + c.edgeId + ', op ' + c.seq + ')'],
        ['Who', c.actor], ['Station', c.station],
        ['On the dock\'s clock', c.hlcWall ? when(new Date(c.hlcWall).toISOString()) : null],
        ['Reached the hub', when(c.hubAt)],
        ['Applied anyway', c.applied ? 'yes' : null]]),
      side('The hub already had', [
        ['Parent', c.otherParent || (c.code === 'CHILD_ALREADY_LINKED' ? 'another parent' : '–')],
        ['From', c.otherDock === 'API' ? 'the hub (web or API)' : c.otherDock],
        ['Who', c.otherActor], ['When', c.otherAt ? when(c.otherAt) : null]])),
    ADVICE[c.code] ? notice('info', ADVICE[c.code]) : null,
    open ? null : el('p', { class: 'muted' }, 'Closed with ' + (view.resolution || '–') + ' by ' + (view.resolvedBy || '–') + ', ' + when(view.resolvedAt)
      + (view.acknowledgedAt ? ' · seen at the dock ' + when(view.acknowledgedAt) : '')),
    box,
    buttons.length ? el('div', { class: 'form-actions' }, buttons) : null);
}
