// Areas (F-ADMIN): dispatch areas with their dispatcher seats taken and allowed, and a new area.
// A dispatcher needs an area, so this is where an admin starts before creating dispatchers.

import { api, el, fill, header, empty, notice, table, field, values, toast, num, when, pill } from './kit.js';
import { attempt } from './admin-words.js';

export async function render(view) {
  const list = el('div', { id: 'areas-list' });
  const problem = el('div', { id: 'areas-problem' });
  const box = el('div', { id: 'area-create-problem' });
  const form = el('form', { id: 'area-create', class: 'form-grid' },
    field('Area id', 'id', { required: true, maxlength: 40, hint: 'Capital letters, digits, "_" or "-", e.g. NORTH. Docks and dispatchers refer to it; it cannot change.' }),
    field('Name', 'name', { required: true, maxlength: 80, hint: 'What people call it, e.g. "North yard, gates 1–6".' }),
    field('Most dispatchers', 'maxDispatchers', { type: 'number', min: 0, max: 1000, value: 10, inputmode: 'numeric' }),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn btn-primary' }, 'Create area')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const v = values(form);
    const body = { id: (v.id || '').toUpperCase(), name: v.name || '' };
    if (v.maxDispatchers !== undefined) {
      body.maxDispatchers = Number(v.maxDispatchers);
    }
    const made = await attempt(form.querySelector('button'), box, () => api('POST', '/api/v1/areas', body));
    if (made) {
      toast('Area ' + made.id + ' created.');
      form.reset();
      await load();
      form.querySelector('[name=id]').focus();
    }
  });
  fill(view, header('Areas'),
    el('section', { class: 'panel', 'aria-labelledby': 'area-new-title' }, el('h2', { id: 'area-new-title' }, 'New area'), form, box),
    el('section', { class: 'panel', 'aria-labelledby': 'area-list-title' }, el('h2', { id: 'area-list-title' }, 'All areas'), problem, list));

  async function load() {
    const answer = await attempt(null, problem, () => api('GET', '/api/v1/areas'));
    if (!answer) {
      return;
    }
    const items = answer.items || [];
    fill(list, items.length === 0
      ? empty('No areas yet.', 'Create the first area above; then create its dispatchers on the Users page and register its docks on the Fleet page.')
      : table([
        { label: 'Id', value: a => el('span', { class: 'code' }, a.id) },
        { label: 'Name', value: a => a.name },
        { label: 'Dispatchers', value: a => num(a.dispatchers) + ' of ' + num(a.maxDispatchers), class: 'num' },
        { label: 'Seats', value: a => a.dispatchers >= a.maxDispatchers ? pill('full', 'bad') : pill((a.maxDispatchers - a.dispatchers) + ' free', 'ok') },
        { label: 'Created', value: a => when(a.createdAt) },
      ], items, { label: 'Areas', rowAttrs: a => ({ 'data-area': a.id }) }));
  }
  await load();
}
