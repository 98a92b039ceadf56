// Fleet: the docks. Register a dock (its one-time enrolment code is shown once, with the command
// that uses it), issue a new code for a replaced machine, revoke a dock; and each dock's sync
// health (last seen, backlog, oldest pending op, clock offset, version, open conflicts), live.

import { api, el, fill, header, empty, notice, table, field, values, toast, confirmDialog, num, when, ago, pill, every, link } from './kit.js';
import { attempt } from './admin-words.js';

const REFRESH_MS = 5000;

export async function render(view) {
  const areas = await api('GET', '/api/v1/areas').then(a => a.items || [], () => []);
  const list = el('div', { id: 'fleet-list' });
  const problem = el('div', { id: 'fleet-problem' });
  const codeBox = el('div', { id: 'fleet-code', 'aria-live': 'polite' });
  const box = el('div', { id: 'dock-create-problem' });
  const status = el('p', { class: 'live', id: 'fleet-updated', role: 'status' }, 'Loading…');
  const form = el('form', { class: 'form-grid', id: 'dock-create' },
    field('Dock name', 'name', { required: true, maxlength: 64, hint: 'Letters, digits, ".", "_" or "-", e.g. DOCK-7. The dock takes this name on.' }),
    field('Area', 'area', { type: 'select', value: areas[0] ? areas[0].id : '' },
      areas.length ? areas.map(a => [a.id, a.id + ' · ' + a.name]) : [['', 'Create an area first']]),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn btn-primary' }, 'Register dock')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const v = values(form);
    const made = await attempt(form.querySelector('button'), box, () => api('POST', '/api/v1/docks', { name: v.name || '', area: v.area || '' }));
    if (made) {
      form.reset();
      showCode(made.dock.name, made.enrollmentCode, made.codeExpiresAt);
      await load();
    }
  });

  const showCode = (dock, code, expires) => {
    const hub = location.origin;
    const close = el('button', { type: 'button', class: 'btn', id: 'fleet-code-done' }, 'I have noted it — hide the code');
    close.addEventListener('click', () => {
      fill(codeBox);
      document.getElementById('page-title').focus();
    });
    fill(codeBox, el('section', { class: 'panel panel-code', 'aria-labelledby': 'code-title', 'data-dock': dock },
      el('h2', { id: 'code-title', tabindex: '-1' }, 'Enrolment code for ' + dock),
      notice('warn', 'This code is shown only now. It works once and expires ' + when(expires) + '. If it is lost, issue a new one.'),
      el('p', { class: 'enrol-code code', id: 'enrollment-code' }, code),
      el('p', null, 'On the dock\'s machine, in the TraceTrack folder, run:'),
      // the data folder is named, not left to a default: the code enrols the folder it is run on,
      // and a dock started with another --data would stay unenrolled
      el('pre', { class: 'command', id: 'enroll-command' }, './tracetrack enroll --data edge-data --hub ' + hub + ' --code ' + code),
      el('p', { class: 'hint' }, 'edge-data is the folder ./tracetrack dock uses unless told otherwise; if this dock was started with another --data, put that folder here. The dock then syncs by itself; it shows up below as seen.'),
      close));
    codeBox.querySelector('#code-title').focus();
  };

  fill(view, header('Fleet', status), codeBox,
    el('section', { class: 'panel', 'aria-labelledby': 'dock-new-title' }, el('h2', { id: 'dock-new-title' }, 'Register a dock'), form, box),
    el('section', { class: 'panel', 'aria-labelledby': 'docks-title' }, el('h2', { id: 'docks-title' }, 'Docks and their sync'), problem, list));

  const actions = d => {
    if (d.revokedAt) {
      return el('span', { class: 'muted' }, 'revoked ' + when(d.revokedAt));
    }
    const code = el('button', { type: 'button', class: 'btn btn-small', 'data-new-code': d.name }, 'New code');
    code.addEventListener('click', async () => {
      if (d.enrolled && !await confirmDialog('New enrolment code for ' + d.name + '?',
        'Use this when the dock\'s machine is replaced. Once the new machine enrols, the old machine\'s credential stops working; a code issued earlier stops working at once.',
        'Issue new code')) {
        return;
      }
      const made = await attempt(code, problem, () => api('POST', '/api/v1/docks/' + encodeURIComponent(d.name) + '/code'));
      if (made) {
        showCode(d.name, made.enrollmentCode, made.codeExpiresAt);
      }
    });
    const revoke = el('button', { type: 'button', class: 'btn btn-danger btn-small', 'data-revoke': d.name }, 'Revoke');
    revoke.addEventListener('click', async () => {
      if (!await confirmDialog('Revoke ' + d.name + '?',
        'The dock\'s credential stops working at once: it can no longer send scans or receive changes. Scans it has not sent yet stay on the dock. Use this for a lost or stolen machine.',
        'Revoke dock', true)) {
        return;
      }
      if (await attempt(revoke, problem, () => api('POST', '/api/v1/docks/' + encodeURIComponent(d.name) + '/revoke'))) {
        toast(d.name + ' is revoked.');
        await load();
      }
    });
    return el('div', { class: 'row-actions' }, code, revoke);
  };

  const state = d => {
    if (d.revokedAt) {
      return pill('revoked', 'bad');
    }
    if (!d.enrolled) {
      return pill('waiting for enrolment', 'info');
    }
    // the hub decides (its clock, its --dock-silent-minutes): a poll of the change log is contact too
    if (d.silent) {
      return pill('silent', 'warn');
    }
    return d.backlog > 0 ? pill('catching up', 'warn') : pill('in sync', 'ok');
  };

  let shown = null;
  async function load() {
    try {
      const items = (await api('GET', '/api/v1/docks')).docks || [];
      fill(problem);
      status.textContent = 'Live · updated ' + new Date().toLocaleTimeString();
      // redraw only on a change, so a refresh never takes the keyboard focus off a button
      const fresh = JSON.stringify(items);
      if (fresh === shown) {
        return;
      }
      shown = fresh;
      fill(list, items.length === 0
        ? empty('No docks yet.', 'Register the first dock above, then run the enrolment command on its machine.')
        : table([
          { label: 'Dock', value: d => el('span', { class: 'code' }, d.name) },
          { label: 'Area', value: d => d.area },
          { label: 'State', value: state },
          { label: 'Last seen', value: d => d.lastSeenAt ? ago(d.lastSeenAt) : 'never' },
          { label: 'Backlog', value: d => num(d.backlog), class: 'num' },
          { label: 'Oldest pending', value: d => d.oldestPendingAt ? ago(d.oldestPendingAt) : '–' },
          { label: 'Clock offset', value: d => offset(d.clockOffsetMs) },
          { label: 'Version', value: d => d.version || '–' },
          { label: 'Open conflicts', value: d => d.openConflicts > 0
            ? link('/conflicts?status=OPEN&dock=' + encodeURIComponent(d.name), num(d.openConflicts), { class: 'pill pill-bad' }) : '0', class: 'num' },
          { label: '', value: actions },
        ], items, { label: 'Docks', rowAttrs: d => ({ 'data-dock': d.name }) }));
    } catch (e) {
      status.textContent = 'Not updated: the hub did not answer';
      throw e;
    }
  }
  await attempt(null, problem, load);
  return every(REFRESH_MS, load);
}

/** Clock offset in words: the dock's clock minus the hub's. */
function offset(ms) {
  if (ms === null || ms === undefined) {
    return '–';
  }
  const abs = Math.abs(ms);
  const text = abs < 1000 ? abs + ' ms' : (abs / 1000).toFixed(abs < 10000 ? 1 : 0) + ' s';
  return abs < 1000 ? text : text + (ms > 0 ? ' ahead' : ' behind');
}
