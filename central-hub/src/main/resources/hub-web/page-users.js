// Users (F-ADMIN): the list with filters, creating a user, and per user: role and area, the e-mail
// address the end-of-day summary goes to, disable or enable, a new password, lifting a sign-in
// lock, deletion. Every guard the hub applies (last admin,
// own role, a biller with open bills, a dispatcher's area and its seats, the password policy) comes
// back as a sentence saying what to do (admin-words.js).

import { api, el, fill, header, empty, notice, table, field, values, toast, confirmDialog, when, pill, query, session } from './kit.js';
import { attempt } from './admin-words.js';

const ROLES = [['DISPATCHER', 'Dispatcher'], ['BILLER', 'Biller'], ['ADMIN', 'Admin']];
const PAGE = 50;
const EMAIL_HINT = 'The end-of-day summary goes to admins and billers with an address.';

export async function render(view, route) {
  const filters = { role: route.query.get('role') || '', area: route.query.get('area') || '',
    disabled: route.query.get('disabled') || '' };
  const areas = await loadAreas();
  const list = el('div', { id: 'users-list' });
  const problem = el('div', { id: 'users-problem' });
  const editor = el('div', { id: 'user-editor' });
  const createBox = el('div', { id: 'user-create-problem' });
  let after = null;
  const pages = [];

  const areaOptions = [['', '— no area —'], ...areas.map(a => [a.id, a.id + ' · ' + a.name + ' (' + a.dispatchers + '/' + a.maxDispatchers + ')'])];

  const createForm = el('form', { id: 'user-create', class: 'form-grid form-top', novalidate: true },
    field('User name', 'username', { required: true, maxlength: 64, autocomplete: 'off',
      hint: 'Letters, digits, ".", "_" or "-". Sign-in ignores upper/lower case.' }),
    field('Role', 'role', { type: 'select', value: 'DISPATCHER' }, ROLES),
    field('Area (dispatchers only)', 'area', { type: 'select', value: '' }, areaOptions),
    field('E-mail (optional)', 'email', { type: 'email', maxlength: 254, autocomplete: 'off', id: 'create-email',
      hint: EMAIL_HINT }),
    field('First password', 'password', { type: 'password', required: true, autocomplete: 'new-password',
      hint: 'At least 12 characters, three of: lower-case, upper-case, digits, symbols. Tell it to the person; they change it on "My account".' }),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn btn-primary', id: 'user-create-submit' }, 'Create user')));
  createForm.addEventListener('submit', async e => {
    e.preventDefault();
    const body = values(createForm);
    const made = await attempt(createForm.querySelector('button[type=submit]'), createBox,
      () => api('POST', '/api/v1/users', body), createForm);
    if (made) {
      toast('User ' + made.username + ' created.');
      createForm.reset();
      fill(createBox, notice('ok', 'Created ' + made.username + ' (' + made.role.toLowerCase() + (made.area ? ', area ' + made.area : '')
        + (made.email ? ', e-mail ' + made.email : '') + ').'));
      createBox.firstChild.dataset.created = made.username;
      await reload();
      createForm.querySelector('[name=username]').focus();
    }
  });

  const filterForm = el('form', { class: 'filters', id: 'users-filters', role: 'search' },
    field('Role', 'role', { type: 'select', value: filters.role, id: 'filter-role' }, [['', 'Any role'], ...ROLES]),
    field('Area', 'area', { type: 'select', value: filters.area, id: 'filter-area' }, [['', 'Any area'], ...areas.map(a => [a.id, a.id])]),
    field('Status', 'disabled', { type: 'select', value: filters.disabled, id: 'filter-disabled' },
      [['', 'Active and disabled'], ['false', 'Active only'], ['true', 'Disabled only']]),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn' }, 'Show')));
  filterForm.addEventListener('submit', e => {
    e.preventDefault();
    location.hash = '#/users' + query(values(filterForm));
  });

  const more = el('button', { type: 'button', class: 'btn', id: 'users-more', hidden: true }, 'Show more users');
  more.addEventListener('click', () => load(true));

  fill(view,
    header('Users'),
    el('section', { class: 'panel', 'aria-labelledby': 'user-create-title' },
      el('h2', { id: 'user-create-title' }, 'New user'), createForm, createBox),
    el('section', { class: 'panel', 'aria-labelledby': 'users-title' },
      el('h2', { id: 'users-title' }, 'All users'), filterForm, problem, list, el('div', { class: 'pager' }, more)),
    editor);

  async function load(next) {
    const q = { ...filters, limit: PAGE, after: next ? after : null };
    const answer = await attempt(null, problem, () => api('GET', '/api/v1/users' + query(q)));
    if (!answer) {
      return;
    }
    if (!next) {
      pages.length = 0;
    }
    pages.push(...answer.items);
    after = answer.next;
    more.hidden = !after;
    draw();
  }

  async function reload() {
    after = null;
    await load(false);
  }

  function draw() {
    if (pages.length === 0) {
      fill(list, empty('No users match these filters.', 'Clear the filters, or create a user above.'));
      return;
    }
    fill(list, table([
      { label: 'User', value: u => el('span', { class: 'code' }, u.username) },
      { label: 'Role', value: u => u.role.toLowerCase() },
      { label: 'Area', value: u => u.area || '–' },
      { label: 'E-mail', value: u => u.email ? el('span', { class: 'email', 'data-email': u.email }, u.email) : '–' },
      { label: 'Status', value: u => u.disabled ? pill('disabled', 'bad') : pill('active', 'ok') },
      { label: 'Two-factor', value: u => u.totpEnabled ? 'on' : 'off' },
      { label: 'Changed', value: u => when(u.updatedAt) },
      { label: '', value: u => el('button', { type: 'button', class: 'btn btn-small', 'data-edit': u.username,
        'aria-label': 'Manage ' + u.username, onclick: () => openEditor(u) }, 'Manage') },
    ], pages, { label: 'Users', rowAttrs: u => ({ 'data-user': u.username }) }));
  }

  function openEditor(user, message) {
    const box = el('div', { id: 'user-edit-problem' }, message ? notice('ok', message) : null);
    const mine = user.username === session.current.username;
    const roleForm = el('form', { class: 'form-grid', id: 'user-role-form' },
      field('Role', 'role', { type: 'select', value: user.role, id: 'edit-role', disabled: mine }, ROLES),
      field('Area', 'area', { type: 'select', value: user.area || '', id: 'edit-area' }, areaOptions),
      el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn btn-primary', id: 'user-role-save' },
        'Save role and area')));
    roleForm.addEventListener('submit', async e => {
      e.preventDefault();
      const v = values(roleForm);
      const role = v.role || user.role;
      // only a dispatcher has an area: moving someone off dispatching drops it rather than refusing
      const area = role === 'DISPATCHER' ? v.area : undefined;
      const changed = role !== user.role
        ? await attempt(roleForm.querySelector('button'), box, () => api('PUT', '/api/v1/users/' + encodeURIComponent(user.username) + '/role',
          { role, area }))
        : await attempt(roleForm.querySelector('button'), box, () => api('PATCH', '/api/v1/users/' + encodeURIComponent(user.username),
          { area }));
      if (changed) {
        done('Saved ' + user.username + ': ' + (changed.role || role).toLowerCase() + (changed.area ? ', area ' + changed.area : '') + '.', changed);
      }
    });
    const emailForm = el('form', { class: 'form-grid form-top', id: 'user-email-form', novalidate: true },
      field('E-mail', 'email', { type: 'email', maxlength: 254, autocomplete: 'off', id: 'edit-email', value: user.email || '',
        hint: EMAIL_HINT + ' Empty: no mail.' }),
      el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn', id: 'user-email-save' }, 'Save e-mail')));
    emailForm.addEventListener('submit', async e => {
      e.preventDefault();
      // read the input itself: values() drops an empty field, and an empty address is how one is removed
      const email = emailForm.querySelector('[name=email]').value.trim();
      const changed = await attempt(emailForm.querySelector('button'), box,
        () => api('PATCH', '/api/v1/users/' + encodeURIComponent(user.username), { email }), emailForm);
      if (changed) {
        done(changed.email ? 'Saved: ' + user.username + '\'s address is ' + changed.email + '.'
          : user.username + ' has no e-mail address now.', { ...changed, email: changed.email || null });
      }
    });
    const passwordForm = el('form', { class: 'form-grid', id: 'user-password-form' },
      field('New password', 'password', { type: 'password', required: true, autocomplete: 'new-password', id: 'edit-password',
        hint: 'Also lifts a sign-in lock. Their other sessions end.' }),
      el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn' }, 'Set new password')));
    passwordForm.addEventListener('submit', async e => {
      e.preventDefault();
      const v = values(passwordForm);
      const changed = await attempt(passwordForm.querySelector('button'), box,
        () => api('PUT', '/api/v1/users/' + encodeURIComponent(user.username) + '/password', { password: v.password || '' }));
      if (changed !== undefined) {
        done('New password set for ' + user.username + '. Tell it to them in person.', null);
      }
    });
    const toggle = el('button', { type: 'button', class: user.disabled ? 'btn btn-ok' : 'btn', id: 'user-toggle' },
      user.disabled ? 'Enable ' + user.username : 'Disable ' + user.username);
    toggle.addEventListener('click', async () => {
      if (!user.disabled && !await confirmDialog('Disable ' + user.username + '?',
        'They are signed out at once everywhere and cannot sign in until enabled again. Their scans and bills stay.', 'Disable', true)) {
        return;
      }
      const changed = await attempt(toggle, box, () => api('PATCH', '/api/v1/users/' + encodeURIComponent(user.username),
        { disabled: !user.disabled }));
      if (changed) {
        done(user.username + (changed.disabled ? ' is disabled.' : ' is enabled again.'), changed);
      }
    });
    const unlock = el('button', { type: 'button', class: 'btn', id: 'user-unlock' }, 'Unlock sign-in');
    unlock.addEventListener('click', async () => {
      const changed = await attempt(unlock, box, () => api('POST', '/api/v1/users/' + encodeURIComponent(user.username) + '/unlock'));
      if (changed) {
        done(user.username + ' can sign in again with their current password.', null);
      }
    });
    const remove = el('button', { type: 'button', class: 'btn btn-danger', id: 'user-delete' }, 'Delete ' + user.username);
    remove.addEventListener('click', async () => {
      if (!await confirmDialog('Delete ' + user.username + '?',
        'The account is removed for good; their scans and bills are kept, and the audit trail shows a pseudonym instead of the name. This cannot be undone.',
        'Delete user', true)) {
        return;
      }
      const gone = await attempt(remove, box, () => api('DELETE', '/api/v1/users/' + encodeURIComponent(user.username)));
      if (gone !== undefined) {
        fill(editor);
        toast(user.username + ' was deleted.');
        await reload();
        document.getElementById('page-title').focus();
      }
    });
    const close = el('button', { type: 'button', class: 'btn', id: 'user-edit-close' }, 'Close');
    close.addEventListener('click', () => {
      fill(editor);
      const row = view.querySelector('[data-edit="' + CSS.escape(user.username) + '"]');
      if (row) {
        row.focus();
      }
    });

    // the editor is drawn again from the changed user, so its buttons say what they do now
    const done = async (text, changed) => {
      if (changed) {
        Object.assign(user, changed);
      }
      await reload();
      openEditor(user, text);
    };

    fill(editor, el('section', { class: 'panel panel-edit', 'aria-labelledby': 'user-edit-title', 'data-editing': user.username },
      el('div', { class: 'page-head' }, el('h2', { id: 'user-edit-title', tabindex: '-1' }, 'Manage ' + user.username), close),
      mine ? notice('info', 'This is your own account: another admin changes your role. Your password and two-factor are on "My account".') : null,
      box,
      el('div', { class: 'two-columns' },
        el('div', null, el('h3', null, 'Role and area'), roleForm),
        el('div', null, el('h3', null, 'E-mail'), emailForm),
        el('div', null, el('h3', null, 'Password'), passwordForm)),
      el('div', { class: 'form-actions user-actions' }, toggle, unlock, remove)));
    editor.querySelector('#user-edit-title').focus();
    editor.scrollIntoView({ block: 'start' });
  }

  await load(false);
}

async function loadAreas() {
  try {
    return (await api('GET', '/api/v1/areas')).items || [];
  } catch (e) {
    return [];
  }
}
