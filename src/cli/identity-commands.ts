import { parseArgs } from 'node:util';
import { AdminApiError, AdminClient } from './admin-client.ts';
import { expiryFromFlag } from './parse-duration.ts';

export const identityUsage = `Identity commands (talk to the Admin API: --admin-url or $TOLLGATE_ADMIN_URL, default
http://127.0.0.1:8001; --admin-token or $TOLLGATE_ADMIN_TOKEN; --json prints the raw answer):
  keys create --consumer C [--name N] [--team T] [--models 'gpt-4o*,o3'] [--ips 10.0.0.0/8]
              [--expires 30d|ISO] [--rpm N] [--tpm N] [--budget USD [--budget-period day|month|...]]
              [--metadata k=v]...   (a budget resets each calendar month, UTC, unless --budget-period says otherwise)
  keys list [--consumer C] [--team T] [--limit N] [--after CURSOR]
  keys get ID | keys revoke ID | keys disable ID | keys enable ID
  consumers create NAME [--team T] [--rpm N] [--tpm N] [--budget USD [--budget-period P]] [--metadata k=v]...
  consumers list [--team T] | consumers delete ID|NAME
  teams create NAME [--rpm N] [--tpm N] [--budget USD [--budget-period P]] [--metadata k=v]... | teams list | teams delete ID|NAME
  (a consumer's or team's limits and budget count every request of every key of theirs)`;

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

type Row = Record<string, unknown>;

/** Where a command writes; tests pass their own to run commands in-process. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processOutput: CommandOutput = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };

const options = {
  'admin-url': { type: 'string' },
  'admin-token': { type: 'string' },
  json: { type: 'boolean' },
  consumer: { type: 'string' },
  team: { type: 'string' },
  name: { type: 'string' },
  models: { type: 'string', multiple: true },
  ips: { type: 'string', multiple: true },
  expires: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  budget: { type: 'string' },
  'budget-period': { type: 'string' },
  metadata: { type: 'string', multiple: true },
  limit: { type: 'string' },
  after: { type: 'string' },
} as const;

/** `--models 'a,b' --models c` -> ['a', 'b', 'c'] */
function list(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
}

function metadata(values: string[] | undefined): Record<string, string> | undefined {
  if (!values) return undefined;
  return Object.fromEntries(
    values.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`--metadata: expected key=value, got ${JSON.stringify(pair)}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`--${flag}: expected a positive number, got ${JSON.stringify(value)}`);
  return number;
}

/** `--rpm`, `--tpm`, `--budget` and `--budget-period` as the `limits` and `budget` a key, consumer or team carries. */
function limitFlags(values: { rpm?: string; tpm?: string; budget?: string; 'budget-period'?: string }): { limits?: { rpm?: number; tpm?: number }; budget?: { max_usd: number; period?: string } } {
  const limits = { rpm: positiveNumber('rpm', values.rpm), tpm: positiveNumber('tpm', values.tpm) };
  const budget = positiveNumber('budget', values.budget);
  if (values['budget-period'] !== undefined && budget === undefined) throw new Error('--budget-period needs --budget USD');
  return {
    limits: limits.rpm === undefined && limits.tpm === undefined ? undefined : JSON.parse(JSON.stringify(limits)),
    // The Admin API checks the period (second, minute, hour, day, month) and defaults to month.
    budget: budget === undefined ? undefined : { max_usd: budget, period: values['budget-period'] },
  };
}

function query(values: Record<string, string | undefined>): string {
  const entries = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}

function table(rows: Row[], columns: string[]): string {
  const cell = (value: unknown) => (value === null || value === undefined ? '-' : Array.isArray(value) ? value.join(',') || '*' : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: string[]) => values.map((value, index) => value.padEnd(widths[index])).join('  ').trimEnd();
  return [line(columns.map((column) => column.toUpperCase())), ...rows.map((row) => line(columns.map((column) => cell(row[column]))))].join('\n');
}

/** Runs `keys`, `consumers` or `teams`; returns the exit code. */
export async function runIdentityCommand(argv: string[], io: CommandOutput = processOutput): Promise<number> {
  const write = io.stdout;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options, strict: true });
  } catch (error) {
    io.stderr(`tollgate: ${(error as Error).message}\n\n${identityUsage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [resource, action, argument] = positionals;
  const client = new AdminClient({ url: values['admin-url'] ?? process.env.TOLLGATE_ADMIN_URL ?? 'http://127.0.0.1:8001', token: values['admin-token'] ?? process.env.TOLLGATE_ADMIN_TOKEN });
  const print = (body: unknown, human: () => string) => write(`${values.json ? JSON.stringify(body, null, 2) : human()}\n`);
  const needArgument = (what: string): string => {
    if (!argument) throw new Error(`name the ${what}`);
    return argument;
  };
  const pageHint = (page: Page<Row>) => (page.next_cursor ? `\n(more: --after ${page.next_cursor})` : '');

  try {
    if (resource === 'keys' && action === 'create') {
      if (!values.consumer) throw new Error('--consumer is required');
      const body = {
        consumer: values.consumer,
        name: values.name,
        team: values.team,
        models: list(values.models),
        ips: list(values.ips),
        expires_at: values.expires === undefined ? undefined : expiryFromFlag(values.expires),
        ...limitFlags(values),
        metadata: metadata(values.metadata),
      };
      const created = await client.request<Row>('POST', '/keys', body).catch((error: unknown) => {
        // On a fresh store the first key's consumer does not exist yet: say how to make it.
        if (error instanceof AdminApiError && error.code === 'unknown_reference' && error.param === 'consumer') throw new Error(`${error.message} Create it first: tollgate consumers create ${values.consumer}`);
        throw error;
      });
      print(created, () => `${created.key}\n\nKey ${created.id} for consumer ${created.consumer_id}${created.expires_at ? `, expires ${created.expires_at}` : ''}.\nStore it now: it is not shown again.`);
      return 0;
    }
    if (resource === 'keys' && action === 'list') {
      const page = await client.request<Page<Row>>('GET', `/keys${query({ consumer: values.consumer, team: values.team, limit: values.limit, after: values.after })}`);
      print(page, () => table(page.data, ['id', 'display', 'name', 'consumer_id', 'models', 'expires_at', 'enabled', 'last_used_at']) + pageHint(page));
      return 0;
    }
    if (resource === 'keys' && action === 'get') {
      const key = await client.request<Row>('GET', `/keys/${encodeURIComponent(needArgument('key id'))}`);
      print(key, () => JSON.stringify(key, null, 2));
      return 0;
    }
    if (resource === 'keys' && action === 'revoke') {
      const result = await client.request<Row>('DELETE', `/keys/${encodeURIComponent(needArgument('key id'))}`);
      print(result, () => `Key ${argument} revoked.`);
      return 0;
    }
    if (resource === 'keys' && (action === 'disable' || action === 'enable')) {
      const key = await client.request<Row>('PATCH', `/keys/${encodeURIComponent(needArgument('key id'))}`, { enabled: action === 'enable' });
      print(key, () => `Key ${key.id} ${action}d.`);
      return 0;
    }
    if ((resource === 'consumers' || resource === 'teams') && action === 'create') {
      const body = resource === 'consumers' ? { name: needArgument('consumer'), team: values.team, ...limitFlags(values), metadata: metadata(values.metadata) } : { name: needArgument('team'), ...limitFlags(values), metadata: metadata(values.metadata) };
      const created = await client.request<Row>('POST', `/${resource}`, body);
      print(created, () => `${resource === 'teams' ? 'Team' : 'Consumer'} ${created.name} created: ${created.id}`);
      return 0;
    }
    if ((resource === 'consumers' || resource === 'teams') && action === 'list') {
      const page = await client.request<Page<Row>>('GET', `/${resource}${query({ team: resource === 'consumers' ? values.team : undefined, limit: values.limit, after: values.after })}`);
      print(page, () => table(page.data, resource === 'consumers' ? ['id', 'name', 'team_id', 'enabled', 'created_at'] : ['id', 'name', 'created_at']) + pageHint(page));
      return 0;
    }
    if ((resource === 'consumers' || resource === 'teams') && action === 'delete') {
      // By id or by name, as get takes them; the answer names the id of what was deleted.
      const result = await client.request<Row>('DELETE', `/${resource}/${encodeURIComponent(needArgument('id or name'))}`);
      print(result, () => (result.id === argument ? `Deleted ${argument}.` : `Deleted ${argument} (${String(result.id)}).`));
      return 0;
    }
    io.stderr(`Unknown command: ${positionals.join(' ')}\n\n${identityUsage}\n`);
    return 2;
  } catch (error) {
    if (error instanceof Error) {
      // The one place that names the command: messages thrown above carry no prefix of their own.
      io.stderr(`${['tollgate', resource, action].filter(Boolean).join(' ')}: ${error.message}\n`);
      return error instanceof AdminApiError && error.status === 0 ? 3 : 1;
    }
    throw error;
  }
}
