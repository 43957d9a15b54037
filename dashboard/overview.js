// The usage overview: totals, requests and cost over time (usage-chart.js), and the same range
// by model and by consumer/key, from GET /usage.

import { api, query } from './api.js';
import { $, h, table } from './dom.js';
import { formatCost, formatCount, formatTime, orNone } from './format.js';
import { state } from './state.js';
import { usageCharts } from './usage-chart.js';

const hour = 3600_000;

/**
 * The ranges of the Period menu, in whole UTC periods so that the totals, the tables and the
 * chart's bars cover the same time: the current hour and the 23 before it; today and the 6 or 29
 * days before it.
 */
const ranges = {
  24: { interval: 'hour', count: 24 },
  168: { interval: 'day', count: 7 },
  720: { interval: 'day', count: 30 },
};

function rangeStart({ interval, count }) {
  const step = interval === 'hour' ? hour : 24 * hour;
  const now = Date.now();
  return new Date(Math.floor(now / step) * step - (count - 1) * step);
}

const usageColumns = [
  { label: 'Requests', number: true, value: (row) => formatCount(row.requests) },
  { label: 'Errors', number: true, value: (row) => formatCount(row.errors) },
  { label: 'Input tokens', number: true, value: (row) => formatCount(row.input_tokens) },
  { label: 'Output tokens', number: true, value: (row) => formatCount(row.output_tokens) },
  { label: 'Cost', number: true, value: (row) => formatCost(row.cost_usd) },
];

function keyLabel(row) {
  if (row.key === null || row.key === undefined) return '—';
  const key = state.keysById.get(row.key);
  return key ? `${key.name ?? key.display} (${row.key})` : String(row.key);
}

export async function loadOverview() {
  const range = ranges[$('range').value] ?? ranges[24];
  const from = rangeStart(range);
  const report = (parameters) => api('GET', `/usage${query({ from: from.toISOString(), ...parameters })}`);
  const [byModel, byKey, series] = await Promise.all([report({ group_by: 'provider,model' }), report({ group_by: 'consumer,key' }), report({ interval: range.interval })]);
  const totals = byModel.totals;
  const figures = [
    ['Requests', formatCount(totals.requests)],
    ['Errors', formatCount(totals.errors)],
    ['Tokens', formatCount(totals.input_tokens + totals.output_tokens)],
    ['Cost', formatCost(totals.cost_usd)],
  ];
  $('totals').replaceChildren(...figures.map(([name, value]) => h('div', { 'data-total': name.toLowerCase() }, h('dt', {}, name), h('dd', {}, value))));
  $('range-note').textContent = `Since ${formatTime(from.toISOString())}, in whole ${range.interval === 'hour' ? 'hours' : 'days'} (UTC).`;
  $('usage-chart').replaceChildren(...usageCharts(series, from, range.count));
  $('by-model').replaceChildren(table('Usage by model', [{ label: 'Model', value: (row) => (row.model === null ? '—' : `${row.provider ?? '?'}/${row.model}`) }, ...usageColumns], byModel.data));
  $('by-key').replaceChildren(table('Usage by consumer and key', [{ label: 'Consumer', value: (row) => orNone(row.consumer) }, { label: 'Key', value: keyLabel }, ...usageColumns], byKey.data));
}

/** Nothing shown (after signing out). */
export function clearOverview() {
  for (const id of ['totals', 'usage-chart', 'by-model', 'by-key']) $(id).replaceChildren();
  $('range-note').textContent = '';
}
