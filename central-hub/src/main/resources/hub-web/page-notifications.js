// Notifications: my in-app messages (promotion decisions...), newest first. Opening the page marks
// them seen for the bar's badge (app.js reads tt.notifications.seen.<username>).

import { api, el, fill, header, empty, when, ago, session } from './kit.js';
import { attempt } from './admin-words.js';
import { refreshNotificationCount } from './app.js';

export async function render(view) {
  const list = el('div', { id: 'notifications-list' });
  const problem = el('div');
  fill(view, header('Notifications'), el('section', { class: 'panel' }, problem, list));
  const key = 'tt.notifications.seen.' + session.current.username;
  const seen = localStorage.getItem(key) || '';
  const answer = await attempt(null, problem, () => api('GET', '/api/v1/me/notifications'));
  if (!answer) {
    return;
  }
  const items = answer.items || [];
  fill(list, items.length === 0
    ? empty('No notifications.', 'Decisions on your requests and other messages for you appear here.')
    : el('ul', { class: 'notifications' }, items.map(n => el('li', {
      class: 'notification' + ((n.createdAt || '') > seen ? ' notification-new' : ''), 'data-notification': n.id },
      el('p', { class: 'notification-text free-text' }, n.message),
      el('p', { class: 'notification-when' }, when(n.createdAt) + ' · ' + ago(n.createdAt),
        (n.createdAt || '') > seen ? el('span', { class: 'pill pill-info' }, 'new') : null)))));
  const newest = items.map(n => n.createdAt || '').sort().pop();
  if (newest && newest > seen) {
    localStorage.setItem(key, newest);
  }
  refreshNotificationCount();
}
