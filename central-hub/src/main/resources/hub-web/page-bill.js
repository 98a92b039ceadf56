// One bill (F-BILL): its facts, its weights kept live while the page is open (children are still
// being linked at the docks while a truck is loaded), a scan box with the dock station's framing
// and feedback for putting parents on it, the parents with a Remove each, Edit, Finalize (a short
// close is said out loud before it happens), Reopen, and the way to the printed manifest.

import { api, ApiError, el, fill, header, empty, notice, explain, table, link, field, values, num, count, when, every,
  confirmDialog, toast } from './kit.js';
import { attachScanner, feedback } from './scanner.js';
import { statusPill, fieldOf, fieldProblem, showFieldProblems } from './page-bills.js';

const REFRESH_MS = 3000;

export async function render(view, route) {
  const id = route.params.id;
  const problem = el('div');
  fill(view, header('Bill ' + id), problem);
  let bill;
  try {
    bill = await api('GET', '/api/v1/bills/' + encodeURIComponent(id));
  } catch (e) {
    fill(problem, notice('error', e instanceof ApiError && e.code === 'BILL_NOT_FOUND'
      ? 'There is no bill ' + id + '. Check the id, or find it in the list. ' : explain(e) + ' ',
    link('/bills', 'All bills')));
    return undefined;
  }

  const actions = el('div', { class: 'page-actions' });
  const facts = el('dl', { class: 'facts', id: 'bill-facts' });
  const load = el('div', { id: 'bill-load' });
  const weights = el('div', { class: 'cards', id: 'bill-weights' });
  const live = el('p', { class: 'live', id: 'bill-updated', role: 'status' });
  const editBox = el('section', { class: 'panel', id: 'bill-edit', 'aria-labelledby': 'edit-title', hidden: true });
  const scanInput = el('input', { id: 'bill-scan', name: 'parent', type: 'text', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'characters', maxlength: 64, class: 'scan-input', 'aria-describedby': 'bill-scan-hint scan-message' });
  const scanAdd = el('button', { type: 'button', class: 'btn btn-primary', id: 'bill-scan-add' }, 'Add parent');
  const scanMessage = el('div', { id: 'scan-message', class: 'scan-message', 'aria-live': 'assertive' });
  const scanPanel = el('section', { class: 'panel scan-panel', id: 'bill-scan-panel', 'aria-labelledby': 'scan-title' },
    el('h2', { id: 'scan-title' }, el('label', { for: 'bill-scan' }, 'Scan a parent bag onto this bill')),
    el('div', { class: 'scan-row' }, scanInput, scanAdd),
    el('small', { id: 'bill-scan-hint', class: 'hint' },
      'Scan the parent\'s label, or type its code and press Enter. A parent goes on one bill only.'),
    scanMessage);
  const parents = el('div', { id: 'bill-parents' });
  const warnings = el('div', { id: 'bill-warnings', 'aria-live': 'polite' });
  const parentsTitle = el('h2', { id: 'parents-title' }, 'Parents');
  const receipts = el('div', { id: 'bill-receipts' });

  fill(view,
    el('div', { class: 'page-head' },
      el('div', { class: 'bill-title' }, el('h1', { id: 'page-title', tabindex: '-1' }, 'Bill ', el('span', { class: 'code' }, bill.id)),
        el('span', { id: 'bill-status' })),
      actions),
    problem, editBox, warnings,
    el('div', { class: 'two-columns' },
      el('section', { class: 'panel', 'aria-labelledby': 'facts-title' }, el('h2', { id: 'facts-title' }, 'Facts'), facts),
      el('section', { class: 'panel', 'aria-labelledby': 'load-title' }, el('h2', { id: 'load-title' }, 'Load'), load, weights, live)),
    scanPanel,
    el('section', { class: 'panel', 'aria-labelledby': 'parents-title' }, parentsTitle, parents),
    el('section', { class: 'panel', 'aria-labelledby': 'receipts-title' },
      el('h2', { id: 'receipts-title' }, 'Received at the destination'), receipts));

  let receiptsShown = '';
  const drawReceipts = list => {
    const fingerprint = JSON.stringify(list);
    if (fingerprint === receiptsShown) {
      return;
    }
    receiptsShown = fingerprint;
    fill(receipts, list.length === 0
      ? empty('Not received yet.', 'A dock at the destination receives the load by scanning the manifest\'s QR code, '
        + 'then each parent as it comes off the vehicle.')
      : list.map(receiptBlock));
  };
  const loadReceipts = async () => {
    try {
      drawReceipts((await api('GET', '/api/v1/bills/' + encodeURIComponent(id) + '/receipts')).receipts);
    } catch (e) {
      fill(receipts, notice('error', explain(e)));
    }
  };

  let shown = '';
  let changes = 0;
  const changed = next => {
    changes++;
    draw(next);
  };
  const draw = (next, force = false) => {
    bill = next;
    const fingerprint = JSON.stringify(next);
    live.textContent = 'Live · updated ' + new Date().toLocaleTimeString();
    if (fingerprint === shown && !force) {
      return; // nothing changed: keep focus and scroll where the person left them
    }
    shown = fingerprint;
    drawBill(bill);
  };

  const drawBill = b => {
    const open = b.status === 'OPEN';
    document.body.dataset.billStatus = b.status;
    fill(document.getElementById('bill-status'), statusPill(b));
    fill(facts,
      el('dt', null, 'Destination'), el('dd', { id: 'bill-destination' }, b.destination),
      el('dt', null, 'Vehicle'), el('dd', { id: 'bill-vehicle' }, b.vehicle),
      el('dt', null, 'Capacity'), el('dd', null, num(b.capacity) + ' parents'),
      el('dt', null, 'Created'), el('dd', null, when(b.createdAt) + ' by ' + b.createdBy),
      b.finalizedAt ? [el('dt', null, b.shortClosed ? 'Finalized short' : 'Finalized'),
        el('dd', null, when(b.finalizedAt) + ' by ' + b.finalizedBy)] : null,
      b.reopenedAt ? [el('dt', null, 'Reopened'), el('dd', null, when(b.reopenedAt) + ' by ' + b.reopenedBy)] : null);
    const t = b.totals;
    const bar = el('div', { class: 'progress-bar' });
    bar.style.width = Math.min(100, Math.round(100 * t.parentCount / Math.max(1, b.capacity))) + '%';
    fill(load, el('p', { class: 'load-line' }, el('strong', { id: 'bill-parent-count', 'data-count': t.parentCount },
      num(t.parentCount)), ' of ' + num(b.capacity) + ' parents'),
    el('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Parents on the bill', 'aria-valuemin': 0,
      'aria-valuemax': b.capacity, 'aria-valuenow': t.parentCount }, bar));
    fill(weights,
      card('children', num(t.childCount), 'Children'),
      card('actual', kg(t.actualKg), 'Actual weight'),
      card('expected', kg(t.expectedKg), 'Expected weight'));
    weights.dataset.actualKg = String(t.actualKg);
    weights.dataset.expectedKg = String(t.expectedKg);
    fill(warnings, ...warningNotes(b));
    scanPanel.hidden = !open;
    parentsTitle.textContent = 'Parents (' + num(b.parents.length) + ')';
    fill(parents, b.parents.length === 0
      ? empty('No parents on this bill yet.', open ? 'Scan the first parent bag into the box above.' : null)
      : table([
        { label: 'Parent', value: p => link('/bags/' + encodeURIComponent(p.code), p.code, { class: 'code' }) },
        { label: 'Children', value: p => num(p.childCount) + ' of ' + num(p.expectedCount), class: 'num' },
        { label: 'Note', value: p => p.forcedReason
          ? el('span', { class: 'forced', 'data-forced': p.code }, 'Added anyway: ' + p.forcedReason)
          : (p.ready ? '' : el('span', { class: 'forced' }, 'Short of its count')) },
        { label: 'Added', value: p => when(p.addedAt) + (p.addedBy ? ' by ' + p.addedBy : '') },
        { label: 'Action', value: p => open ? el('button', { type: 'button', class: 'btn btn-small btn-danger',
          'data-remove': p.code, 'aria-label': 'Remove ' + p.code + ' from the bill', onclick: () => remove(p.code) }, 'Remove') : '–' },
      ], b.parents, { label: 'Parents on bill ' + b.id, rowAttrs: p => ({ 'data-parent': p.code }) }));
    drawActions(b);
  };

  const drawActions = b => {
    const open = b.status === 'OPEN';
    const print = link('/bills/' + encodeURIComponent(b.id) + '/print', 'Print manifest', { class: 'btn', id: 'bill-print' });
    if (open) {
      const edit = el('button', { type: 'button', class: 'btn', id: 'bill-edit-open', 'aria-controls': 'bill-edit',
        onclick: () => openEdit() }, 'Edit');
      const finalize = el('button', { type: 'button', class: 'btn btn-ok', id: 'bill-finalize',
        disabled: b.parents.length === 0, title: b.parents.length === 0 ? 'Put at least one parent on the bill first' : null,
        onclick: () => finalizeBill(finalize) }, 'Finalize');
      fill(actions, edit, print, finalize);
    } else {
      const reopen = el('button', { type: 'button', class: 'btn', id: 'bill-reopen', onclick: () => reopenBill(reopen) }, 'Reopen');
      fill(actions, print, reopen);
    }
  };

  // --- scanning ---------------------------------------------------------------------------
  const say = (kind, ...text) => {
    scanMessage.dataset.outcome = kind;
    scanMessage.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    fill(scanMessage, notice(kind, ...text));
  };
  const addParent = async (code, reason) => {
    const before = bill.totals.parentCount;
    try {
      const body = reason ? { parent: code, force: true, reason } : { parent: code };
      const next = await api('POST', '/api/v1/bills/' + encodeURIComponent(bill.id) + '/parents', body);
      changed(next);
      const added = next.parents.find(p => p.code === code.toUpperCase()) || next.parents[next.parents.length - 1];
      if (next.totals.parentCount > before) {
        say('ok', (added ? added.code : code) + ' added, with ' + count(added ? added.childCount : 0, 'child', 'children') + '. '
          + num(next.totals.parentCount) + ' of ' + count(next.capacity, 'parent', 'parents') + '.');
        feedback(scanPanel, 'ok');
      } else {
        say('warn', (added ? added.code : code) + ' is on this bill already. Nothing changed; scan the next parent.');
        feedback(scanPanel, 'warn');
      }
    } catch (e) {
      if (e instanceof ApiError && e.code === 'PARENT_NOT_READY') {
        say('error', ...notReady(e, code));
      } else {
        say('error', ...scanProblem(e, code, bill));
      }
      feedback(scanPanel, 'error');
    }
  };
  // a parent that is not ready goes on only with a reason the biller types: kept on the bill, the
  // manifest and in the audit
  const notReady = (e, code) => {
    const reason = el('input', { type: 'text', id: 'force-reason', maxlength: 100, required: true,
      'aria-label': 'Why ' + code.toUpperCase() + ' goes anyway', placeholder: 'Why it goes anyway' });
    const form = el('form', { class: 'force-form', id: 'force-form', onsubmit: ev => {
      ev.preventDefault();
      if (reason.value.trim()) {
        addParent(code, reason.value.trim()).then(() => scanInput.focus());
      } else {
        reason.focus();
      }
    } }, reason, el('button', { type: 'submit', class: 'btn btn-small', id: 'force-add' }, 'Add anyway'));
    setTimeout(() => reason.focus(), 0);
    return [explain(e) + '.', form];
  };
  const detach = attachScanner(scanInput, { onScan: addParent });
  scanAdd.addEventListener('click', () => {
    // the button does what Enter does, so the field's own framing (bounce included) applies
    scanInput.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    scanInput.focus();
  });

  // --- changes ----------------------------------------------------------------------------
  const remove = async code => {
    const ok = await confirmDialog('Remove ' + code + '?', code + ' comes off bill ' + bill.id
      + ' and can go on another bill. Its children stay linked to it.', 'Remove ' + code, true);
    if (!ok) {
      return;
    }
    try {
      changed(await api('DELETE', '/api/v1/bills/' + encodeURIComponent(bill.id) + '/parents/' + encodeURIComponent(code)));
      say('info', code + ' removed from the bill.');
      toast(code + ' removed');
    } catch (e) {
      fill(problem, notice('error', explain(e)));
    }
    scanInput.focus();
  };

  const finalizeBill = async button => {
    const t = bill.totals;
    const short = t.parentCount < bill.capacity;
    const warned = (bill.warnings || []).map(w => w.message).join('; ');
    const ok = warned
      ? await confirmDialog((short ? 'Short close' : 'Finalize') + ' bill ' + bill.id + ' with warnings?', 'Before it leaves: ' + warned + '. '
        + (short ? 'It also closes short, with ' + parentsText(t.parentCount) + '. ' : '')
        + 'Its parents freeze at every dock.', short ? 'Finalize short' : 'Finalize', true)
      : short
      ? await confirmDialog('Short close bill ' + bill.id + '?', 'The bill has ' + num(t.parentCount) + ' of '
        + num(bill.capacity) + ' parents. Finalizing it now closes it short: it leaves with '
        + parentsText(t.parentCount) + ', and they freeze at every dock.', 'Finalize short', true)
      : await confirmDialog('Finalize bill ' + bill.id + '?', 'The bill is full (' + parentsText(t.parentCount)
        + '). Its parents freeze at every dock; reopen it to change anything later.', 'Finalize');
    if (!ok) {
      button.focus();
      return;
    }
    button.disabled = true;
    try {
      changed(await api('POST', '/api/v1/bills/' + encodeURIComponent(bill.id) + '/finalize', { shortClose: short }));
      fill(problem, notice(bill.warnings.length ? 'warn' : 'ok', 'Bill ' + bill.id + ' is finalized' + (bill.shortClosed ? ' short' : '')
        + (bill.warnings.length ? ', with ' + count(bill.warnings.length, 'warning', 'warnings') + ' (on the manifest too)' : '') + '. ',
        link('/bills/' + encodeURIComponent(bill.id) + '/print', 'Print the manifest'), ' for the driver.'));
      document.getElementById('bill-print').focus();
    } catch (e) {
      button.disabled = false;
      fill(problem, notice('error', explain(e)));
    }
  };

  const reopenBill = async button => {
    const ok = await confirmDialog('Reopen bill ' + bill.id + '?', 'The bill becomes open again and its parents '
      + 'unfreeze at every dock. The hub records who reopened it, and when.', 'Reopen', true);
    if (!ok) {
      button.focus();
      return;
    }
    button.disabled = true;
    try {
      changed(await api('POST', '/api/v1/bills/' + encodeURIComponent(bill.id) + '/reopen'));
      fill(problem, notice('info', 'Bill ' + bill.id + ' is open again. Finalize it once the load is right.'));
      scanInput.focus();
    } catch (e) {
      button.disabled = false;
      fill(problem, notice('error', explain(e)));
    }
  };

  const openEdit = () => {
    const problemBox = el('div');
    const form = el('form', { id: 'bill-edit-form', novalidate: true },
      el('div', { class: 'form-grid' },
        field('Destination', 'destination', { maxlength: 100, value: bill.destination, required: true }),
        field('Vehicle', 'vehicle', { maxlength: 100, value: bill.vehicle, required: true }),
        field('Capacity (parents)', 'capacity', { type: 'number', min: Math.max(1, bill.totals.parentCount), max: 100,
          value: bill.capacity, inputmode: 'numeric',
          hint: 'Up to 100, and not below the ' + parentsText(bill.totals.parentCount) + ' on the bill' })),
      problemBox,
      el('div', { class: 'form-actions' },
        el('button', { type: 'submit', class: 'btn btn-primary', id: 'bill-edit-save' }, 'Save changes'),
        el('button', { type: 'button', class: 'btn', onclick: () => closeEdit() }, 'Cancel')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const v = values(form);
      const change = {};
      if (v.destination !== bill.destination) {
        change.destination = v.destination || '';
      }
      if (v.vehicle !== bill.vehicle) {
        change.vehicle = v.vehicle || '';
      }
      if (Number(v.capacity) !== bill.capacity) {
        change.capacity = Number(v.capacity);
      }
      const wrong = {};
      if (!v.destination) {
        wrong.destination = 'Enter a destination.';
      }
      if (!v.vehicle) {
        wrong.vehicle = 'Enter a vehicle.';
      }
      if (!(Number.isInteger(Number(v.capacity)) && Number(v.capacity) >= Math.max(1, bill.totals.parentCount)
        && Number(v.capacity) <= 100)) {
        wrong.capacity = 'Capacity is a whole number from ' + Math.max(1, bill.totals.parentCount) + ' to 100.';
      }
      showFieldProblems(form, wrong);
      if (Object.keys(wrong).length) {
        return;
      }
      if (Object.keys(change).length === 0) {
        closeEdit();
        return;
      }
      try {
        changed(await api('PATCH', '/api/v1/bills/' + encodeURIComponent(bill.id), change));
        closeEdit();
        toast('Bill ' + bill.id + ' changed');
      } catch (error) {
        const name = fieldOf(error);
        if (name) {
          showFieldProblems(form, { [name]: fieldProblem(error, name) });
        } else {
          fill(problemBox, notice('error', explain(error)));
        }
      }
    });
    fill(editBox, el('h2', { id: 'edit-title' }, 'Edit bill ' + bill.id), form);
    editBox.hidden = false;
    form.querySelector('#f-destination').focus();
  };
  const closeEdit = () => {
    editBox.hidden = true;
    fill(editBox);
    const button = document.getElementById('bill-edit-open');
    if (button) {
      button.focus();
    }
  };

  draw(bill, true);
  loadReceipts();
  if (bill.status === 'OPEN') {
    // ready for the first scan, without scrolling the bill's facts away on a small screen
    scanInput.focus({ preventScroll: true });
  }
  const stop = every(REFRESH_MS, async () => {
    const asked = changes;
    const fresh = await api('GET', '/api/v1/bills/' + encodeURIComponent(id));
    // a refresh sent before a change answered would draw the bill as it was: drop it
    if (asked === changes) {
      draw(fresh);
    }
    await loadReceipts();
  });
  return () => {
    stop();
    detach();
    delete document.body.dataset.billStatus;
  };
}

/**
 * One receipt: where and by whom the load was received, then every parent with what became of it
 * (received by whom and when, missing, or extra: not on the bill), as the hub judged it on arrival.
 */
export function receiptBlock(r) {
  const summary = num(r.received.length) + ' of ' + num(r.received.length + r.missing.length) + ' received'
    + (r.missing.length ? ' · ' + num(r.missing.length) + ' missing' : '')
    + (r.extra.length ? ' · ' + num(r.extra.length) + ' extra' : '');
  const rows = [
    ...r.received.map(line => ({ ...line, status: 'Received' })),
    ...r.missing.map(code => ({ code, status: 'Missing' })),
    ...r.extra.map(line => ({ ...line, status: 'Extra – not on this bill' })),
  ];
  return el('div', { class: 'receipt', 'data-receipt': r.id },
    el('p', { class: 'receipt-line' }, el('strong', { 'data-receipt-summary': r.id }, summary),
      ' · at ' + r.dock + ' (' + r.station + '), closed ' + when(r.closedAt) + ' by ' + r.closedBy),
    r.missing.length ? notice('warn', 'Missing at the destination: ' + r.missing.join(', ')) : null,
    r.extra.length ? notice('warn', 'Came off the vehicle but not on this bill: ' + r.extra.map(x => x.code).join(', ')) : null,
    r.manifestDiffers ? notice('info', 'The manifest scanned there was printed before the bill last changed; '
      + 'the parents are judged against the bill as it was when the receipt arrived.') : null,
    table([
      { label: 'Parent', value: line => link('/bags/' + encodeURIComponent(line.code), line.code, { class: 'code' }) },
      { label: 'Status', value: line => el('span', { class: 'receipt-status', 'data-status': line.status.split(' ')[0] },
        line.status) },
      { label: 'By', value: line => line.by || '–' },
      { label: 'When', value: line => line.at ? when(line.at) : '–' },
    ], rows, { label: 'Receipt ' + r.id + ' of bill ' + r.bill, rowAttrs: line => ({ 'data-line': line.code }) }));
}

function card(name, value, label) {
  return el('div', { class: 'card', 'data-figure': name }, el('span', { class: 'card-value' }, value),
    el('span', { class: 'card-label' }, label));
}

/** "1 parent", "3 parents". */
export function parentsText(n) {
  return num(n) + (n === 1 ? ' parent' : ' parents');
}

export function kg(value) {
  if (value === null || value === undefined) {
    return '–';
  }
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(Number(value)) + ' kg';
}

/** The bill's warnings (a parent short of its count, a short load) as notices; none when there are none. */
export function warningNotes(b) {
  return (b.warnings || []).map(w => el('p', { class: 'notice notice-warn bill-warning', role: 'note', 'data-warning': w.code },
    w.message));
}

/** What a refused scan means, and what to do about it: the message the scan box shows. */
function scanProblem(e, code, bill) {
  if (!(e instanceof ApiError)) {
    return [explain(e)];
  }
  const shown = code.toUpperCase();
  switch (e.code) {
    case 'PARENT_ON_OTHER_BILL': {
      const other = e.body.otherBill;
      return other
        ? [shown + ' is on bill ', link('/bills/' + encodeURIComponent(other), other, { class: 'code' }),
          ' — remove it there first, then scan it here again.']
        : [explain(e) + ' Remove it from that bill first.'];
    }
    case 'UNKNOWN_PARENT':
      return [shown + ' is not known to the hub. Check the label; a new parent must be scanned at a dock with its '
        + 'children before it can go on a bill.'];
    case 'CODE_IS_CHILD':
      return [shown + ' is a child bag. Scan the label of its parent bag instead.'];
    case 'INVALID_CODE':
      return ['"' + (code.length > 40 ? code.slice(0, 40) + '…' : code) + '" is not a bag code. Scan the parent\'s label again.'];
    case 'BILL_FULL':
      return ['Bill ' + bill.id + ' is full (' + num(bill.capacity) + ' parents). Raise its capacity with Edit, or finalize it.'];
    case 'BILL_FINALIZED':
      return ['Bill ' + bill.id + ' is finalized. Reopen it before adding parents.'];
    default:
      return [explain(e)];
  }
}
