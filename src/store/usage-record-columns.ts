import type { UsageRecordsTable } from './database-schema.ts';

/** The columns of `usage_records` in insert order (the SQLite ledger worker binds values in this order). */
export const usageRecordColumns = [
  'id', 'request_id', 'at', 'consumer', 'key_id', 'team', 'route', 'variant', 'provider', 'operation', 'requested_model', 'model',
  'input_tokens', 'output_tokens', 'cached_tokens', 'reasoning_tokens', 'cost_usd', 'cost_estimated', 'latency_ms', 'ttft_ms',
  'status', 'error_type', 'error_code', 'cache_hit', 'stream',
] as const satisfies ReadonlyArray<keyof UsageRecordsTable>;
