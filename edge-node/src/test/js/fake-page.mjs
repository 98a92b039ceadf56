// Just enough of a browser for the station's modules under Node: elements that hold text,
// classes, attributes and listeners; a document that hands out elements by id; a dock server
// whose answers each test scripts. No layout, no CSS, no real events: a test types into the scan
// field by setting its value and firing 'input' and 'keydown' like a wedge scanner's keystrokes.

class FakeClassList {
  #names = new Set();
  constructor(owner) {
    this.owner = owner;
  }
  add(...names) {
    names.forEach((n) => this.#names.add(n));
  }
  remove(...names) {
    names.forEach((n) => this.#names.delete(n));
  }
  toggle(name, force) {
    const on = force === undefined ? !this.#names.has(name) : Boolean(force);
    if (on) this.#names.add(name);
    else this.#names.delete(name);
    return on;
  }
  contains(name) {
    return this.#names.has(name);
  }
  set value(text) {
    this.#names = new Set(String(text).split(/\s+/).filter(Boolean));
  }
  get value() {
    return [...this.#names].join(' ');
  }
}

export class FakeElement {
  constructor(tag = 'div', id = '') {
    this.tagName = tag.toUpperCase();
    this.id = id;
    this.classList = new FakeClassList(this);
    this.dataset = {};
    this.attributes = {};
    this.children = [];
    this.listeners = {};
    this.hidden = false;
    this.disabled = false;
    this.value = '';
    this.title = '';
    this.offsetWidth = 0;
    this.ownText = '';
  }
  get className() {
    return this.classList.value;
  }
  set className(text) {
    this.classList.value = text;
  }
  get textContent() {
    return this.ownText + this.children.map((c) => (typeof c === 'string' ? c : c.textContent)).join('');
  }
  set textContent(text) {
    this.children = [];
    this.ownText = String(text);
  }
  append(...nodes) {
    this.children.push(...nodes);
  }
  replaceChildren(...nodes) {
    this.ownText = '';
    this.children = [...nodes];
  }
  remove() {}
  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }
  querySelector() {
    return this.children.find((c) => c instanceof FakeElement && c.tagName === 'BUTTON') || null;
  }
  addEventListener(type, listener) {
    (this.listeners[type] ||= []).push(listener);
  }
  removeEventListener(type, listener) {
    this.listeners[type] = (this.listeners[type] || []).filter((l) => l !== listener);
  }
  dispatch(type, props = {}) {
    const event = { type, target: this, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; }, ...props };
    for (const listener of this.listeners[type] || []) listener(event);
    return event;
  }
  focus() {
    globalThis.document.activeElement = this;
  }
  select() {}
}

/** Installs document, window and fetch on globalThis; returns the page and its scripted server. */
export function installFakePage() {
  const byId = new Map();
  const body = new FakeElement('body');
  const document = {
    body,
    title: '',
    visibilityState: 'visible',
    activeElement: body,
    listeners: {},
    getElementById(id) {
      if (!byId.has(id)) byId.set(id, new FakeElement(id.startsWith('btn-') ? 'button' : 'div', id));
      return byId.get(id);
    },
    createElement: (tag) => new FakeElement(tag),
    addEventListener(type, listener) {
      (this.listeners[type] ||= []).push(listener);
    },
  };
  globalThis.document = document;
  globalThis.window = { addEventListener() {} }; // no storage: the page must work without it
  globalThis.Element = FakeElement;
  if (!('navigator' in globalThis)) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  }

  const server = {
    requests: [], // { method, path, body }
    scanAnswers: [], // what POST /api/scan answers next, in order: { status, body }
    station: null, // what GET /api/station answers
    answer(method, path, body) {
      if (path === '/api/session' && method === 'POST') {
        return { status: 200, body: { token: 't-1', station: body.station, user: body.user, created: false } };
      }
      if (path === '/api/session') return { status: 204, body: null };
      if (path === '/api/station') return { status: 200, body: this.station || { mode: 'PARENT', count: 0 } };
      if (path === '/api/status') return { status: 200, body: { enrolled: false, online: false } };
      if (path === '/api/scan') {
        const next = this.scanAnswers.shift();
        if (!next) throw new Error(`no answer scripted for the scan ${JSON.stringify(body)}`);
        return next;
      }
      return { status: 404, body: { code: 'NOT_FOUND' } };
    },
    scans() {
      return this.requests.filter((r) => r.path === '/api/scan').map((r) => r.body.code);
    },
  };
  globalThis.fetch = async (path, init) => {
    const body = init.body === undefined ? undefined : JSON.parse(init.body);
    server.requests.push({ method: init.method, path, body });
    const { status, body: out } = server.answer(init.method, path, body);
    return new Response(out === null ? null : JSON.stringify(out), { status });
  };
  return { document, server, el: (id) => document.getElementById(id) };
}

/** Lets queued promises and zero-delay timers run. */
export function settle(ms = 5) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
