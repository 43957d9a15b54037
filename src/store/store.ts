/**
 * The store interface: everything the control plane persists, behind one interface that the
 * SQLite and PostgreSQL backends both implement (one Kysely code path, see kysely-store.ts).
 * Writes take the actor and record an audit entry in the same transaction as the change.
 */

export type Metadata = Record<string, string>;

/** Rate, token and cost limits as stored (a list or the shorthand record); the rate-limit plugin reads them. */
export type StoredLimits = Record<string, unknown> | unknown[];

export interface Team {
  id: string;
  name: string;
  /** Limits every request of every key of the team counts against (by default on the team's own counters). */
  limits: StoredLimits | null;
  budget: Budget | null;
  metadata: Metadata;
  created_at: string;
  updated_at: string;
}

export interface Consumer {
  id: string;
  name: string;
  team_id: string | null;
  /** Limits every request of every key of the consumer counts against (by default on the consumer's own counters). */
  limits: StoredLimits | null;
  budget: Budget | null;
  metadata: Metadata;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

/** A spending cap for the budgets issue: at most `max_usd` per `period` (no period: lifetime). */
export interface Budget {
  max_usd: number;
  period?: string;
}

/** A virtual key as the Admin API shows it: never the secret, never its hash. */
export interface VirtualKey {
  id: string;
  name: string | null;
  consumer_id: string;
  team_id: string | null;
  /** `tg-AbCd…WxYz`: enough to recognise a key, useless to use it. */
  display: string;
  /** Model names or globs this key may call; empty means any. */
  models: string[];
  /** Client IPs or CIDRs this key may be used from; empty means any. */
  ips: string[];
  /** Rate/token limits, kept for the limits plugins (opaque here). */
  limits: StoredLimits | null;
  budget: Budget | null;
  metadata: Metadata;
  expires_at: string | null;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
}

/**
 * A key as the identity cache loads it: what authentication and the limit/budget plugins need,
 * plus the SHA-256 of the secret. Display fields and timestamps are left out: start-up loads
 * every key, and each column costs time at 100,000 keys.
 */
export type StoredKey = Pick<VirtualKey, 'id' | 'name' | 'consumer_id' | 'team_id' | 'models' | 'ips' | 'limits' | 'budget' | 'metadata' | 'expires_at' | 'enabled'> & {
  key_hash: string;
};

export interface AuditEntry {
  id: string;
  at: string;
  /** Who made the change, e.g. `admin-token:ops-team`, `admin-token:#1` or `cli`. */
  actor: string;
  action: 'create' | 'update' | 'delete';
  resource: 'teams' | 'consumers' | 'keys' | 'credentials';
  resource_id: string;
  /** The object before and after the change, secrets removed. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface TeamInput {
  name: string;
  limits?: StoredLimits | null;
  budget?: Budget | null;
  metadata?: Metadata;
}

export interface ConsumerInput {
  name: string;
  team_id?: string | null;
  limits?: StoredLimits | null;
  budget?: Budget | null;
  metadata?: Metadata;
  enabled?: boolean;
}

export interface KeyInput {
  consumer_id: string;
  team_id?: string | null;
  name?: string | null;
  models?: string[];
  ips?: string[];
  limits?: StoredLimits | null;
  budget?: Budget | null;
  metadata?: Metadata;
  expires_at?: string | null;
  enabled?: boolean;
}

export type KeyPatch = Partial<Omit<KeyInput, 'consumer_id'>>;

export interface ListOptions {
  limit: number;
  /** Skip this many rows (simple paging). */
  offset?: number;
  /** Continue after this id (stable paging: ids sort by creation time). */
  after?: string;
  /** Filters; each applies only to resources that have the field. */
  consumer_id?: string;
  team_id?: string;
  resource?: string;
  resource_id?: string;
}

export interface Page<T> {
  data: T[];
  /** Pass as `after` for the next page; null on the last page. */
  next_cursor: string | null;
}

/** Everything the identity cache holds, or what changed since a revision. */
export interface IdentityChanges {
  /** The store's revision these changes bring the reader up to. */
  revision: number;
  teams: Team[];
  consumers: Consumer[];
  keys: StoredKey[];
  deleted: Array<{ resource: 'teams' | 'consumers' | 'keys'; id: string }>;
}

/** One request as the usage ledger records it (src/usage/usage-ledger.ts writes them in batches). */
export interface UsageRecord {
  /** Unique per record (the request id a client sends need not be). */
  id: string;
  request_id: string;
  /** When the request arrived, ISO 8601 UTC. */
  at: string;
  /** The consumer's name, the key's id and the team's name, as authentication set them. */
  consumer: string | null;
  /**
   * Who the consumer is (src/identity/consumer-identity.ts): a store consumer's id, or
   * `config:<name>` for one the config names. Consumer-scope usage and budgets read this, never the
   * name. Null for records without a consumer, and for old ones migration 4 could not attribute.
   */
  consumer_id: string | null;
  key_id: string | null;
  team: string | null;
  /**
   * Who the team is (src/identity/team-identity.ts): a store team's id, or `config:<name>` for one
   * the config names. Team-scope usage and budgets read this, never the name. Null for records
   * without a team, and for old ones migration 5 could not attribute.
   */
  team_id: string | null;
  route: string | null;
  variant: string | null;
  provider: string | null;
  operation: string;
  /** The model (or alias) the client named. */
  requested_model: string;
  /** The model the provider served; null when no provider was called. */
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  /** The cost (and tokens) were estimated: the provider reported no usage. */
  cost_estimated: boolean;
  latency_ms: number;
  /** Streams: time from arrival to the provider's first chunk. */
  ttft_ms: number | null;
  status: number;
  error_type: string | null;
  error_code: string | null;
  cache_hit: boolean;
  stream: boolean;
}

/** What a usage report may be grouped and filtered by (`key` is the key id, `model` the served model, `consumer_id` and `team_id` who the consumer and team are: their names may have been another's). */
export const usageDimensions = ['consumer', 'consumer_id', 'key', 'team', 'team_id', 'model', 'requested_model', 'provider', 'route', 'variant', 'status'] as const;
export type UsageDimension = (typeof usageDimensions)[number];
export type UsageInterval = 'hour' | 'day' | 'month';

export interface UsageQuery {
  /** Inclusive start, ISO 8601 UTC. */
  from: string;
  /** Exclusive end, ISO 8601 UTC. */
  to: string;
  groupBy: readonly UsageDimension[];
  /** Adds a time series: one row per group and period. */
  interval?: UsageInterval;
  /** Only records whose dimension has exactly this value. */
  filters?: Partial<Record<UsageDimension, string>>;
}

export interface UsageTotals {
  requests: number;
  /** Requests answered with a status of 400 or more. */
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  /** Requests whose cost was estimated (no usage reported). */
  estimated_requests: number;
  cache_hits: number;
}

/** One row of a report: the group's dimension values (and period), and its totals. */
export type UsageGroup = UsageTotals & { period?: string } & Partial<Record<UsageDimension, string | number | null>>;

export interface UsageReport {
  groups: UsageGroup[];
  totals: UsageTotals;
}

/**
 * A provider credential as stored: ciphertext and the master key's id, never the secret. The
 * credential cache (src/identity/credential-cache.ts) decrypts it; the Admin API never returns it.
 */
export interface StoredProviderCredential {
  provider: string;
  ciphertext: string;
  key_id: string;
  created_at: string;
  updated_at: string;
}

export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
}

export class StoreNotFoundError extends Error {
  override readonly name = 'StoreNotFoundError';
}

/**
 * The store could not be reached or did not answer in time (PostgreSQL down, restarting, failing
 * over, a reset or silent connection): the operation failed as a whole and trying again later is
 * right. A write that failed this way may still have been applied (its answer was lost).
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';

  listTeams(options: ListOptions): Promise<Page<Team>>;
  /** By id, or by name when no id matches. */
  getTeam(idOrName: string): Promise<Team | null>;
  createTeam(input: TeamInput, actor: string): Promise<Team>;
  updateTeam(id: string, patch: Partial<TeamInput>, actor: string): Promise<Team | null>;
  /** Refused (StoreConflictError) while consumers or keys belong to the team. */
  deleteTeam(id: string, actor: string): Promise<boolean>;

  listConsumers(options: ListOptions): Promise<Page<Consumer>>;
  getConsumer(idOrName: string): Promise<Consumer | null>;
  createConsumer(input: ConsumerInput, actor: string): Promise<Consumer>;
  updateConsumer(id: string, patch: Partial<ConsumerInput>, actor: string): Promise<Consumer | null>;
  /** Refused (StoreConflictError) while keys belong to the consumer. */
  deleteConsumer(id: string, actor: string): Promise<boolean>;

  listKeys(options: ListOptions): Promise<Page<VirtualKey>>;
  getKey(id: string): Promise<VirtualKey | null>;
  /** Makes a new random key; `secret` is returned here and never again. */
  createKey(input: KeyInput, actor: string): Promise<{ key: VirtualKey; secret: string }>;
  /** Stores a key whose secret the caller chose (imports, tests); only its hash is kept. */
  importKey(input: KeyInput, secret: string, actor: string): Promise<VirtualKey>;
  updateKey(id: string, patch: KeyPatch, actor: string): Promise<VirtualKey | null>;
  /** Revokes the key: it is deleted, and every node drops it on its next refresh. */
  deleteKey(id: string, actor: string): Promise<boolean>;
  /** Records last use; not a change (no revision, no audit), written in batches. */
  touchKeys(ids: string[], at: string): Promise<void>;

  listAudit(options: ListOptions): Promise<Page<AuditEntry>>;

  /** Every stored provider credential (encrypted); a small table, read whole. */
  listProviderCredentials(): Promise<StoredProviderCredential[]>;
  /** Creates or replaces a provider's credential (already encrypted); audited without the ciphertext. */
  putProviderCredential(provider: string, encrypted: { ciphertext: string; key_id: string }, actor: string): Promise<StoredProviderCredential>;
  /** Removes a provider's stored credential (the config's or environment's applies again). */
  deleteProviderCredential(provider: string, actor: string): Promise<boolean>;

  /** The revision of the last committed identity change (cheap; polled every second). */
  revision(): Promise<number>;
  /** Everything changed after `revision` (0: everything). */
  changesSince(revision: number): Promise<IdentityChanges>;

  /** Appends usage records in one multi-row INSERT in a transaction; a record already stored (same id) is skipped. */
  insertUsage(records: readonly UsageRecord[]): Promise<void>;
  /** Totals grouped by dimensions (and period), over raw records and daily roll-ups. */
  usageReport(query: UsageQuery): Promise<UsageReport>;
  /**
   * Sums records that arrived before `beforeDay` (YYYY-MM-DD, UTC) into daily rows and deletes
   * them; with `aggregate: false` they are only deleted.
   */
  rollUpUsage(beforeDay: string, options?: { aggregate?: boolean }): Promise<{ records: number; days: number }>;

  close(): Promise<void>;
}
