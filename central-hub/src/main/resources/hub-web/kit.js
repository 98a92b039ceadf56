// TraceTrack hub pages: the small kit every page module builds on.
//
// Two rules hold everywhere:
//  - Every value reaches the page as text: el() sets textContent and attributes, never innerHTML,
//    so a user name or a bill destination with <script> in it is shown, never run.
//  - Every call to the hub goes through api(): same-origin, the session cookie, the page's CSRF
//    token on every change, and problem+json turned into an ApiError with the hub's stable code.

/** The signed-in session as the hub described it (username, role, area, csrfToken, expiresAt...). */
export const session = { current: null };

/** A refusal or failure from the hub: HTTP status, the problem's stable code, its detail. */
export class ApiError extends Error {
  constructor(status, code, detail, body) {
    super(detail || code || ('HTTP ' + status));
    this.status = status;
    this.code = code || 'HTTP_' + status;
    this.detail = detail || '';
    this.body = body || {};
  }
}

const listeners = { unauthenticated: [], activity: [] };

/** Registers a handler for 'unauthenticated' (the session ended) or 'activity' (a change was made). */
export function on(event, handler) {
  listeners[event].push(handler);
}

function emit(event, arg) {
  for (const handler of listeners[event]) {
    handler(arg);
  }
}

/**
 * Calls the hub. body: an object (sent as JSON), a Blob/File (sent raw), or undefined.
 * Returns the parsed JSON (or null for 204); throws ApiError.
 */
export async function api(method, path, body, options = {}) {
  const headers = { Accept: options.accept || 'application/json' };
  const unsafe = !['GET', 'HEAD'].includes(method);
  if (unsafe && session.current) {
    headers['X-CSRF-Token'] = session.current.csrfToken;
  }
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = options.contentType || body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store',
      signal: options.signal });
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, 'NETWORK', 'The hub did not answer. Check the network connection, then try again.');
  }
  if (res.status === 401 && !options.quietUnauthenticated) {
    emit('unauthenticated');
  }
  if (!res.ok) {
    let problem = {};
    try {
      problem = await res.json();
    } catch (ignored) {
      // not JSON: a proxy's page, say
    }
    throw new ApiError(res.status, problem.code, problem.detail || res.statusText, problem);
  }
  if (unsafe) {
    emit('activity');
  }
  if (options.raw) {
    return res;
  }
  if (res.status === 204) {
    return null;
  }
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/**
 * Builds an element: el('a', {href: '#/x', class: 'btn'}, 'text', child...). Attributes are set
 * with setAttribute (on* handlers are refused: pass {onclick: fn} as a listener instead), text
 * children become text nodes.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (name.startsWith('on') && typeof value === 'function') {
        node.addEventListener(name.slice(2), value);
      } else if (name.startsWith('on')) {
        throw new Error('inline handlers are not allowed: ' + name);
      } else if (name === 'dataset') {
        Object.assign(node.dataset, value);
      } else if (value === true) {
        node.setAttribute(name, '');
      } else {
        node.setAttribute(name, String(value));
      }
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replaces everything inside node with children. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A page heading with optional actions on the right. */
export function header(title, ...actions) {
  return el('div', { class: 'page-head' }, el('h1', { id: 'page-title', tabindex: '-1' }, title),
    actions.length ? el('div', { class: 'page-actions' }, actions) : null);
}

/** An empty state: what is missing and what to do first. */
export function empty(what, next) {
  return el('div', { class: 'empty', role: 'status' }, el('p', { class: 'empty-what' }, what),
    next ? el('p', { class: 'empty-next' }, next) : null);
}

/** A message box: kind = 'error' | 'ok' | 'warn' | 'info'. */
export function notice(kind, text, ...more) {
  return el('div', { class: 'notice notice-' + kind, role: kind === 'error' ? 'alert' : 'status' }, text, more);
}

/** What to tell a person about a failed call: the hub's detail plus what to do next. */
export function explain(error) {
  if (!(error instanceof ApiError)) {
    return 'Something went wrong in this page (' + error.message + '). Reload the page and try again.';
  }
  if (error.status === 0) {
    return error.detail;
  }
  if (error.status === 403 && error.code === 'FORBIDDEN') {
    return 'Your role may not do this. Ask an admin if you need it.';
  }
  if (error.status === 403 && error.code === 'CSRF_INVALID') {
    return 'This page is out of date. Reload it and try again.';
  }
  if (error.status === 503) {
    return 'The hub is busy right now. Wait a moment and try again.';
  }
  if (error.status >= 500) {
    return 'The hub failed to do this (' + error.code + '). Try again; if it keeps failing, tell an admin the time it happened.';
  }
  return error.detail + (error.detail.endsWith('.') ? '' : '.');
}

/**
 * A table. columns: [{label, value: row => text|Node, class?}]; rows: array. Returns a wrapper
 * that scrolls sideways on a phone.
 */
export function table(columns, rows, options = {}) {
  const head = el('tr', null, columns.map(c => el('th', { scope: 'col', class: c.class }, c.label)));
  const body = rows.map(row => el('tr', options.rowAttrs ? options.rowAttrs(row) : null,
    columns.map(c => el('td', { class: c.class, 'data-label': c.label }, c.value(row)))));
  return el('div', { class: 'table-wrap' },
    el('table', { class: 'data', 'aria-label': options.label || null },
      options.caption ? el('caption', null, options.caption) : null,
      el('thead', null, head), el('tbody', null, body)));
}

/** A labelled form field. type 'select' takes options: [[value, label]...]. */
export function field(label, name, attrs = {}, options) {
  const id = attrs.id || 'f-' + name;
  let input;
  if (attrs.type === 'select') {
    const { type, value, ...rest } = attrs;
    input = el('select', { id, name, ...rest }, (options || []).map(([v, l]) =>
      el('option', { value: v, selected: String(v) === String(value ?? '') }, l)));
  } else if (attrs.type === 'textarea') {
    const { type, value, ...rest } = attrs;
    input = el('textarea', { id, name, ...rest }, value ?? '');
  } else {
    input = el('input', { id, name, type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs });
  }
  return el('div', { class: 'field' }, el('label', { for: id }, label), input,
    attrs.hint ? el('small', { class: 'hint' }, attrs.hint) : null);
}

/** The values of a form's named fields, trimmed; empty strings dropped. */
export function values(form) {
  const out = {};
  for (const [name, value] of new FormData(form).entries()) {
    const text = typeof value === 'string' ? value.trim() : value;
    if (text !== '') {
      out[name] = text;
    }
  }
  return out;
}

/**
 * Runs an action from a button or form: disables the button meanwhile, shows the error in
 * target (a notice with data-code = the hub's code, for tests), and returns the action's result
 * (undefined when it failed). options.say words the error (default explain()); options.shown(e)
 * answers true when the page showed the error itself (by its field, say); options.focus moves
 * the focus to the notice, for forms whose error would otherwise go unnoticed.
 */
export async function act(button, target, action, options = {}) {
  const say = options.say || explain;
  if (button) {
    button.disabled = true;
  }
  if (target) {
    fill(target);
  }
  try {
    return await action();
  } catch (e) {
    if (options.shown && options.shown(e)) {
      return undefined;
    }
    if (target) {
      const box = notice('error', say(e));
      box.dataset.code = e instanceof ApiError ? e.code : 'PAGE';
      fill(target, box);
      if (options.focus) {
        box.tabIndex = -1;
        box.focus();
      }
    } else {
      toast(say(e), 'error');
    }
    return undefined;
  } finally {
    if (button) {
      button.disabled = false;
    }
  }
}

/** A short message at the bottom of the screen. */
export function toast(text, kind = 'ok') {
  const box = document.getElementById('toasts');
  const item = el('div', { class: 'toast toast-' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
  box.appendChild(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** A confirmation dialog; resolves true when confirmed. */
export function confirmDialog(title, text, confirmLabel = 'Confirm', danger = false) {
  return new Promise(resolve => {
    const dialog = el('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' });
    const ok = el('button', { type: 'button', class: danger ? 'btn btn-danger' : 'btn btn-primary', id: 'dialog-confirm' },
      confirmLabel);
    const cancel = el('button', { type: 'button', class: 'btn', id: 'dialog-cancel' }, 'Cancel');
    const close = answer => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    ok.addEventListener('click', () => close(true));
    cancel.addEventListener('click', () => close(false));
    dialog.addEventListener('cancel', e => {
      e.preventDefault();
      close(false);
    });
    fill(dialog, el('h2', { id: 'dialog-title' }, title), el('p', null, text), el('div', { class: 'dialog-actions' }, cancel, ok));
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

const numberFormat = new Intl.NumberFormat(undefined);

/** 1234567 → "1,234,567" in the reader's locale; null → "–". */
export function num(n) {
  return n === null || n === undefined ? '–' : numberFormat.format(n);
}

/** A count and its noun, agreeing: (1, 'child', 'children') → "1 child", (38, …) → "38 children". */
export function count(n, one, many) {
  return num(n) + ' ' + (n === 1 ? one : many);
}

/** An ISO instant as local date and time, to the minute; null → "–". */
export function when(iso) {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined,
    { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** How long ago an ISO instant was, in words. */
export function ago(iso) {
  if (!iso) {
    return 'never';
  }
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) {
    return seconds <= 1 ? 'just now' : seconds + ' s ago';
  }
  if (seconds < 3600) {
    return Math.round(seconds / 60) + ' min ago';
  }
  if (seconds < 86400) {
    return Math.round(seconds / 3600) + ' h ago';
  }
  return Math.round(seconds / 86400) + ' days ago';
}

/** A link inside the app. */
export function link(hash, text, attrs = {}) {
  return el('a', { href: '#' + hash, ...attrs }, text);
}

/** A query string from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, v);
    }
  }
  const text = q.toString();
  return text ? '?' + text : '';
}

/** A status pill: text with a kind that colours it (and a mark, so colour is never the only signal). */
export function pill(text, kind) {
  return el('span', { class: 'pill pill-' + kind }, text);
}

/**
 * Repeats fn every ms while the page shows the view that started it; returns a stop function.
 * Pauses while the tab is hidden.
 */
export function every(ms, fn) {
  let stopped = false;
  let timer;
  const tick = async () => {
    if (stopped) {
      return;
    }
    if (!document.hidden) {
      try {
        await fn();
      } catch (e) {
        // the next tick tries again; the page shows its own error state
      }
    }
    if (!stopped) {
      timer = setTimeout(tick, ms);
    }
  };
  timer = setTimeout(tick, ms);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Saves a Blob as a file the browser downloads. */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: filename, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
