// TraceTrack hub pages: the shell. Signs in (with the TOTP step for accounts that have it), keeps
// the session alive while someone works and ends it when nobody does, draws the sections the
// role may use, and shows one page module at a time from the address's #hash.
//
// A page module (page-*.js) exports render(view, route) and may return a cleanup function
// (stop timers, drop listeners) that runs when the page is left. route = {params, query, session}.

import { api, ApiError, el, fill, on, session, notice, explain } from './kit.js';
import { ROUTES, NAV } from './routes.js';

const $ = id => document.getElementById(id);

let cleanup = null;
let lastActivity = Date.now();
let lastRefresh = Date.now();
let idleTimer = null;

// --- sign-in -------------------------------------------------------------------------------

function showSignIn(reason) {
  stopIdleWatch();
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  session.current = null;
  document.body.dataset.state = 'signin';
  document.body.dataset.page = 'signin';
  $('app-view').hidden = true;
  $('signin-view').hidden = false;
  $('signin-totp-step').hidden = true;
  $('signin-credentials').hidden = false;
  $('signin-error').hidden = true;
  $('signin-password').value = '';
  $('signin-totp').value = '';
  $('signin-reason').hidden = !reason;
  $('signin-reason').textContent = reason || '';
  $('signin-user').focus();
}

async function submitSignIn(event) {
  event.preventDefault();
  const username = $('signin-user').value.trim();
  const password = $('signin-password').value;
  const totpStep = !$('signin-totp-step').hidden;
  const totp = $('signin-totp').value.trim();
  const error = $('signin-error');
  error.hidden = true;
  if (!username || !password) {
    error.textContent = 'Enter your user name and password.';
    error.hidden = false;
    return;
  }
  if (totpStep && !/^[0-9]{6}$/.test(totp)) {
    error.textContent = 'Enter the six-digit code your authenticator app shows now.';
    error.hidden = false;
    $('signin-totp').focus();
    return;
  }
  const button = $('signin-submit');
  button.disabled = true;
  try {
    const body = { username, password };
    if (totpStep) {
      body.totp = totp;
    }
    const started = await api('POST', '/api/v1/auth/session', body, { quietUnauthenticated: true });
    await enter(started);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'TOTP_REQUIRED') {
      // the password was right; the account also wants its second factor
      $('signin-credentials').hidden = true;
      $('signin-totp-step').hidden = false;
      $('signin-totp').focus();
      return;
    }
    error.textContent = signInProblem(e);
    error.hidden = false;
    if (e instanceof ApiError && e.code === 'BAD_TOTP') {
      $('signin-totp').select();
    } else {
      $('signin-totp-step').hidden = true;
      $('signin-credentials').hidden = false;
      $('signin-password').select();
    }
  } finally {
    button.disabled = false;
  }
}

function signInProblem(e) {
  if (!(e instanceof ApiError)) {
    return explain(e);
  }
  switch (e.code) {
    case 'BAD_CREDENTIALS':
      return 'That user name and password do not match. Check caps lock and try again.';
    case 'ACCOUNT_LOCKED':
      return e.detail + '. Wait, or ask an admin to reset the lock.';
    case 'ACCOUNT_DISABLED':
      return 'This account is disabled. Ask an admin to enable it.';
    case 'BAD_TOTP':
      return 'That code is not right. Enter the code your app shows now (it changes every 30 seconds).';
    case 'TOO_MANY_REQUESTS':
      return e.detail + '.';
    default:
      return explain(e);
  }
}

async function enter(current) {
  session.current = current;
  lastActivity = Date.now();
  lastRefresh = Date.now();
  $('signin-view').hidden = true;
  $('app-view').hidden = false;
  document.body.dataset.state = 'app';
  document.body.dataset.role = current.role;
  fill($('who'), el('span', { class: 'who-name' }, current.username), ' ',
    el('span', { class: 'who-role' }, current.role.toLowerCase()));
  drawNav();
  startIdleWatch();
  refreshNotificationCount();
  if (!location.hash || location.hash === '#' || location.hash === '#/signin') {
    location.hash = '#/dashboard';
  } else {
    await route();
  }
}

async function signOut(reason) {
  try {
    await api('DELETE', '/api/v1/auth/session', undefined, { quietUnauthenticated: true });
  } catch (e) {
    // signed out locally anyway; the session token expires on its own
  }
  showSignIn(reason);
}

// --- idle timeout --------------------------------------------------------------------------

const WARN_BEFORE_MS = 120_000;

function startIdleWatch() {
  stopIdleWatch();
  idleTimer = setInterval(idleTick, 1000);
}

function stopIdleWatch() {
  if (idleTimer) {
    clearInterval(idleTimer);
    idleTimer = null;
  }
  const dialog = $('idle-dialog');
  if (dialog.open) {
    dialog.close();
  }
}

async function idleTick() {
  const current = session.current;
  if (!current) {
    return;
  }
  const now = Date.now();
  const expires = new Date(current.expiresAt).getTime();
  const dialog = $('idle-dialog');
  if (now >= expires) {
    showSignIn('You were signed out after ' + Math.round(current.idleSeconds / 60)
      + ' minutes without activity. Sign in again to go on.');
    return;
  }
  // someone worked since the last renewal: renew (at most once a minute)
  if (lastActivity > lastRefresh && now - lastRefresh > 60_000) {
    await renew();
    return;
  }
  if (expires - now <= WARN_BEFORE_MS) {
    $('idle-seconds').textContent = String(Math.max(0, Math.round((expires - now) / 1000)));
    if (!dialog.open) {
      dialog.showModal();
      $('idle-stay').focus();
    }
  }
}

async function renew() {
  lastRefresh = Date.now();
  try {
    const next = await api('POST', '/api/v1/auth/session/refresh', undefined, { quietUnauthenticated: true });
    session.current = next;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      showSignIn('Your session ended (' + (e.detail || 'signed out') + '). Sign in again to go on.');
    }
  }
}

function activity() {
  lastActivity = Date.now();
}

// --- navigation ----------------------------------------------------------------------------

function allowed(entry) {
  return session.current && entry.roles.includes(session.current.role);
}

function drawNav() {
  const nav = $('nav');
  fill(nav, el('ul', null, NAV.filter(allowed).map(item =>
    el('li', null, el('a', { href: '#' + item.hash, 'data-nav': item.hash }, item.label)))));
  markNav();
}

function markNav() {
  const hash = location.hash.slice(1);
  for (const a of document.querySelectorAll('#nav a')) {
    const target = a.dataset.nav;
    const current = hash === target || hash.startsWith(target + '/') || hash.startsWith(target + '?');
    if (current) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
}

/** Finds the route for a hash path: patterns like /bills/:id/print. */
function match(path) {
  const parts = path.split('/').filter(Boolean);
  for (const r of ROUTES) {
    const pattern = r.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) {
      continue;
    }
    const params = {};
    let ok = true;
    pattern.forEach((p, i) => {
      if (p.startsWith(':')) {
        params[p.slice(1)] = decodeURIComponent(parts[i]);
      } else if (p !== parts[i]) {
        ok = false;
      }
    });
    if (ok) {
      return { route: r, params };
    }
  }
  return null;
}

async function route() {
  if (!session.current) {
    return;
  }
  const hash = location.hash.slice(1) || '/dashboard';
  const [path, queryText] = hash.split('?');
  const found = match(path);
  if (cleanup) {
    const stop = cleanup;
    cleanup = null;
    try {
      stop();
    } catch (e) {
      // a page's cleanup failing must not stop the next page
    }
  }
  $('nav').classList.remove('open');
  $('nav-toggle').setAttribute('aria-expanded', 'false');
  document.body.classList.remove('print-mode');
  markNav();
  const view = $('view');
  if (!found) {
    document.body.dataset.page = 'not-found';
    fill(view, el('h1', { id: 'page-title', tabindex: '-1' }, 'No such page'),
      notice('info', 'This address is not a page of the hub. ', el('a', { href: '#/dashboard' }, 'Go to the dashboard'), '.'));
    return;
  }
  if (!allowed(found.route)) {
    document.body.dataset.page = 'forbidden';
    fill(view, el('h1', { id: 'page-title', tabindex: '-1' }, 'Not for your role'),
      notice('info', 'Your role (' + session.current.role.toLowerCase() + ') may not open this page. Ask an admin if you need it.'));
    return;
  }
  document.body.dataset.page = found.route.page;
  document.title = found.route.title + ' · TraceTrack hub';
  fill(view, el('p', { class: 'loading', role: 'status' }, 'Loading…'));
  try {
    const module = await import('./' + found.route.module);
    const result = await module.render(view, { params: found.params, query: new URLSearchParams(queryText || ''),
      session: session.current });
    cleanup = typeof result === 'function' ? result : null;
    const title = document.getElementById('page-title');
    if (title && document.activeElement === document.body) {
      title.focus({ preventScroll: true });
    }
  } catch (e) {
    fill(view, el('h1', { id: 'page-title' }, found.route.title), notice('error', explain(e)));
  }
}

/** The badge: notifications newer than the last time this user opened the notifications page. */
export async function refreshNotificationCount() {
  if (!session.current) {
    return;
  }
  try {
    const answer = await api('GET', '/api/v1/me/notifications');
    const seen = localStorage.getItem('tt.notifications.seen.' + session.current.username) || '';
    const fresh = (answer.items || []).filter(n => (n.createdAt || '') > seen).length;
    const badge = $('notifications-count');
    badge.textContent = String(fresh);
    badge.hidden = fresh === 0;
  } catch (e) {
    // the badge is a convenience; the notifications page shows any error
  }
}

// --- start ---------------------------------------------------------------------------------

function wire() {
  $('signin-form').addEventListener('submit', submitSignIn);
  $('signout').addEventListener('click', () => signOut('You signed out.'));
  $('idle-stay').addEventListener('click', async () => {
    $('idle-dialog').close();
    activity();
    await renew();
  });
  $('idle-signout').addEventListener('click', () => signOut('You signed out.'));
  $('nav-toggle').addEventListener('click', () => {
    const open = $('nav').classList.toggle('open');
    $('nav-toggle').setAttribute('aria-expanded', String(open));
  });
  $('quick-search').addEventListener('submit', e => {
    e.preventDefault();
    const box = $('quick-search-input');
    const q = box.value.trim();
    if (q) {
      location.hash = '#/search?q=' + encodeURIComponent(q);
    }
    // the search page shows the query it ran; the box starts empty for the next one, so a second
    // scan or typed code is never glued to the first ("P100C1001")
    box.value = '';
  });
  // a box focused with a query still in it (typed, not sent) is selected: typing replaces it
  $('quick-search-input').addEventListener('focus', e => e.target.select());
  // "/" jumps to the search box from anywhere but a text field
  document.addEventListener('keydown', e => {
    const typing = e.target.closest && e.target.closest('input, textarea, select, [contenteditable]');
    if (e.key === '/' && !typing && session.current) {
      e.preventDefault();
      $('quick-search-input').focus();
    }
  });
  for (const type of ['keydown', 'pointerdown', 'wheel', 'touchstart']) {
    document.addEventListener(type, activity, { passive: true });
  }
  window.addEventListener('hashchange', route);
  on('unauthenticated', () => {
    if (session.current) {
      showSignIn('Your session ended. Sign in again to go on.');
    }
  });
  on('activity', activity);
}

async function start() {
  wire();
  try {
    const current = await api('GET', '/api/v1/auth/session', undefined, { quietUnauthenticated: true });
    await enter(current);
  } catch (e) {
    showSignIn(e instanceof ApiError && e.status === 401 ? null : explain(e));
  }
}

start();
