import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, UsageRecordsTable } from './database-schema.ts';
import { columnValue, usageRecordColumns } from './usage-record-columns.ts';
import type { UsageDimension, UsageGroup, UsageInterval, UsageQuery, UsageRecord, UsageReport, UsageTotals } from './store.ts';

/**
 * The usage ledger's SQL, one code path for SQLite and PostgreSQL. Group-by columns come from a
 * fixed list (never from the request), values are always bound parameters. Times are ISO 8601
 * UTC text, so a period is a prefix of it: `substr(at, 1, 10)` is the day on both backends.
 */

const columnOf: Record<UsageDimension, string> = {
  consumer: 'consumer',
  consumer_id: 'consumer_id',
  key: 'key_id',
  team: 'team',
  team_id: 'team_id',
  model: 'model',
  requested_model: 'requested_model',
  provider: 'provider',
  route: 'route',
  variant: 'variant',
  status: 'status',
};

/** How many characters of an ISO time name its period. */
const periodLength: Record<UsageInterval, number> = { hour: 13, day: 10, month: 7 };

export function recordToRow(record: UsageRecord): UsageRecordsTable {
  const row: Record<string, string | number | null> = {};
  for (const column of usageRecordColumns) row[column] = columnValue(record, column);
  return row as unknown as UsageRecordsTable;
}

export async function insertUsageRecords(db: Kysely<Database>, records: readonly UsageRecord[]): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map(recordToRow);
  // One statement for the whole batch; the transaction makes it all-or-nothing on both backends,
  // and ON CONFLICT makes a retry after an unclear failure (commit sent, answer lost) harmless.
  await db.transaction().execute((transaction) => transaction.insertInto('usage_records').values(rows).onConflict((conflict) => conflict.column('id').doNothing()).execute());
}

function emptyTotals(): UsageTotals {
  return { requests: 0, errors: 0, input_tokens: 0, output_tokens: 0, cached_tokens: 0, reasoning_tokens: 0, cost_usd: 0, estimated_requests: 0, cache_hits: 0 };
}

const totalFields = Object.keys(emptyTotals()) as Array<keyof UsageTotals>;

function addInto(target: UsageTotals, source: Record<string, unknown>): void {
  // PostgreSQL returns sums of integers (bigint) as text.
  for (const field of totalFields) target[field] += Number(source[field] ?? 0);
}

/**
 * A sum of costs to 10 decimals, the precision x-tollgate-cost-usd and the CSV report print
 * (formatUsd): float sums are otherwise off in the 16th digit (0.6000000000000002).
 */
function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/** Hours read `2026-12-01T10:00Z` (a rolled-up day counts as its first hour); days and months stay as they are. */
function periodLabel(prefix: string, interval: UsageInterval): string {
  if (interval !== 'hour') return prefix;
  return prefix.length === 10 ? `${prefix}T00:00Z` : `${prefix}:00Z`;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function filterConditions(query: UsageQuery, table: 'usage_records' | 'usage_daily'): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  for (const [dimension, value] of Object.entries(query.filters ?? {}) as Array<[UsageDimension, string | undefined]>) {
    if (value === undefined) continue;
    // Only the record table has error details; the daily table keeps status like the records.
    const column = sql.ref(`${table}.${columnOf[dimension]}`);
    conditions.push(dimension === 'status' ? sql`${column} = ${Number(value)}` : sql`${column} = ${value}`);
  }
  return conditions;
}

function whereAll(conditions: RawBuilder<unknown>[]): RawBuilder<unknown> {
  return sql.join(conditions, sql` and `);
}

/** The report over raw records and daily roll-ups, merged by group. */
export async function usageReport(db: Kysely<Database>, query: UsageQuery): Promise<UsageReport> {
  const dimensions = [...new Set(query.groupBy)];
  const interval = query.interval;
  const selectDimensions = (table: string) => dimensions.map((dimension) => sql`${sql.ref(`${table}.${columnOf[dimension]}`)} as ${sql.ref(dimension)}`);

  // Raw records: [from, to).
  const recordPeriod = interval ? sql`substr(usage_records.at, 1, ${sql.lit(periodLength[interval])})` : null;
  const recordGroups = [...dimensions.map((dimension) => sql.ref(`usage_records.${columnOf[dimension]}`)), ...(recordPeriod ? [recordPeriod] : [])];
  const recordSelect = [...selectDimensions('usage_records'), ...(recordPeriod ? [sql`${recordPeriod} as period`] : [])];
  const recordWhere = whereAll([sql`usage_records.at >= ${query.from}`, sql`usage_records.at < ${query.to}`, ...filterConditions(query, 'usage_records')]);
  const recordsQuery = sql<Record<string, unknown>>`
    select ${sql.join([
      ...recordSelect,
      sql`count(*) as requests`,
      sql`sum(case when usage_records.status >= 400 then 1 else 0 end) as errors`,
      sql`sum(usage_records.input_tokens) as input_tokens`,
      sql`sum(usage_records.output_tokens) as output_tokens`,
      sql`sum(usage_records.cached_tokens) as cached_tokens`,
      sql`sum(usage_records.reasoning_tokens) as reasoning_tokens`,
      sql`sum(usage_records.cost_usd) as cost_usd`,
      sql`sum(usage_records.cost_estimated) as estimated_requests`,
      sql`sum(usage_records.cache_hit) as cache_hits`,
    ])}
    from usage_records
    where ${recordWhere}
    ${recordGroups.length > 0 ? sql`group by ${sql.join(recordGroups)}` : sql``}`;

  // Daily roll-ups: a day is counted whole when it overlaps [from, to).
  const fromDay = query.from.slice(0, 10);
  const toDay = query.to.endsWith('T00:00:00.000Z') ? query.to.slice(0, 10) : nextDay(query.to.slice(0, 10));
  const dailyPeriod = interval === 'month' ? sql`substr(usage_daily.day, 1, 7)` : interval ? sql`usage_daily.day` : null;
  const dailyGroups = [...dimensions.map((dimension) => sql.ref(`usage_daily.${columnOf[dimension]}`)), ...(dailyPeriod ? [dailyPeriod] : [])];
  const dailySelect = [...selectDimensions('usage_daily'), ...(dailyPeriod ? [sql`${dailyPeriod} as period`] : [])];
  const dailyWhere = whereAll([sql`usage_daily.day >= ${fromDay}`, sql`usage_daily.day < ${toDay}`, ...filterConditions(query, 'usage_daily')]);
  const dailyQuery = sql<Record<string, unknown>>`
    select ${sql.join([
      ...dailySelect,
      sql`sum(usage_daily.requests) as requests`,
      sql`sum(case when usage_daily.status >= 400 then usage_daily.requests else 0 end) as errors`,
      sql`sum(usage_daily.input_tokens) as input_tokens`,
      sql`sum(usage_daily.output_tokens) as output_tokens`,
      sql`sum(usage_daily.cached_tokens) as cached_tokens`,
      sql`sum(usage_daily.reasoning_tokens) as reasoning_tokens`,
      sql`sum(usage_daily.cost_usd) as cost_usd`,
      sql`sum(usage_daily.estimated_requests) as estimated_requests`,
      sql`sum(usage_daily.cache_hits) as cache_hits`,
    ])}
    from usage_daily
    where ${dailyWhere}
    ${dailyGroups.length > 0 ? sql`group by ${sql.join(dailyGroups)}` : sql``}`;

  const [records, daily] = await Promise.all([recordsQuery.execute(db), dailyQuery.execute(db)]);
  const groups = new Map<string, UsageGroup>();
  const totals = emptyTotals();
  for (const row of [...daily.rows, ...records.rows]) {
    // With no group and no interval, an empty range still answers one row of nulls/zeros.
    if (Number(row.requests ?? 0) === 0) continue;
    const identity: Record<string, string | number | null> = {};
    if (interval) identity.period = periodLabel(String(row.period), interval);
    for (const dimension of dimensions) {
      const value = row[dimension];
      identity[dimension] = value === null || value === undefined ? null : dimension === 'status' ? Number(value) : String(value);
    }
    const key = JSON.stringify(identity);
    let group = groups.get(key);
    if (!group) {
      group = { ...identity, ...emptyTotals() } as UsageGroup;
      groups.set(key, group);
    }
    addInto(group, row);
    addInto(totals, row);
  }
  for (const group of groups.values()) group.cost_usd = roundUsd(group.cost_usd);
  totals.cost_usd = roundUsd(totals.cost_usd);
  const sorted = [...groups.values()].sort((left, right) => (left.period ?? '').localeCompare(right.period ?? '') || right.cost_usd - left.cost_usd || right.requests - left.requests);
  return { groups: sorted, totals };
}

/**
 * Moves records that arrived before `beforeDay` into `usage_daily` (or, without `aggregate`,
 * only deletes them), one UTC day per transaction:
 * the day's sums are inserted and its records deleted together. On PostgreSQL a repeatable-read
 * snapshot makes the delete remove exactly the rows that were summed, and an advisory lock lets
 * one node do it while the others skip.
 */
export async function rollUpUsage(db: Kysely<Database>, kind: 'sqlite' | 'postgres', beforeDay: string, aggregate = true): Promise<{ records: number; days: number }> {
  const cutoff = `${beforeDay}T00:00:00.000Z`;
  let records = 0;
  let days = 0;
  for (;;) {
    const oldest = await db.selectFrom('usage_records').select((builder) => builder.fn.min('at').as('at')).where('at', '<', cutoff).executeTakeFirst();
    if (!oldest?.at) break;
    const day = String(oldest.at).slice(0, 10);
    const end = nextDay(day) < beforeDay ? `${nextDay(day)}T00:00:00.000Z` : cutoff;
    let transaction = db.transaction();
    if (kind === 'postgres') transaction = transaction.setIsolationLevel('repeatable read');
    const moved = await transaction.execute(async (trx) => {
      if (kind === 'postgres') {
        const lock = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(7417) as locked`.execute(trx);
        if (!lock.rows[0]?.locked) return -1;
      }
      if (aggregate) {
        await sql`
        insert into usage_daily (day, consumer, consumer_id, key_id, team, team_id, route, variant, provider, requested_model, model, status,
          requests, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_usd, estimated_requests, cache_hits, latency_ms_sum)
        select substr(at, 1, 10), consumer, consumer_id, key_id, team, team_id, route, variant, provider, requested_model, model, status,
          count(*), sum(input_tokens), sum(output_tokens), sum(cached_tokens), sum(reasoning_tokens), sum(cost_usd), sum(cost_estimated), sum(cache_hit), sum(latency_ms)
        from usage_records
        where at < ${end}
        group by substr(at, 1, 10), consumer, consumer_id, key_id, team, team_id, route, variant, provider, requested_model, model, status`.execute(trx);
      }
      const deleted = await trx.deleteFrom('usage_records').where('at', '<', end).executeTakeFirst();
      return Number(deleted.numDeletedRows);
    });
    if (moved < 0) break;
    records += moved;
    days++;
  }
  return { records, days };
}
