// The manifest a driver carries (F-BILL): one A4 page, black on white, with the bill's facts, its
// parents with child counts and weights, the totals, the QR code that lists the load for the
// receiving dock (one scan checks it), and lines to sign. The app's frame is hidden on screen too,
// so what is seen is what prints.

import { api, ApiError, el, fill, notice, explain, link, num, when } from './kit.js';
import { kg, parentsText } from './page-bill.js';

export async function render(view, route) {
  const id = route.params.id;
  document.body.classList.add('print-mode');
  const leave = () => document.body.classList.remove('print-mode');
  const back = link('/bills/' + encodeURIComponent(id), 'Back to the bill', { class: 'btn', id: 'print-back' });
  let manifest;
  try {
    manifest = await api('GET', '/api/v1/bills/' + encodeURIComponent(id) + '/manifest');
  } catch (e) {
    fill(view, el('div', { class: 'print-toolbar no-print' }, back),
      el('h1', { id: 'page-title', tabindex: '-1' }, 'Manifest'),
      notice('error', e instanceof ApiError && e.code === 'BILL_NOT_FOUND'
        ? 'There is no bill ' + id + '. Check the id, or find it in the list of bills.' : explain(e)));
    return leave;
  }
  const bill = manifest.bill;
  const t = bill.totals;
  // weights are derived, never stored: a parent weighs its children times the hub's kg per child
  const perChild = t.childCount > 0 ? Number(t.actualKg) / Number(t.childCount) : 0;
  const printButton = el('button', { type: 'button', class: 'btn btn-primary', id: 'print-now',
    onclick: () => window.print() }, 'Print');
  const qr = el('img', { id: 'manifest-qr', class: 'manifest-qr', src: '/api/v1/bills/' + encodeURIComponent(bill.id) + '/qr.png',
    alt: 'QR code listing bill ' + bill.id + ' and its ' + parentsText(t.parentCount), width: 180, height: 180 });
  const status = bill.status === 'FINALIZED' ? (bill.shortClosed ? 'Finalized (short close)' : 'Finalized') : 'Open — not final';

  const rows = bill.parents.map((p, i) => el('tr', { 'data-parent': p.code },
    el('td', { class: 'num' }, String(i + 1)),
    el('td', { class: 'code' }, p.code, p.forcedReason ? el('div', { class: 'manifest-forced' }, 'Added anyway: ' + p.forcedReason) : null),
    el('td', { class: 'num' }, num(p.childCount) + ' of ' + num(p.expectedCount)),
    el('td', { class: 'num' }, kg(p.childCount * perChild))));

  fill(view,
    el('div', { class: 'print-toolbar no-print' }, back, printButton,
      el('span', { class: 'hint' }, 'A4, portrait. The QR code lists the bill for the receiving dock.')),
    el('article', { class: 'manifest', id: 'manifest', 'aria-labelledby': 'page-title' },
      el('header', { class: 'manifest-head' },
        el('div', null,
          el('p', { class: 'manifest-brand' }, 'TraceTrack · Dispatch manifest'),
          el('h1', { id: 'page-title', tabindex: '-1' }, 'Bill ', el('span', { class: 'code' }, bill.id)),
          el('dl', { class: 'manifest-facts' },
            el('dt', null, 'Destination'), el('dd', { id: 'manifest-destination' }, bill.destination),
            el('dt', null, 'Vehicle'), el('dd', { id: 'manifest-vehicle' }, bill.vehicle),
            el('dt', null, 'Status'), el('dd', { id: 'manifest-status' }, status),
            el('dt', null, 'Created'), el('dd', null, when(bill.createdAt) + ' by ' + bill.createdBy),
            bill.finalizedAt ? [el('dt', null, 'Finalized'), el('dd', null, when(bill.finalizedAt) + ' by ' + bill.finalizedBy)] : null,
            el('dt', null, 'Printed'), el('dd', null, when(new Date().toISOString())))),
        el('figure', { class: 'manifest-qr-box' }, qr, el('figcaption', null, 'At the destination: scan at a dock station to receive the load'))),
      bill.status === 'OPEN' ? el('p', { class: 'manifest-warning' },
        'This bill is still open: parents may still be added or removed. Finalize it before the vehicle leaves.') : null,
      (bill.warnings || []).length ? el('ul', { class: 'manifest-warning', id: 'manifest-warnings' },
        ...bill.warnings.map(w => el('li', { 'data-warning': w.code }, 'Warning: ' + w.message))) : null,
      el('table', { class: 'data manifest-table', 'aria-label': 'Parents on bill ' + bill.id },
        el('thead', null, el('tr', null,
          el('th', { scope: 'col', class: 'num' }, '#'), el('th', { scope: 'col' }, 'Parent bag'),
          el('th', { scope: 'col', class: 'num' }, 'Children'), el('th', { scope: 'col', class: 'num' }, 'Weight'))),
        el('tbody', null, rows.length ? rows : el('tr', null, el('td', { colspan: 4 }, 'No parents on this bill.'))),
        el('tfoot', null, el('tr', { id: 'manifest-totals' },
          el('th', { scope: 'row', colspan: 2 }, 'Parents: ' + num(t.parentCount) + ' of ' + num(bill.capacity)),
          el('td', { class: 'num' }, num(t.childCount)),
          el('td', { class: 'num' }, kg(t.actualKg))))),
      el('p', { class: 'manifest-weights' }, 'Actual weight ', el('strong', null, kg(t.actualKg)),
        ' · expected for ' + num(t.expectedChildCount) + (t.expectedChildCount === 1 ? ' child' : ' children')
        + ' (the parents\' counts) ', el('strong', { id: 'manifest-expected' }, kg(t.expectedKg))),
      el('div', { class: 'signatures' },
        signature('Dispatched by (biller)'), signature('Driver'), signature('Received by'))));
  printButton.focus();
  return leave;
}

function signature(label) {
  return el('div', { class: 'signature' }, el('div', { class: 'signature-line' }), el('span', null, label + ' — name, signature, date'));
}
