// Promotion requests (F-ADMIN): what people asked for and why; an admin approves (the role change
// passes every guard, or nothing happens and the reason is shown) or rejects with a note.

import { api, el, fill, header, empty, notice, table, field, values, toast, when, pill, query } from './kit.js';
import { attempt } from './admin-words.js';

const STATUSES = [['PENDING', 'Waiting'], ['APPROVED', 'Approved'], ['REJECTED', 'Rejected'], ['', 'All']];

export async function render(view, route) {
  const status = route.query.has('status') ? route.query.get('status') : 'PENDING';
  const list = el('div', { id: 'promotions-list' });
  const problem = el('div', { id: 'promotions-problem' });
  const filter = el('form', { class: 'filters', role: 'search' },
    field('Show', 'status', { type: 'select', value: status, id: 'promotions-status' }, STATUSES),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn' }, 'Show')));
  filter.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = '#/promotions' + query({ status: new FormData(filter).get('status') || 'ALL' });
  });
  fill(view, header('Promotion requests'), el('section', { class: 'panel' }, filter, problem, list));

  async function load() {
    const wanted = status === 'ALL' ? '' : status;
    const answer = await attempt(null, problem, () => api('GET', '/api/v1/promotion-requests' + query({ status: wanted, limit: 100 })));
    if (!answer) {
      return;
    }
    const items = answer.items || [];
    fill(list, items.length === 0
      ? empty(status === 'PENDING' ? 'Nobody is waiting for a decision.' : 'No requests here.',
        'People ask for a role on their "My account" page; their requests appear here.')
      : table([
        { label: 'Asked', value: r => when(r.createdAt) },
        { label: 'Who', value: r => el('span', { class: 'code' }, r.username) },
        { label: 'For', value: r => r.role.toLowerCase() + (r.area ? ' · ' + r.area : '') },
        { label: 'Reason', value: r => el('span', { class: 'free-text', 'data-reason': r.id }, r.reason) },
        { label: 'Status', value: r => pill(r.status.toLowerCase(), r.status === 'APPROVED' ? 'ok' : r.status === 'REJECTED' ? 'bad' : 'warn') },
        { label: 'Decision', value: r => r.status === 'PENDING' ? decide(r) : el('span', null,
          (r.decidedBy || '–') + ' · ' + when(r.decidedAt), r.note ? el('span', { class: 'free-text note' }, ' — ' + r.note) : null) },
      ], items, { label: 'Promotion requests', rowAttrs: r => ({ 'data-request': r.id }) }));
  }

  function decide(r) {
    const box = el('div', { class: 'decide-problem' });
    const area = r.role === 'DISPATCHER'
      ? el('input', { type: 'text', name: 'area', value: r.area || '', 'aria-label': 'Area for ' + r.username, maxlength: 40, class: 'input-small' })
      : null;
    const note = el('input', { type: 'text', name: 'note', 'aria-label': 'Note to ' + r.username + ' (when rejecting)', placeholder: 'Note (optional)', maxlength: 500, class: 'input-small' });
    const approve = el('button', { type: 'button', class: 'btn btn-ok btn-small', 'data-approve': r.id }, 'Approve');
    const reject = el('button', { type: 'button', class: 'btn btn-danger btn-small', 'data-reject': r.id }, 'Reject');
    approve.addEventListener('click', async () => {
      const body = area && area.value.trim() ? { area: area.value.trim().toUpperCase() } : undefined;
      if (await attempt(approve, box, () => api('POST', '/api/v1/promotion-requests/' + r.id + '/approve', body))) {
        toast(r.username + ' is now ' + r.role.toLowerCase() + '.');
        await load();
      }
    });
    reject.addEventListener('click', async () => {
      const body = note.value.trim() ? { note: note.value.trim() } : undefined;
      if (await attempt(reject, box, () => api('POST', '/api/v1/promotion-requests/' + r.id + '/reject', body))) {
        toast('Request of ' + r.username + ' rejected.');
        await load();
      }
    });
    return el('div', { class: 'decide' }, area, note, el('div', { class: 'decide-buttons' }, approve, reject), box);
  }

  await load();
}
