import type { UsageRecordsTable } from './database-schema.ts';
import type { UsageRecord } from './store.ts';

/** The columns of `usage_records` in insert order (the SQLite ledger worker binds values in this order). */
export const usageRecordColumns = [
  'id', 'request_id', 'at', 'consumer', 'consumer_id', 'key_id', 'team', 'team_id', 'route', 'variant', 'provider', 'operation', 'requested_model', 'model',
  'input_tokens', 'output_tokens', 'cached_tokens', 'reasoning_tokens', 'cost_usd', 'cost_estimated', 'latency_ms', 'ttft_ms',
  'status', 'error_type', 'error_code', 'cache_hit', 'stream',
] as const satisfies ReadonlyArray<keyof UsageRecordsTable>;

/** A record's value for one column as both databases store it: booleans as 0/1, an absent value as null. */
export function columnValue(record: UsageRecord, column: (typeof usageRecordColumns)[number]): string | number | null {
  const value = record[column];
  return typeof value === 'boolean' ? (value ? 1 : 0) : (value ?? null);
}
