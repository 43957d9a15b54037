/**
 * The tables as Kysely sees them. Types are the portable subset both backends agree on:
 * text ids, ISO-8601 UTC timestamps as text (sortable, no driver-specific Date handling),
 * JSON as text, booleans as 0/1 integers.
 */

export interface SchemaTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface RevisionTable {
  id: number;
  revision: number;
}

export interface TeamsTable {
  id: string;
  name: string;
  /** JSON, as on virtual_keys; added by migration 6. */
  limits: string | null;
  budget: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

export interface ConsumersTable {
  id: string;
  name: string;
  team_id: string | null;
  /** JSON, as on virtual_keys; added by migration 6. */
  limits: string | null;
  budget: string | null;
  metadata: string;
  enabled: number;
  created_at: string;
  updated_at: string;
  revision: number;
}

export interface VirtualKeysTable {
  id: string;
  key_hash: string;
  key_prefix: string;
  key_last4: string;
  name: string | null;
  consumer_id: string;
  team_id: string | null;
  models: string;
  ips: string;
  limits: string | null;
  budget: string | null;
  metadata: string;
  expires_at: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  revision: number;
}

export interface DeletionsTable {
  revision: number;
  resource: string;
  id: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  resource: string;
  resource_id: string;
  before: string | null;
  after: string | null;
}

/** One row per request: the usage ledger (src/plugins/usage-ledger/, src/usage/usage-ledger.ts). */
export interface UsageRecordsTable {
  id: string;
  request_id: string;
  /** When the request arrived (ISO 8601 UTC). */
  at: string;
  consumer: string | null;
  /** Who the consumer is (a store id or `config:<name>`), added by migration 4. */
  consumer_id: string | null;
  key_id: string | null;
  team: string | null;
  /** Who the team is (a store id or `config:<name>`), added by migration 5. */
  team_id: string | null;
  route: string | null;
  variant: string | null;
  provider: string | null;
  operation: string;
  requested_model: string;
  /** The model the provider served (its own name); null when no provider was called. */
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  cost_estimated: number;
  latency_ms: number;
  ttft_ms: number | null;
  status: number;
  error_type: string | null;
  error_code: string | null;
  cache_hit: number;
  stream: number;
}

/** Usage records older than the retention, summed per UTC day and group (usage-queries.ts). */
export interface UsageDailyTable {
  day: string;
  consumer: string | null;
  consumer_id: string | null;
  key_id: string | null;
  team: string | null;
  team_id: string | null;
  route: string | null;
  variant: string | null;
  provider: string | null;
  requested_model: string;
  model: string | null;
  status: number;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  estimated_requests: number;
  cache_hits: number;
  latency_ms_sum: number;
}

/** Provider credentials set through the Admin API: ciphertext only (AES-256-GCM under TOLLGATE_MASTER_KEY). */
export interface ProviderCredentialsTable {
  provider: string;
  ciphertext: string;
  /** First 8 hex digits of the master key's SHA-256: which key decrypts this row. */
  key_id: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

export interface Database {
  tollgate_schema: SchemaTable;
  identity_revision: RevisionTable;
  teams: TeamsTable;
  consumers: ConsumersTable;
  virtual_keys: VirtualKeysTable;
  deletions: DeletionsTable;
  audit_log: AuditLogTable;
  provider_credentials: ProviderCredentialsTable;
  usage_records: UsageRecordsTable;
  usage_daily: UsageDailyTable;
}
