// Import (F-IO, admins): a bags or bills file (CSV or XLSX) checked first (dry run: every row, the
// errors by row, nothing written), then imported whole in one go or not at all. The hub keeps
// nothing between the two calls, so the commit sends the same file again. Progress comes from the
// hub's NDJSON stream (Accept: application/x-ndjson): one line per 5,000 rows read, then the phase.

import { api, el, fill, header, notice, explain, table, num, link, download, ApiError, empty } from './kit.js';

// the hub's limits (ImportRoutes.DEFAULT_MAX_BYTES, ImportReader.MAX_ROWS): refused here before a
// long upload, and refused again by the hub whatever this page says
const MAX_BYTES = 32 * 1024 * 1024;
const MAX_ROWS = 80000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const KINDS = {
  bags: {
    label: 'Bags',
    columns: [
      ['code', 'required', 'the bag code: a parent (e.g. P1234-30, its number of children after the dash) or a child (e.g. C123456)'],
      ['type', 'optional', 'PARENT or CHILD; must agree with the code'],
      ['parent_code', 'optional', 'on a child row: the parent it goes on (a parent of this file or one already at the hub)'],
    ],
    template: 'code,type,parent_code\nP1001-3,PARENT,\nC100001,CHILD,P1001-3\nC100002,CHILD,P1001-3\n',
    created: [['parents', 'parents'], ['children', 'children'], ['links', 'links']],
  },
  bills: {
    label: 'Bills',
    columns: [
      ['bill_id', 'required', '6 to 20 capital letters or digits, e.g. BILL2026001'],
      ['destination', 'first row of a bill', 'where the truck goes'],
      ['vehicle_no', 'first row of a bill', "the truck's registration"],
      ['capacity', 'first row of a bill', 'parents the bill takes, 1 to 50'],
      ['parent_code', 'optional', 'a parent bag already at the hub (import the bags file first); one row per parent'],
    ],
    template: 'bill_id,destination,vehicle_no,capacity,parent_code\nBILL2026001,Pune depot,MH12AB1234,2,P1001-3\nBILL2026001,,,,P1002-3\n',
    created: [['bills', 'bills'], ['billParents', 'parents put on bills']],
  },
};

const PHASES = { upload: 'Sending the file', reading: 'Reading rows', checking: 'Checking every row', writing: 'Writing' };

export async function render(view, route) {
  let kind = route.query.get('kind') === 'bills' ? 'bills' : 'bags';
  let file = null;
  let lastReport = null;
  let busy = false;
  let controller = null;

  const kindSelect = el('select', { id: 'import-kind', name: 'kind' },
    Object.entries(KINDS).map(([k, d]) => el('option', { value: k, selected: k === kind }, d.label)));
  const input = el('input', { type: 'file', id: 'import-file', name: 'file', accept: '.csv,.xlsx,text/csv,' + XLSX_TYPE,
    'aria-describedby': 'import-file-hint' });
  const facts = el('div', { id: 'import-file-facts', 'aria-live': 'polite' });
  const drop = el('div', { class: 'drop-zone', id: 'import-drop' },
    el('label', { for: 'import-file', class: 'drop-label' }, 'Choose a CSV or XLSX file'),
    input,
    el('p', { class: 'hint', id: 'import-file-hint' },
      'or drop it here. Up to 32 MB and 80,000 rows; the first row names the columns.'),
    facts);
  const check = el('button', { type: 'submit', class: 'btn btn-primary', id: 'import-check', disabled: true },
    'Check file (dry run)');
  const cancel = el('button', { type: 'button', class: 'btn', id: 'import-cancel', hidden: true }, 'Stop');
  const form = el('form', { class: 'panel', id: 'import-form', 'aria-labelledby': 'import-form-title' },
    el('h2', { id: 'import-form-title' }, 'File'),
    el('div', { class: 'field' }, el('label', { for: 'import-kind' }, 'What the file holds'), kindSelect),
    drop,
    el('div', { class: 'form-actions' }, check, cancel));
  const progress = el('div', { id: 'import-progress', class: 'import-progress', hidden: true });
  const problem = el('div', { id: 'import-problem' });
  const report = el('div', { id: 'import-report' });
  const help = el('section', { class: 'panel', id: 'import-help', 'aria-labelledby': 'import-help-title' });

  fill(view,
    header('Import', link('/exports', 'Exports', { class: 'btn' })),
    el('p', { class: 'lead' }, 'Bring bags or bills in from a spreadsheet. The file is checked first and nothing is written; '
      + 'then it is imported whole, or not at all.'),
    form, progress, problem, report, help);

  const showHelp = () => {
    const d = KINDS[kind];
    fill(help,
      el('h2', { id: 'import-help-title' }, 'What a ' + d.label.toLowerCase() + ' file looks like'),
      empty('No file checked yet.', 'Start from the template: one header row with these column names, then one row per '
        + (kind === 'bags' ? 'bag' : 'bill and parent') + '. Save it as CSV (UTF-8) or XLSX.'),
      table([
        { label: 'Column', value: c => el('code', null, c[0]) },
        { label: 'Needed', value: c => c[1] },
        { label: 'What goes in it', value: c => c[2] },
      ], d.columns, { label: 'Columns of a ' + kind + ' file' }),
      el('div', { class: 'form-actions' },
        el('button', { type: 'button', class: 'btn', id: 'import-template', onclick: () =>
          download(new Blob([d.template], { type: 'text/csv' }), 'tracetrack-' + kind + '-template.csv') },
        'Download the ' + kind + ' template (CSV)')),
      el('p', { class: 'hint' }, 'Formulas are refused (cells starting with = + - @): paste values only. '
        + 'Rows already at the hub as the file says are skipped, so sending a file twice is safe.'));
  };

  const reset = () => {
    lastReport = null;
    fill(report);
    fill(problem);
    progress.hidden = true;
    help.hidden = false;
  };

  const choose = chosen => {
    reset();
    file = null;
    check.disabled = true;
    if (!chosen) {
      fill(facts);
      return;
    }
    const refusal = refuse(chosen);
    fill(facts, el('p', { class: 'file-facts' }, el('strong', { id: 'import-file-name' }, chosen.name),
      ' · ' + size(chosen.size)));
    if (refusal) {
      fill(problem, el('div', { 'data-code': 'LOCAL_REFUSED' }, notice('error', refusal)));
      return;
    }
    file = chosen;
    check.disabled = busy;
  };

  input.addEventListener('change', () => choose(input.files[0]));
  kindSelect.addEventListener('change', () => {
    kind = kindSelect.value;
    reset();
    showHelp();
  });
  drop.addEventListener('dragover', e => {
    e.preventDefault();
    drop.classList.add('drop-over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('drop-over'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('drop-over');
    const dropped = e.dataTransfer && e.dataTransfer.files;
    if (dropped && dropped.length > 1) {
      fill(problem, notice('error', 'Drop one file at a time: an import takes a single CSV or XLSX file.'));
      return;
    }
    if (dropped && dropped.length === 1) {
      // the input shows the dropped file too, so the label and the page agree
      try {
        input.files = dropped;
      } catch (ignored) {
        // older browsers: the page still holds the file
      }
      choose(dropped[0]);
    }
  });
  cancel.addEventListener('click', () => controller && controller.abort());

  // one call to the hub: the file, streamed progress, and the last line (report or problem)
  const run = async mode => {
    busy = true;
    check.disabled = true;
    cancel.hidden = false;
    fill(problem);
    help.hidden = true;
    controller = new AbortController();
    const bar = progressBar(progress, mode);
    const totalRows = await estimateRows(file);
    bar.phase('upload', 0, totalRows);
    try {
      const res = await api('POST', '/api/v1/imports/' + kind + '?mode=' + mode + '&filename=' + encodeURIComponent(file.name),
        file, { raw: true, accept: 'application/x-ndjson', contentType: contentType(file), signal: controller.signal });
      let last = null;
      await lines(res, line => {
        if (line.type === 'progress') {
          bar.phase(line.phase, line.rows, totalRows);
        } else {
          last = line;
        }
      });
      bar.done();
      if (!last) {
        throw new ApiError(0, 'NETWORK', 'The hub stopped answering before the end. Nothing was imported; check the file again.');
      }
      if (last.type === 'problem') {
        throw new ApiError(last.status, last.code, last.detail);
      }
      return last;
    } catch (e) {
      bar.hide();
      help.hidden = false;
      if (e.name === 'AbortError') {
        fill(problem, notice('warn', mode === 'commit'
          ? 'Stopped waiting. If the hub had already started writing, it finishes or writes nothing; check the audit trail before sending the file again.'
          : 'Stopped. Nothing was written; check the file again when ready.'));
      } else {
        fill(problem, el('div', { 'data-code': e.code || 'ERROR' }, notice('error', (mode === 'commit' ? 'Nothing was imported. ' : '')
          + words(e))));
      }
      return null;
    } finally {
      busy = false;
      cancel.hidden = true;
      check.disabled = !file;
    }
  };

  form.addEventListener('submit', async e => {
    e.preventDefault();
    if (!file || busy) {
      return;
    }
    const answer = await run('dry-run');
    if (answer) {
      lastReport = answer.report;
      showReport(answer.report, false);
    }
  });

  const showReport = (r, committedRun) => {
    const d = KINDS[kind];
    const created = r.created || {};
    const clean = r.errorCount === 0;
    const would = committedRun ? '' : 'would be ';
    const cards = el('div', { class: 'cards' },
      card('rowsRead', num(r.rowsRead), 'rows read'),
      card('rowsOk', num(r.rowsOk), 'rows ok'),
      card('errors', num(r.errorCount), 'rows with errors', r.errorCount ? 'card-bad' : null),
      d.created.map(([key, label]) => card('created-' + key, num(created[key] || 0), label + ' ' + (committedRun ? 'created' : 'to create'))),
      r.skipped ? card('skipped', num(r.skipped), 'already at the hub (skipped)') : null);
    const parts = [];
    if (committedRun && r.committed) {
      parts.push(el('div', { id: 'import-result', 'data-committed': 'true' },
        notice('ok', 'Imported ' + num(r.rowsRead) + ' rows of ' + r.fileName + ': '
          + d.created.map(([key, label]) => num(created[key] || 0) + ' ' + label).join(', ') + '. ',
        link('/audit?entityType=IMPORT&entityId=' + encodeURIComponent(r.sha256), 'See the audit entry', { id: 'import-audit-link' }))));
    } else if (committedRun) {
      parts.push(el('div', { id: 'import-result', 'data-committed': 'false' },
        notice('error', 'Nothing was imported: ' + num(r.errorCount) + ' rows have errors now (the hub checked the file again). '
          + 'Fix them and check the file again.')));
    } else if (clean) {
      parts.push(notice('ok', 'No errors. ' + num(r.rowsRead) + ' rows ' + would + 'imported; nothing has been written yet.'));
    } else {
      parts.push(notice('error', num(r.errorCount) + ' rows have errors, listed below by row number. Nothing was written. '
        + 'Fix them in your spreadsheet (or download the error file), save, and check the file again.'));
    }
    const actions = el('div', { class: 'form-actions' });
    if (r.errorCount + r.warningCount > 0) {
      actions.appendChild(el('button', { type: 'button', class: 'btn', id: 'import-error-file', onclick: async ev => {
        const button = ev.currentTarget;
        button.disabled = true;
        try {
          const res = await api('POST', '/api/v1/imports/' + kind + '?mode=dry-run&report=csv&filename=' + encodeURIComponent(file.name),
            file, { raw: true, accept: 'text/csv', contentType: contentType(file) });
          download(await res.blob(), 'import-errors-' + base(file.name) + '.csv');
          button.dataset.downloaded = 'true';
        } catch (err) {
          fill(problem, notice('error', words(err)));
        } finally {
          button.disabled = false;
        }
      } }, 'Download error file (CSV)'));
    }
    if (!committedRun) {
      const commit = el('button', { type: 'button', class: 'btn btn-ok', id: 'import-commit', disabled: !clean || r.rowsRead === 0,
        'aria-describedby': clean ? null : 'import-commit-why' }, 'Import ' + num(r.rowsRead) + ' rows');
      commit.addEventListener('click', async () => {
        commit.disabled = true;
        const answer = await run('commit');
        if (!answer) {
          commit.disabled = false;
          return;
        }
        lastReport = answer.report;
        showReport(answer.report, true);
      });
      actions.appendChild(commit);
      if (!clean) {
        actions.appendChild(el('span', { class: 'hint', id: 'import-commit-why' }, 'Import is possible once no row has an error.'));
      }
    } else {
      actions.appendChild(el('button', { type: 'button', class: 'btn', id: 'import-another', onclick: () => {
        input.value = '';
        choose(null);
        showHelp();
        input.focus();
      } }, 'Import another file'));
    }
    fill(report, el('section', { class: 'panel', 'aria-labelledby': 'import-report-title',
      'data-mode': committedRun ? 'commit' : 'dry-run', 'data-errors': String(r.errorCount), 'data-committed': String(r.committed) },
    el('h2', { id: 'import-report-title', tabindex: '-1' }, committedRun ? 'Import result' : 'Dry run: ' + r.fileName),
    parts, cards, actions,
    issues('import-errors', 'Errors', r.errors, r.errorCount),
    r.warningCount ? el('details', { class: 'import-warnings' }, el('summary', null, num(r.warningCount) + ' warnings (rows skipped)'),
      issues('import-warnings', 'Warnings', r.warnings, r.warningCount)) : null));
    const focus = report.querySelector(committedRun || clean ? '#import-commit, #import-another' : '#import-report-title');
    (focus && !focus.disabled ? focus : report.querySelector('#import-report-title')).focus();
  };

  showHelp();
  input.focus();
  return () => controller && controller.abort();
}

function card(key, value, label, extra) {
  return el('div', { class: 'card' + (extra ? ' ' + extra : ''), 'data-figure': key },
    el('span', { class: 'card-value' }, value), el('span', { class: 'card-label' }, label));
}

function issues(id, title, list, count) {
  if (!list || list.length === 0) {
    return null;
  }
  return el('div', { id },
    el('h3', null, title + (count > list.length ? ' (the first ' + num(list.length) + ' of ' + num(count) + '; the error file has all)' : '')),
    table([
      { label: 'Row', value: i => num(i.row), class: 'num' },
      { label: 'Column', value: i => i.column || '–' },
      { label: 'Code', value: i => el('code', null, i.code) },
      { label: 'What is wrong', value: i => i.message },
      { label: 'Value', value: i => i.value === null || i.value === undefined ? '–' : el('code', { class: 'cell-value' }, i.value) },
    ], list, { label: title, rowAttrs: i => ({ 'data-row': i.row, 'data-code': i.code }) }));
}

/** Why a file is refused before sending it, or null. */
function refuse(file) {
  const name = file.name.toLowerCase();
  if (!name.endsWith('.csv') && !name.endsWith('.xlsx')) {
    return 'This file is not a CSV or XLSX file (' + file.name + '). Save the spreadsheet as CSV (UTF-8) or Excel workbook (.xlsx) and choose it again.';
  }
  if (file.size === 0) {
    return 'This file is empty. Choose the saved spreadsheet.';
  }
  if (file.size > MAX_BYTES) {
    return 'This file is ' + size(file.size) + '; the hub takes up to 32 MB per import. Split it into smaller files.';
  }
  return null;
}

function contentType(file) {
  return file.name.toLowerCase().endsWith('.xlsx') ? XLSX_TYPE : 'text/csv';
}

function base(name) {
  return name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60) || 'file';
}

function size(bytes) {
  if (bytes < 1024) {
    return bytes + ' bytes';
  }
  if (bytes < 1024 * 1024) {
    return (bytes / 1024).toFixed(1) + ' KB';
  }
  return (bytes / (1024 * 1024)).toFixed(1) + ' MB';
}

/** Data rows of a CSV file (line breaks less the header), for a bar with an end; null for XLSX. */
async function estimateRows(file) {
  if (file.name.toLowerCase().endsWith('.xlsx')) {
    return null;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      lines++;
    }
  }
  if (bytes.length && bytes[bytes.length - 1] !== 10) {
    lines++;
  }
  return Math.max(1, Math.min(MAX_ROWS, lines - 1));
}

/** Reads an NDJSON answer line by line as it arrives. */
async function lines(res, each) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
    let at;
    while ((at = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, at).trim();
      buffer = buffer.slice(at + 1);
      if (line) {
        each(JSON.parse(line));
      }
    }
    if (done) {
      if (buffer.trim()) {
        each(JSON.parse(buffer));
      }
      return;
    }
  }
}

/**
 * The bar: reading fills 0–80 % by rows read over the rows the file holds (CSV; an XLSX shows a
 * moving bar and the count), checking 80–95 %, writing 95–100 %.
 */
function progressBar(box, mode) {
  const fillBar = el('div', { class: 'progress-bar' });
  const bar = el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-labelledby': 'import-progress-label' }, fillBar);
  const label = el('p', { id: 'import-progress-label', class: 'progress-label' });
  fill(box, el('div', { class: 'panel' }, el('h2', null, mode === 'commit' ? 'Importing' : 'Checking the file'), label, bar));
  box.hidden = false;
  const set = (pct, text, phase) => {
    bar.classList.toggle('progress-indeterminate', pct === null);
    if (pct === null) {
      bar.removeAttribute('aria-valuenow');
    } else {
      fillBar.style.width = pct + '%';
      bar.setAttribute('aria-valuenow', String(Math.round(pct)));
    }
    label.textContent = text;
    box.dataset.phase = phase;
  };
  return {
    phase(phase, rows, total) {
      const name = PHASES[phase] || phase;
      if (phase === 'upload') {
        set(total ? 2 : null, name + '…', phase);
      } else if (phase === 'reading') {
        set(total ? Math.min(80, 80 * rows / total) : null, name + ': ' + num(rows) + (total ? ' of about ' + num(total) : ''), phase);
      } else if (phase === 'checking') {
        set(total ? 85 : null, name + ' (' + num(rows) + ' rows)…', phase);
      } else {
        set(total ? 95 : null, name + ' ' + num(rows) + ' rows…', phase);
      }
    },
    done() {
      set(100, 'Done.', 'done');
      // the report below says what happened; a full bar left above it would only push it down
      box.hidden = true;
    },
    hide() {
      box.hidden = true;
    },
  };
}

/** What to tell the admin about a refusal, in words for this page's codes. */
function words(e) {
  const codes = {
    BODY_TOO_LARGE: 'The file is larger than the hub takes (32 MB). Split it into smaller files and import each.',
    IMPORT_TOO_MANY_ROWS: 'The file holds more than 80,000 rows. Split it into smaller files and import each.',
    IMPORT_NOT_A_SPREADSHEET: 'The hub could not read this as CSV (UTF-8) or XLSX. Save it again in one of those formats.',
    IMPORT_FILE_REFUSED: 'The workbook could not be read safely (damaged or packed oddly). Open it, save it again as XLSX or CSV, and retry.',
    IMPORT_BAD_HEADER: null,
  };
  if (e instanceof ApiError && codes[e.code]) {
    return codes[e.code];
  }
  if (e instanceof ApiError && e.code === 'IMPORT_BAD_HEADER') {
    return 'The first row does not name the columns right: ' + e.detail + '. Start from the template below the form.';
  }
  return explain(e);
}
