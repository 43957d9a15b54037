import type { UsageQuery, UsageReport, UsageTotals } from '../store/store.ts';
import { formatUsd } from './compute-cost.ts';

const totalColumns: Array<keyof UsageTotals> = ['requests', 'errors', 'input_tokens', 'output_tokens', 'cached_tokens', 'reasoning_tokens', 'cost_usd', 'estimated_requests', 'cache_hits'];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text that a
 * spreadsheet would run as a formula (= + - @ at the start) gets a leading apostrophe, so an
 * exported consumer name cannot execute in whoever opens the file (OWASP CSV injection).
 */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A report as CSV: a header line, then one line per group (period first when there is an interval). */
export function usageReportCsv(query: UsageQuery, report: UsageReport): string {
  const columns = [...(query.interval ? ['period'] : []), ...query.groupBy, ...totalColumns];
  const lines = [columns.join(',')];
  for (const group of report.groups) {
    const values = columns.map((column) => {
      const value = (group as unknown as Record<string, unknown>)[column];
      return column === 'cost_usd' ? formatUsd(value as number) : field(value);
    });
    lines.push(values.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
