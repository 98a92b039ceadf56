// The administration pages' sentences for the hub's refusals (F-ADMIN guards, docks, conflicts).
// Each says what happened and what to do next; a code not listed falls back to kit.explain(),
// which shows the hub's own detail.

import { ApiError, act, el, explain } from './kit.js';

const WORDS = {
  LAST_ADMIN: 'This is the last active admin. Make another user an admin first, then try again.',
  OWN_ROLE: 'Nobody changes their own role. Ask another admin to do it.',
  OWN_ACCOUNT: 'You cannot disable or delete your own account. Ask another admin to do it.',
  BILLER_HAS_OPEN_BILLS: 'This biller still has open bills, so they keep the role. Finalize the bills or hand them to another biller first.',
  AREA_REQUIRED: 'A dispatcher needs an area. Choose one in the Area field (create it on the Areas page if it is missing).',
  AREA_NOT_ALLOWED: 'Only dispatchers belong to an area. Leave the Area field empty for this role.',
  AREA_FULL: 'That area has no free dispatcher seat. Choose another area, or raise the area\'s limit.',
  AREA_NOT_FOUND: 'There is no such area. Create it on the Areas page first.',
  AREA_EXISTS: 'An area with this id exists already. Pick another id.',
  INVALID_AREA: 'An area id is 1–40 capital letters, digits, "_" or "-" (for example NORTH or DOCK_2).',
  WEAK_PASSWORD: 'The password is too weak: use at least 12 characters with three of lower-case, upper-case, digits and symbols.',
  WRONG_PASSWORD: 'The current password is not right. Type it again.',
  USER_EXISTS: 'A user with this name exists already. Pick another name.',
  INVALID_USERNAME: 'A user name is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit.',
  USER_NOT_FOUND: 'This user no longer exists. Reload the list.',
  SAME_ROLE: 'You already have this role. Pick another one.',
  REQUEST_EXISTS: 'You already have a request waiting. Wait for an admin to decide it.',
  NOT_PENDING: 'Another admin decided this request meanwhile. The list is reloaded.',
  REQUEST_NOT_FOUND: 'This request no longer exists. Reload the list.',
  TOTP_ALREADY_ENABLED: 'Two-factor sign-in is already on. Turn it off first to set up a new phone.',
  TOTP_NOT_PENDING: 'Start the set-up again: press "Set up two-factor sign-in".',
  BAD_TOTP: 'That code does not match. Check that the phone\'s clock is right and type the next code.',
  DOCK_EXISTS: 'A dock with this name exists already. Pick another name, or issue a new code for it.',
  DOCK_NOT_FOUND: 'This dock no longer exists. Reload the list.',
  CONFLICT_CLOSED: 'Someone closed this conflict meanwhile. The list is reloaded.',
  CONFLICT_ACTION_INVALID: 'MOVE only applies to a refused link. Use KEEP or DISMISS for this conflict.',
  PARENT_FULL: 'The scanned parent is full (30 children), so the child cannot be moved into it. Take a bag out at the dock, or choose KEEP or DISMISS.',
  PARENT_COMPLETE: 'The scanned parent already holds its expected count, so the child cannot be moved into it. Choose KEEP or DISMISS.',
  PARENT_FINALIZED: 'The scanned parent is on a finalized bill; a move never reopens a bill. A biller reopens the bill first, or choose DISMISS.',
  TOO_MANY_REQUESTS: 'Too many tries in a short time. Wait a minute, then try again.',
  WEBHOOK_URL_INVALID: 'That is not a URL a webhook can use: http:// or https://, a host, no user name or password in it, at most 2,000 characters.',
  WEBHOOK_HOST_NOT_ALLOWED: 'The hub sends webhooks to public hosts only. A host on this network needs the hub started with --webhook-allowed-hosts naming it.',
  UNKNOWN_EVENT_TYPE: 'One of the event types is not one the hub sends. Leave the field empty for every event, or check the spelling (io.tracetrack.link.v1, …).',
  WEBHOOK_NOT_FOUND: 'This webhook no longer exists. Reload the list.',
  DELIVERY_NOT_FOUND: 'This delivery no longer exists. Reload the list.',
  DELIVERY_PENDING: 'This delivery is queued already: it is sent at its next attempt.',
};

/** What to tell an admin about a refused call: our sentence for the code, else the hub's detail. */
export function say(error) {
  if (error instanceof ApiError && WORDS[error.code]) {
    return WORDS[error.code];
  }
  return explain(error);
}

/** Whether a sentence of ours exists for this code (tests and pages may key on it). */
export function known(code) {
  return Object.prototype.hasOwnProperty.call(WORDS, code);
}

/**
 * The hub refuses a bad field with a general code (INVALID_FIELD, or INVALID_REQUEST for a wrong
 * type or length) and a detail that starts with the field's name; for the fields below the page
 * says it by the field itself, in our words.
 */
const FIELD_WORDS = {
  email: 'That is not an e-mail address. Type one such as name@example.com, or leave the field empty for no mail.',
};

/** The form field a refusal is about, when it is one of FIELD_WORDS's; else null. */
export function refusedField(error) {
  if (!(error instanceof ApiError) || !['INVALID_FIELD', 'INVALID_REQUEST'].includes(error.code)) {
    return null;
  }
  const name = error.detail.split(' ', 1)[0];
  return Object.prototype.hasOwnProperty.call(FIELD_WORDS, name) ? name : null;
}

/**
 * kit.act() with these pages' sentences: disables the button meanwhile, shows a refusal in target
 * (role=alert, data-code = the hub's code, for tests) and focuses it, answers the action's result
 * or undefined when it failed. With a form, a refusal of one of its fields (FIELD_WORDS) is shown
 * under that field instead, which gets the focus.
 */
export async function attempt(button, target, action, form) {
  if (form) {
    clearFieldErrors(form);
  }
  return act(button, target, action, { say, focus: true, shown: e => form !== undefined && showByField(form, e) });
}

function showByField(form, error) {
  const name = refusedField(error);
  const input = name && form.querySelector('[name="' + name + '"]');
  if (!input) {
    return false;
  }
  const message = el('small', { class: 'field-error', id: input.id + '-error', role: 'alert', 'data-code': error.code,
    'data-field': name }, FIELD_WORDS[name]);
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', message.id);
  input.closest('.field').appendChild(message);
  input.focus();
  return true;
}

function clearFieldErrors(form) {
  for (const message of form.querySelectorAll('.field-error')) {
    message.remove();
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}
