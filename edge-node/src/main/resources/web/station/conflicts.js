// Scans of this dock the hub did not take: one line each (what was refused and why, the bags, the
// other dock, when) with an Acknowledge button, shown until someone here acknowledges it. When an
// admin closes one at the hub, its outcome leads the line (and it shows again if it had been
// acknowledged): what stood then is history, and a dispatcher must not act on it.

import { CONFIG, el, state } from './state.js';
import { apiRequest } from './api.js';
import { expireSession } from './signin.js';
import { conflictOutcome } from './model.js';
import { isObject, sinceText, stringOrNull } from './text.js';
import { focusScan, textSpan } from './view.js';

export function renderConflicts(list) {
  const shown = list.filter(isObject).slice(0, CONFIG.conflictsShown);
  el.conflicts.replaceChildren(...shown.map(conflictItem));
  el.conflictsPanel.hidden = shown.length === 0;
}

function conflictItem(c) {
  const li = document.createElement('li');
  const outcome = conflictOutcome(c);
  li.className = outcome ? 'conflict conflict-resolved' : 'conflict';
  const id = typeof c.id === 'number' ? c.id : null;
  if (id !== null) li.dataset.conflictId = String(id);
  const bags = [stringOrNull(c.child), stringOrNull(c.parent)].filter(Boolean);
  if (outcome) li.append(textSpan('conflict-outcome', outcome));
  li.append(textSpan('conflict-code', stringOrNull(c.code) || 'CONFLICT'));
  const message = stringOrNull(c.message) || 'The hub did not take this scan.';
  li.append(textSpan('conflict-message', outcome ? `Was: ${message}` : message));
  if (bags.length) li.append(textSpan('conflict-bags', bags.join(' → ')));
  const other = [stringOrNull(c.otherParent) ? `${outcome ? 'then' : 'now'} in ${c.otherParent}` : null,
    stringOrNull(c.otherDock) ? `by dock ${c.otherDock}` : null].filter(Boolean);
  if (other.length) li.append(textSpan('conflict-other', other.join(' ')));
  const when = sinceText(c.hubAt);
  const who = [stringOrNull(c.actor), when].filter(Boolean).join(', ');
  if (who) li.append(textSpan('conflict-when', who));
  if (id !== null) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn-small btn-ack';
    button.textContent = 'Acknowledge';
    button.disabled = state.acknowledging.has(id);
    button.addEventListener('click', () => acknowledgeConflict(id, li));
    li.append(button);
  }
  return li;
}

async function acknowledgeConflict(id, item) {
  if (state.acknowledging.has(id)) return;
  state.acknowledging.add(id);
  const button = item.querySelector('button');
  if (button) button.disabled = true;
  try {
    const res = await apiRequest('POST', `/api/conflicts/${encodeURIComponent(String(id))}/ack`, {});
    if (res.status === 401) {
      expireSession([]);
      return;
    }
    if (res.ok || res.status === 404) item.remove(); // 404: acknowledged elsewhere meanwhile
    el.conflictsPanel.hidden = el.conflicts.children.length === 0;
  } finally {
    state.acknowledging.delete(id);
    if (button) button.disabled = false;
    focusScan();
  }
}
