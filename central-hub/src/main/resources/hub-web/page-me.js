// My account (everyone): change my password, ask for another role, sign out everywhere; for admins
// also two-factor sign-in: set-up with the QR image (GET /api/v1/me/totp/qr, same-origin with the
// session cookie) and the key for typing in by hand, the verify step, and turning it off.

import { api, el, fill, header, notice, field, values, toast, confirmDialog, when, session } from './kit.js';
import { attempt } from './admin-words.js';

export async function render(view) {
  const me = await api('GET', '/api/v1/me');
  const sections = [accountFacts(me), passwordSection()];
  if (me.role === 'ADMIN') {
    sections.push(twoFactorSection(me));
  }
  sections.push(promotionSection(me), everywhereSection());
  fill(view, header('My account'), ...sections);
}

function accountFacts(me) {
  return el('section', { class: 'panel', 'aria-labelledby': 'me-title' },
    el('h2', { id: 'me-title' }, 'Account'),
    el('dl', { class: 'facts', id: 'me-facts' },
      el('dt', null, 'User name'), el('dd', null, me.username),
      el('dt', null, 'Role'), el('dd', null, me.role.toLowerCase()),
      el('dt', null, 'Area'), el('dd', null, me.area || '–'),
      el('dt', null, 'Two-factor sign-in'), el('dd', { id: 'me-totp-state' }, me.totpEnabled ? 'on' : 'off'),
      el('dt', null, 'Account changed'), el('dd', null, when(me.updatedAt))));
}

function passwordSection() {
  const box = el('div', { id: 'me-password-problem' });
  const form = el('form', { class: 'form-grid', id: 'me-password' },
    field('Current password', 'oldPassword', { type: 'password', required: true, autocomplete: 'current-password' }),
    field('New password', 'newPassword', { type: 'password', required: true, autocomplete: 'new-password',
      hint: 'At least 12 characters, three of: lower-case, upper-case, digits, symbols.' }),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn btn-primary' }, 'Change password')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const v = values(form);
    const changed = await attempt(form.querySelector('button'), box,
      () => api('PUT', '/api/v1/me/password', { oldPassword: v.oldPassword || '', newPassword: v.newPassword || '' }));
    if (changed !== undefined) {
      form.reset();
      // the hub ends every session signed in with the old password, this one too
      fill(box, notice('ok', 'Password changed. Sign in again with the new one.'));
      setTimeout(() => location.reload(), 1500);
    }
  });
  return el('section', { class: 'panel', 'aria-labelledby': 'me-password-title' },
    el('h2', { id: 'me-password-title' }, 'Change my password'), form, box);
}

function twoFactorSection(me) {
  const body = el('div', { id: 'totp-body' });
  const box = el('div', { id: 'totp-problem' });
  const section = el('section', { class: 'panel', 'aria-labelledby': 'totp-title' },
    el('h2', { id: 'totp-title' }, 'Two-factor sign-in'), box, body);

  const showOff = () => {
    const start = el('button', { type: 'button', class: 'btn btn-primary', id: 'totp-start' }, 'Set up two-factor sign-in');
    start.addEventListener('click', async () => {
      const enrolment = await attempt(start, box, () => api('POST', '/api/v1/me/totp'));
      if (enrolment) {
        showSetup(enrolment.provisioningUri);
      }
    });
    fill(body, el('p', null, 'Off. With it on, signing in also asks for a six-digit code from an authenticator app on your phone.'), start);
    section.dataset.totp = 'off';
  };

  const showSetup = uri => {
    const secret = (/[?&]secret=([A-Z2-7]+)/i.exec(uri) || [])[1] || '';
    // a fresh URL each time: the browser must not show the previous enrolment's image
    const img = el('img', { id: 'totp-qr', class: 'qr', alt: 'QR code for your authenticator app', width: 220, height: 220,
      src: '/api/v1/me/totp/qr?t=' + Date.now() });
    const code = el('input', { id: 'totp-code', name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code',
      pattern: '[0-9]{6}', maxlength: 6, required: true, class: 'code-input' });
    const form = el('form', { class: 'form-grid', id: 'totp-verify' },
      el('div', { class: 'field' }, el('label', { for: 'totp-code' }, '3. Type the six-digit code the app shows'), code),
      el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn btn-primary' }, 'Turn on two-factor sign-in')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const done = await attempt(form.querySelector('button'), box, () => api('POST', '/api/v1/me/totp/verify', { code: code.value.trim() }));
      if (done) {
        toast('Two-factor sign-in is on.');
        document.getElementById('me-totp-state').textContent = 'on';
        showOn();
        fill(box, notice('ok', 'Two-factor sign-in is on. From now on, signing in asks for a code from the app.'));
      } else {
        code.select();
      }
    });
    fill(body,
      el('ol', { class: 'steps' },
        el('li', null, 'Open an authenticator app on your phone (any TOTP app).'),
        el('li', null, 'Scan this code with it, or type the key by hand.')),
      el('div', { class: 'totp-setup' },
        img,
        el('div', null,
          el('p', null, 'Key for typing in by hand (time-based, 6 digits, 30 seconds):'),
          el('p', { class: 'code totp-secret', id: 'totp-secret' }, secret.replace(/(.{4})/g, '$1 ').trim()),
          el('details', null, el('summary', null, 'Set-up address'), el('p', { class: 'code wrap', id: 'totp-uri' }, uri)))),
      form);
    section.dataset.totp = 'pending';
    code.focus();
  };

  const showOn = () => {
    const form = el('form', { class: 'form-grid', id: 'totp-disable' },
      field('Your password, to turn it off', 'password', { type: 'password', required: true, autocomplete: 'current-password', id: 'totp-disable-password' }),
      el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn btn-danger' }, 'Turn off two-factor sign-in')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const v = values(form);
      if (await attempt(form.querySelector('button'), box, () => api('POST', '/api/v1/me/totp/disable', { password: v.password || '' }))) {
        toast('Two-factor sign-in is off.');
        document.getElementById('me-totp-state').textContent = 'off';
        showOff();
      }
    });
    fill(body, el('p', null, 'On: signing in asks for a code from your authenticator app. To move to a new phone, turn it off and set it up again.'), form);
    section.dataset.totp = 'on';
  };

  if (me.totpEnabled) {
    showOn();
  } else {
    showOff();
  }
  return section;
}

function promotionSection(me) {
  const box = el('div', { id: 'promotion-problem' });
  const roles = [['DISPATCHER', 'Dispatcher'], ['BILLER', 'Biller'], ['ADMIN', 'Admin']].filter(([r]) => r !== me.role);
  const form = el('form', { class: 'form-grid', id: 'promotion-ask' },
    field('Role I need', 'role', { type: 'select', value: roles[0][0] }, roles),
    field('Area (for dispatchers)', 'area', { maxlength: 40, hint: 'The area id, e.g. NORTH.' }),
    field('Why', 'reason', { type: 'textarea', required: true, maxlength: 500, rows: 3, hint: 'An admin reads this before deciding.' }),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn' }, 'Ask an admin')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const v = values(form);
    const body = { role: v.role, reason: v.reason || '' };
    if (v.area && v.role === 'DISPATCHER') {
      body.area = v.area.toUpperCase();
    }
    if (await attempt(form.querySelector('button'), box, () => api('POST', '/api/v1/promotion-requests', body))) {
      form.reset();
      fill(box, notice('ok', 'Your request is waiting for an admin. You get a notification when it is decided.'));
    }
  });
  return el('section', { class: 'panel', 'aria-labelledby': 'promotion-title' },
    el('h2', { id: 'promotion-title' }, 'Ask for another role'), form, box);
}

function everywhereSection() {
  const button = el('button', { type: 'button', class: 'btn btn-danger', id: 'logout-all' }, 'Sign out everywhere');
  const box = el('div');
  button.addEventListener('click', async () => {
    if (!await confirmDialog('Sign out everywhere?',
      'Every session of ' + session.current.username + ' ends: other browsers, phones and API tokens, and this page too. Use this if you signed in on a shared machine or think someone knows your password.',
      'Sign out everywhere', true)) {
      return;
    }
    if (await attempt(button, box, () => api('POST', '/api/v1/me/logout-all')) !== undefined) {
      location.reload();
    }
  });
  return el('section', { class: 'panel', 'aria-labelledby': 'everywhere-title' },
    el('h2', { id: 'everywhere-title' }, 'Sessions'),
    el('p', null, 'Ends every session of your account, on every device.'), button, box);
}
