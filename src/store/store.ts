/**
 * The store interface: everything the control plane persists, behind one interface that the
 * SQLite and PostgreSQL backends both implement (one Kysely code path, see kysely-store.ts).
 * Writes take the actor and record an audit entry in the same transaction as the change.
 */

export type Metadata = Record<string, string>;

export interface Team {
  id: string;
  name: string;
  metadata: Metadata;
  created_at: string;
  updated_at: string;
}

export interface Consumer {
  id: string;
  name: string;
  team_id: string | null;
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
  limits: Record<string, unknown> | unknown[] | null;
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
  /** Who made the change, e.g. `admin-token:3f9a1c2b` or `cli`. */
  actor: string;
  action: 'create' | 'update' | 'delete';
  resource: 'teams' | 'consumers' | 'keys';
  resource_id: string;
  /** The object before and after the change, secrets removed. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface TeamInput {
  name: string;
  metadata?: Metadata;
}

export interface ConsumerInput {
  name: string;
  team_id?: string | null;
  metadata?: Metadata;
  enabled?: boolean;
}

export interface KeyInput {
  consumer_id: string;
  team_id?: string | null;
  name?: string | null;
  models?: string[];
  ips?: string[];
  limits?: Record<string, unknown> | unknown[] | null;
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

export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
}

export class StoreNotFoundError extends Error {
  override readonly name = 'StoreNotFoundError';
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

  /** The revision of the last committed identity change (cheap; polled every second). */
  revision(): Promise<number>;
  /** Everything changed after `revision` (0: everything). */
  changesSince(revision: number): Promise<IdentityChanges>;

  close(): Promise<void>;
}
