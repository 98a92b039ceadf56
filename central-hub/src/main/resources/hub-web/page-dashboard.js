// Dashboard (F-DASH): exact totals from the hub's maintained counters, per area and per dock, the
// 14-day scans chart (uPlot, from its WebJar) and the latest scans, refreshed every few seconds
// without a reload. Dispatchers see their own area only (the hub narrows the figures).

import uPlot from './vendor/uplot.js';
import { api, el, fill, header, num, when, ago, table, link, notice, explain, every, empty } from './kit.js';

const REFRESH_MS = 5000;

const FIGURES = [
  ['parents', 'Parent bags'],
  ['children', 'Child bags'],
  ['links', 'Links'],
  ['scansToday', 'Scans today'],
  ['bills_open', 'Open bills'],
  ['bills_finalized', 'Finalized bills'],
];

export async function render(view, route) {
  const status = el('p', { class: 'live', id: 'dashboard-updated', role: 'status' }, 'Loading figures…');
  const cards = el('div', { class: 'cards', id: 'dashboard-totals' });
  const chartBox = el('div', { class: 'chart', id: 'scans-chart', 'aria-label': 'Scans per day, last 14 days', role: 'img' });
  const chartTable = el('details', { class: 'chart-table' }, el('summary', null, 'Scans per day as a table'));
  const areas = el('div', { id: 'dashboard-areas' });
  const docks = el('div', { id: 'dashboard-docks' });
  const latest = el('div', { id: 'dashboard-latest' });
  const problem = el('div');
  const scope = route.session.area && route.session.role === 'DISPATCHER' ? ' · area ' + route.session.area : '';
  fill(view,
    header('Dashboard' + scope, status),
    problem,
    cards,
    el('section', { class: 'panel', 'aria-labelledby': 'chart-title' },
      el('h2', { id: 'chart-title' }, 'Scans, last 14 days'), chartBox, chartTable),
    el('div', { class: 'two-columns' },
      el('section', { class: 'panel', 'aria-labelledby': 'areas-title' }, el('h2', { id: 'areas-title' }, 'By area'), areas),
      el('section', { class: 'panel', 'aria-labelledby': 'docks-title' }, el('h2', { id: 'docks-title' }, 'By dock'), docks)),
    el('section', { class: 'panel', 'aria-labelledby': 'latest-title' },
      el('h2', { id: 'latest-title' }, 'Latest scans'), latest));

  let chart = null;
  const draw = dashboard => {
    fill(problem);
    const totals = dashboard.totals || {};
    fill(cards, FIGURES.map(([key, label]) => el('div', { class: 'card', 'data-figure': key },
      el('span', { class: 'card-value' }, num(totals[key] ?? 0)), el('span', { class: 'card-label' }, label))));
    fill(areas, breakdown(dashboard.byArea, 'Area', 'No area has figures yet. Figures appear here once docks of an area scan.'));
    fill(docks, breakdown(dashboard.byDock, 'Dock', 'No dock has sent scans yet. Enrol a dock on the Fleet page to start.'));
    fill(latest, (dashboard.latest || []).length === 0
      ? empty('No scans yet.', 'Scans appear here as docks send them.')
      : table([
        { label: 'When', value: s => when(s.at) },
        { label: 'What', value: s => s.kind.toLowerCase() },
        { label: 'Bag', value: s => link('/bags/' + encodeURIComponent(s.bag), s.bag, { class: 'code' }) },
        { label: 'Parent', value: s => s.parent ? link('/bags/' + encodeURIComponent(s.parent), s.parent, { class: 'code' }) : '–' },
        { label: 'By', value: s => s.actor || '–' },
        { label: 'Dock', value: s => s.dock || 'hub' },
      ], dashboard.latest, { label: 'Latest scans' }));
    chart = drawChart(chartBox, chartTable, dashboard.last14Days || [], chart);
    status.textContent = 'Live · updated ' + new Date().toLocaleTimeString();
    status.dataset.updatedAt = dashboard.at || '';
  };

  const load = async () => {
    try {
      draw(await api('GET', '/api/v1/stats'));
    } catch (e) {
      status.textContent = 'Not updated since ' + (status.dataset.updatedAt ? ago(status.dataset.updatedAt) : 'the page opened');
      fill(problem, notice('error', explain(e) + ' The figures refresh by themselves when the hub answers again.'));
    }
  };
  await load();
  const stop = every(REFRESH_MS, load);
  const resize = () => {
    if (chart) {
      chart.setSize(size(chartBox));
    }
  };
  window.addEventListener('resize', resize);
  return () => {
    stop();
    window.removeEventListener('resize', resize);
    if (chart) {
      chart.destroy();
    }
  };
}

function breakdown(groups, label, emptyText) {
  const names = Object.keys(groups || {});
  if (names.length === 0) {
    return empty(emptyText);
  }
  return table([
    { label, value: n => n },
    { label: 'Parents', value: n => num(groups[n].parents ?? 0), class: 'num' },
    { label: 'Children', value: n => num(groups[n].children ?? 0), class: 'num' },
    { label: 'Links', value: n => num(groups[n].links ?? 0), class: 'num' },
    { label: 'Scans today', value: n => num(groups[n].scans ?? 0), class: 'num' },
  ], names, { label: label + ' figures' });
}

function size(box) {
  const width = Math.max(280, box.clientWidth || 600);
  return { width, height: width < 500 ? 200 : 260 };
}

function drawChart(box, tableBox, days, previous) {
  const xs = days.map(d => Date.parse(d.day + 'T00:00:00Z') / 1000);
  const ys = days.map(d => d.scans);
  fill(tableBox, el('summary', null, 'Scans per day as a table'),
    table([{ label: 'Day', value: d => d.day }, { label: 'Scans', value: d => num(d.scans), class: 'num' }], days));
  box.dataset.points = String(days.length);
  box.dataset.total = String(ys.reduce((a, b) => a + b, 0));
  if (previous) {
    previous.setData([xs, ys]);
    return previous;
  }
  const styles = getComputedStyle(document.documentElement);
  const fg = styles.getPropertyValue('--muted').trim() || '#c3ccd6';
  const grid = styles.getPropertyValue('--panel-edge').trim() || '#2e3d4c';
  const bar = styles.getPropertyValue('--ok').trim() || '#00c853';
  const options = {
    ...size(box),
    tzDate: ts => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(10, max * 1.1)] } },
    axes: [
      { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, values: '{D} {MMM}' },
      { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, size: 70,
        values: (u, vals) => vals.map(v => num(v)) },
    ],
    series: [
      {},
      { label: 'Scans', stroke: bar, fill: bar + '99', width: 1, paths: uPlot.paths.bars({ size: [0.7, 60] }),
        points: { show: false } },
    ],
  };
  return new uPlot(options, [xs, ys], box);
}
