import { parseArgs } from 'node:util';
import { AdminApiError, AdminClient } from './admin-client.ts';
import { processOutput, type CommandOutput } from './identity-commands.ts';

export const usageCommandUsage = `Usage report (through the Admin API, like the identity commands; a viewer token is enough):
  usage [--group-by consumer,model] [--from 2026-12-01] [--to 2026-12-31] [--interval hour|day|month]
        [--consumer C] [--key KEY_ID] [--team T] [--model M] [--provider P] [--route R] [--status 200]
        [--csv | --json]
  Group by any of consumer, consumer_id, key, team, team_id, model, requested_model, provider, route, variant, status.
  --consumer and --team take a name (every record that carries it) or an id (con_…, team_…, config:<name>: that one's only).
  Default range: this month (UTC). --to DATE includes that whole day.`;

const options = {
  'admin-url': { type: 'string' },
  'admin-token': { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  'group-by': { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  interval: { type: 'string' },
  consumer: { type: 'string' },
  key: { type: 'string' },
  team: { type: 'string' },
  model: { type: 'string' },
  'requested-model': { type: 'string' },
  provider: { type: 'string' },
  route: { type: 'string' },
  variant: { type: 'string' },
  status: { type: 'string' },
} as const;

type Row = Record<string, unknown>;

interface UsageReportAnswer {
  from: string;
  to: string;
  group_by: string[];
  interval: string | null;
  totals: Row;
  data: Row[];
}

function table(rows: Row[], columns: string[]): string {
  const cell = (value: unknown) => (value === null || value === undefined ? '-' : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const numeric = new Set(['requests', 'errors', 'input_tokens', 'output_tokens', 'cached_tokens', 'cost_usd']);
  const line = (values: string[]) => values.map((value, index) => (numeric.has(columns[index]) ? value.padStart(widths[index]) : value.padEnd(widths[index]))).join('  ').trimEnd();
  return [line(columns.map((column) => column.toUpperCase())), ...rows.map((row) => line(columns.map((column) => cell(row[column]))))].join('\n');
}

/**
 * A cost in the table: six decimals for every row and the total, so a column lines up and a call's
 * fraction of a cent shows (`$0.465109`, `$0.000160`: the JSON's cost to the millionth of a dollar,
 * which --json and --csv give whole); a cost too small for that reads `<$0.000001`, never `$0.000000`.
 */
function tableUsd(value: unknown): string {
  const amount = Number(value);
  return amount > 0 && amount < 0.0000005 ? '<$0.000001' : `$${amount.toFixed(6)}`;
}

/** Runs `tollgate usage ...`; returns the exit code. */
export async function runUsageCommand(argv: string[], io: CommandOutput = processOutput): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: false, options, strict: true });
  } catch (error) {
    io.stderr(`tollgate usage: ${(error as Error).message}\n\n${usageCommandUsage}\n`);
    return 2;
  }
  const { values } = parsed;
  const url = (values['admin-url'] ?? process.env.TOLLGATE_ADMIN_URL ?? 'http://127.0.0.1:8001').replace(/\/+$/, '');
  const token = values['admin-token'] ?? process.env.TOLLGATE_ADMIN_TOKEN;
  const parameters = Object.entries({
    group_by: values['group-by']?.join(','),
    from: values.from,
    to: values.to,
    interval: values.interval,
    consumer: values.consumer,
    key: values.key,
    team: values.team,
    model: values.model,
    requested_model: values['requested-model'],
    provider: values.provider,
    route: values.route,
    variant: values.variant,
    status: values.status,
  }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const search = parameters.length === 0 ? '' : `?${new URLSearchParams(parameters).toString()}`;

  try {
    if (values.csv) {
      // The CSV comes as the Admin API makes it (the JSON client would try to parse it).
      let response: Response;
      try {
        response = await fetch(`${url}/usage.csv${search}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      } catch (error) {
        throw new AdminApiError(0, `cannot reach the Admin API at ${url} (${(error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message}); set TOLLGATE_ADMIN_URL or --admin-url`);
      }
      const text = await response.text();
      if (!response.ok) throw new AdminApiError(response.status, ((JSON.parse(text) as { error?: { message?: string } }).error?.message) ?? `HTTP ${response.status}`);
      io.stdout(text);
      return 0;
    }
    const report = await new AdminClient({ url, token }).request<UsageReportAnswer>('GET', `/usage${search}`);
    if (values.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const columns = [...(report.interval ? ['period'] : []), ...report.group_by, 'requests', 'errors', 'input_tokens', 'output_tokens', 'cost_usd'];
    const rows = report.data.map((row) => ({ ...row, cost_usd: tableUsd(row.cost_usd) }));
    const totals = report.totals;
    io.stdout(
      `Usage ${report.from} .. ${report.to}\n\n${rows.length > 0 ? `${table(rows, columns)}\n\n` : ''}` +
        `Total: ${totals.requests} requests (${totals.errors} errors), ${totals.input_tokens} input + ${totals.output_tokens} output tokens, ${tableUsd(totals.cost_usd)}` +
        `${Number(totals.estimated_requests) > 0 ? ` (${totals.estimated_requests} requests estimated)` : ''}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof Error) {
      io.stderr(`tollgate usage: ${error.message}\n`);
      return error instanceof AdminApiError && error.status === 0 ? 3 : 1;
    }
    throw error;
  }
}
