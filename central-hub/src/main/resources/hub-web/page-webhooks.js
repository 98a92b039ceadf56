// Webhooks: how an integrator without Kafka gets the hub's events. Register an endpoint (its
// signing secret is shown once), remove one, and open one to see its deliveries: sent, waiting for
// a retry, or failed for good (dead-lettered), with the endpoint's last answer; a failed delivery
// can be sent again. The hub signs every attempt (Standard Webhooks) and never follows a redirect.

import { api, el, fill, header, empty, notice, table, field, values, toast, confirmDialog, num, when, pill, link, query } from './kit.js';
import { attempt } from './admin-words.js';

const KIND = { PENDING: 'warn', DELIVERED: 'ok', FAILED: 'bad' };
const STATUSES = ['PENDING', 'DELIVERED', 'FAILED'];

export async function render(view, route) {
  if (route.params.id) {
    return details(view, route.params.id, route.query.get('status') || '');
  }
  const list = el('div', { id: 'webhooks-list' });
  const problem = el('div', { id: 'webhooks-problem' });
  const box = el('div', { id: 'webhook-create-problem' });
  const secretBox = el('div', { id: 'webhook-secret', 'aria-live': 'polite' });
  const form = el('form', { id: 'webhook-create', class: 'form-grid' },
    field('Endpoint URL', 'url', { required: true, maxlength: 2000, type: 'url', inputmode: 'url',
      hint: 'https://… on a public host; a host on this network only if the hub was started with --webhook-allowed-hosts naming it.' }),
    field('Event types', 'types', { maxlength: 2000,
      hint: 'Empty: every event. Else a comma-separated list, e.g. io.tracetrack.link.v1, io.tracetrack.bill.finalized.v1.' }),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn btn-primary' }, 'Register webhook')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const v = values(form);
    const types = (v.types || '').split(',').map(t => t.trim()).filter(t => t !== '');
    const made = await attempt(form.querySelector('button'), box, () => api('POST', '/api/v1/webhooks', { url: v.url || '', types }));
    if (made) {
      form.reset();
      showSecret(made);
      await load();
    }
  });

  const showSecret = made => {
    const close = el('button', { type: 'button', class: 'btn', id: 'webhook-secret-done' }, 'I have noted it — hide the secret');
    close.addEventListener('click', () => {
      fill(secretBox);
      document.getElementById('page-title').focus();
    });
    fill(secretBox, el('section', { class: 'panel panel-code', 'aria-labelledby': 'secret-title', 'data-webhook': made.id },
      el('h2', { id: 'secret-title', tabindex: '-1' }, 'Signing secret for ' + made.url),
      notice('warn', 'This secret is shown only now. The endpoint checks each delivery\'s webhook-signature with it. If it is lost, remove the webhook and register it again.'),
      el('p', { class: 'enrol-code code', id: 'webhook-secret-value' }, made.secret),
      close));
    secretBox.querySelector('#secret-title').focus();
  };

  fill(view, header('Webhooks'), secretBox,
    el('section', { class: 'panel', 'aria-labelledby': 'webhook-new-title' }, el('h2', { id: 'webhook-new-title' }, 'Register a webhook'), form, box),
    el('section', { class: 'panel', 'aria-labelledby': 'webhook-list-title' }, el('h2', { id: 'webhook-list-title' }, 'Webhooks'), problem, list));

  const remove = async (hook, button) => {
    if (!await confirmDialog('Remove this webhook?', hook.url + ' gets no more events, and its deliveries are forgotten.', 'Remove', true)) {
      return;
    }
    if (await attempt(button, problem, () => api('DELETE', '/api/v1/webhooks/' + encodeURIComponent(hook.id))) !== undefined) {
      toast('Webhook removed.');
      await load();
    }
  };

  async function load() {
    const answer = await attempt(null, problem, () => api('GET', '/api/v1/webhooks'));
    if (!answer) {
      return;
    }
    const items = answer.webhooks || [];
    fill(list, items.length === 0
      ? empty('No webhooks yet.', 'Register an endpoint above; it then gets every committed event it asked for, signed, as a POST.')
      : table([
        { label: 'Endpoint', value: h => link('/webhooks/' + encodeURIComponent(h.id), h.url, { class: 'code', 'data-open': h.id }) },
        { label: 'Events', value: h => (h.types || []).length === 0 ? 'every event' : h.types.join(', ') },
        { label: 'Deliveries', value: h => counts(h.deliveries || {}) },
        { label: 'Registered', value: h => when(h.createdAt) + (h.createdBy ? ' by ' + h.createdBy : '') },
        { label: '', value: h => {
          const b = el('button', { type: 'button', class: 'btn btn-danger', 'data-remove': h.id }, 'Remove');
          b.addEventListener('click', () => remove(h, b));
          return b;
        } },
      ], items, { label: 'Webhooks', rowAttrs: h => ({ 'data-webhook': h.id, 'data-failed': (h.deliveries || {}).FAILED || 0 }) }));
  }
  await load();
}

/** Each state's count, failed ones first: what an admin looks for. */
function counts(byStatus) {
  const shown = ['FAILED', 'PENDING', 'DELIVERED'].filter(s => byStatus[s] > 0)
    .map(s => pill(num(byStatus[s]) + ' ' + s.toLowerCase(), KIND[s]));
  return shown.length ? el('span', { class: 'pills' }, shown) : el('span', { class: 'muted' }, 'none yet');
}

async function details(view, id, status) {
  const problem = el('div', { id: 'webhook-problem' });
  const list = el('div', { id: 'deliveries-list' });
  const filter = el('form', { id: 'deliveries-filter', class: 'filters', role: 'search' },
    field('Show', 'status', { type: 'select', value: status }, [['', 'every delivery'], ...STATUSES.map(s => [s, s.toLowerCase()])]),
    el('button', { type: 'submit', class: 'btn' }, 'Show'));
  filter.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = '#/webhooks/' + encodeURIComponent(id) + query({ status: values(filter).status });
  });
  const about = el('div', { id: 'webhook-about' });
  fill(view, header('Webhook', link('/webhooks', 'All webhooks', { class: 'btn' })), problem, about,
    el('section', { class: 'panel', 'aria-labelledby': 'deliveries-title' }, el('h2', { id: 'deliveries-title' }, 'Deliveries'),
      filter, list));

  const hook = await attempt(null, problem, () => api('GET', '/api/v1/webhooks/' + encodeURIComponent(id)));
  if (!hook) {
    return;
  }
  fill(about, el('section', { class: 'panel', 'data-webhook': hook.id },
    el('dl', { class: 'facts' },
      el('dt', null, 'Endpoint'), el('dd', { class: 'code' }, hook.url),
      el('dt', null, 'Events'), el('dd', null, (hook.types || []).length === 0 ? 'every event' : hook.types.join(', ')),
      el('dt', null, 'Deliveries'), el('dd', null, counts(hook.deliveries || {})),
      el('dt', null, 'Queued up to'), el('dd', null, 'change-log position ' + num(hook.position)))));

  const retry = async (d, button) => {
    const done = await attempt(button, problem, () => api('POST', '/api/v1/webhooks/' + encodeURIComponent(id) + '/deliveries/' + d.id + '/retry'));
    if (done) {
      toast('Delivery ' + d.id + ' queued: it is sent at once.');
      await load();
    }
  };

  async function load() {
    const answer = await attempt(null, problem, () => api('GET', '/api/v1/webhooks/' + encodeURIComponent(id) + '/deliveries'
      + query({ status, limit: 100 })));
    if (!answer) {
      return;
    }
    const items = answer.deliveries || [];
    fill(list, items.length === 0
      ? empty(status ? 'No ' + status.toLowerCase() + ' deliveries.' : 'No deliveries yet.',
        'A delivery is made for each committed event this webhook asked for.')
      : table([
        { label: 'Event', value: d => el('span', null, el('span', { class: 'code' }, d.eventType), ' #' + d.eventId) },
        { label: 'State', value: d => pill(d.status.toLowerCase(), KIND[d.status] || 'warn') },
        { label: 'Attempts', value: d => num(d.attempts), class: 'num' },
        { label: 'Last answer', value: d => el('span', null, d.lastStatus ? 'HTTP ' + d.lastStatus : d.lastError ? '' : '–',
          d.lastError ? el('span', { class: 'delivery-error' }, (d.lastStatus ? ' · ' : '') + d.lastError) : null) },
        { label: 'When', value: d => d.deliveredAt ? 'delivered ' + when(d.deliveredAt)
          : d.status === 'PENDING' && d.nextAttemptAt ? 'next attempt ' + when(d.nextAttemptAt)
            : d.lastAttemptAt ? 'last tried ' + when(d.lastAttemptAt) : when(d.createdAt) },
        { label: '', value: d => {
          if (d.status !== 'FAILED') {
            return '';
          }
          const b = el('button', { type: 'button', class: 'btn', 'data-retry': d.id }, 'Send again');
          b.addEventListener('click', () => retry(d, b));
          return b;
        } },
      ], items, { label: 'Deliveries', rowAttrs: d => ({ 'data-delivery': d.id, 'data-status': d.status }) }));
    if (answer.next) {
      list.appendChild(el('p', { class: 'hint' }, 'The newest 100 are shown.'));
    }
  }
  await load();
}
