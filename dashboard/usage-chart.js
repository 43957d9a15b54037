// Requests and cost per hour or per day, as two bar charts drawn in SVG with DOM calls (no
// library, no inline style: colours come from dashboard.css). Every period of the range has a
// slot on the axis; a bar is drawn for each period with traffic, its <title> giving the numbers
// (a tooltip for the mouse), and the same numbers are in a table under the charts.

import { h, svg, table } from './dom.js';
import { formatCost, formatCount, plural } from './format.js';

const width = 720;
const height = 170;
const margin = { top: 12, right: 8, bottom: 22, left: 64 };
const hour = 3600_000;

/** The periods of a range as the API names them: `2026-12-03T10:00Z` (hour) or `2026-12-03` (day). */
export function periodsOf(from, count, interval) {
  const step = interval === 'hour' ? hour : 24 * hour;
  return Array.from({ length: count }, (_, index) => {
    const iso = new Date(from.getTime() + index * step).toISOString();
    return interval === 'hour' ? `${iso.slice(0, 13)}:00Z` : iso.slice(0, 10);
  });
}

/** "2026-12-03 10:00 UTC" or "2026-12-03". */
const periodLabel = (period) => (period.includes('T') ? `${period.replace('T', ' ').replace('Z', '')} UTC` : period);
const shortLabel = (period) => (period.includes('T') ? period.slice(11, 16) : period.slice(5));

const barTitle = (row) => `${periodLabel(row.period)}: ${plural(row.requests, 'request')}, ${formatCost(row.cost_usd)}${row.errors > 0 ? `, ${plural(row.errors, 'error')}` : ''}`;

function chart({ id, title, metric, format, className }, periods, rows, unit) {
  const byPeriod = new Map(rows.map((row) => [row.period, row]));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const slot = plotWidth / periods.length;
  const highest = Math.max(0, ...rows.map((row) => row[metric]));
  const peak = rows.find((row) => row[metric] === highest);
  const total = rows.reduce((sum, row) => sum + row[metric], 0);
  const description = rows.length === 0
    ? `No traffic in these ${periods.length} ${unit}s.`
    : `${format(total)} in ${rows.length} of ${periods.length} ${unit}s; the most, ${format(highest)}, in ${periodLabel(peak.period)}.`;

  const bars = [];
  periods.forEach((period, index) => {
    const row = byPeriod.get(period);
    if (!row) return;
    const value = row[metric];
    // A period with any amount stays visible (1 unit high at least); one with nothing is flat.
    const barHeight = highest === 0 || value === 0 ? 0 : Math.max(1, (value / highest) * plotHeight);
    bars.push(svg('rect', {
      class: `bar ${className}`,
      'data-period': period,
      x: (margin.left + index * slot + slot * 0.15).toFixed(2),
      y: (margin.top + plotHeight - barHeight).toFixed(2),
      width: Math.max(1, slot * 0.7).toFixed(2),
      height: barHeight.toFixed(2),
    }, svg('title', {}, barTitle(row))));
  });

  const baseline = margin.top + plotHeight;
  const text = (x, y, anchor, content) => svg('text', { x, y, 'text-anchor': anchor }, content);
  const drawing = svg(
    'svg',
    { class: 'chart', id, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, 'data-metric': metric },
    svg('title', { id: `${id}-title` }, title),
    svg('desc', { id: `${id}-desc` }, description),
    svg(
      'g',
      { class: 'axis' },
      svg('line', { x1: margin.left, x2: width - margin.right, y1: baseline, y2: baseline }),
      svg('line', { class: 'grid', x1: margin.left, x2: width - margin.right, y1: margin.top, y2: margin.top }),
      text(margin.left - 6, margin.top + 4, 'end', format(highest)),
      text(margin.left - 6, baseline, 'end', format(0)),
      text(margin.left, height - 6, 'start', shortLabel(periods[0])),
      text(width - margin.right, height - 6, 'end', shortLabel(periods[periods.length - 1])),
    ),
    svg('g', { class: 'bars' }, bars),
  );
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), drawing);
}

/**
 * The charts and their table for a usage report with `interval` and no group_by (one row per
 * period with traffic), over `count` periods starting at `from`.
 */
export function usageCharts(report, from, count) {
  const interval = report.interval;
  const unit = interval === 'hour' ? 'hour' : 'day';
  const periods = periodsOf(from, count, interval);
  const rows = report.data.filter((row) => periods.includes(row.period));
  return [
    chart({ id: 'usage-chart-requests', title: `Requests per ${unit} (UTC)`, metric: 'requests', format: formatCount, className: 'requests' }, periods, rows, unit),
    chart({ id: 'usage-chart-cost', title: `Cost per ${unit} in USD (UTC)`, metric: 'cost_usd', format: formatCost, className: 'cost' }, periods, rows, unit),
    h(
      'details',
      { class: 'chart-table' },
      h('summary', {}, `The same as a table (${plural(rows.length, unit)} with traffic)`),
      table(`Usage per ${unit}`, [
        { label: unit === 'hour' ? 'Hour' : 'Day', value: (row) => periodLabel(row.period) },
        { label: 'Requests', number: true, value: (row) => formatCount(row.requests) },
        { label: 'Errors', number: true, value: (row) => formatCount(row.errors) },
        { label: 'Cost', number: true, value: (row) => formatCost(row.cost_usd) },
      ], rows, { empty: 'No traffic in this period.' }),
    ),
  ];
}
