import type { Kysely, Transaction } from 'kysely';
import { generateKeySecret, hashKeySecret, keyDisplayParts } from '../identity/key-secret.ts';
import type { Database, VirtualKeysTable } from './database-schema.ts';
import { newId } from './ids.ts';
import { constrained } from './constraint-errors.ts';
import { SqliteUsageWriter } from './sqlite-usage-writer.ts';
import { insertUsageRecords, rollUpUsage, usageReport } from './usage-queries.ts';
import { auditFromRow, consumerFromRow, json, keyFromRow, nullableJson, storedKeyColumns, storedKeyFromRow, teamFromRow, utcTime } from './rows.ts';
import {
  StoreConflictError,
  type AuditEntry,
  type Budget,
  type Consumer,
  type ConsumerInput,
  type IdentityChanges,
  type KeyInput,
  type KeyPatch,
  type ListOptions,
  type Page,
  type Store,
  type StoredLimits,
  type StoredProviderCredential,
  type Team,
  type TeamInput,
  type UsageQuery,
  type UsageRecord,
  type UsageReport,
  type VirtualKey,
} from './store.ts';

type Resource = Exclude<AuditEntry['resource'], 'credentials'>;
/** The identity tables, which share id/revision/updated_at columns. */
type IdentityTable = 'teams' | 'consumers' | 'virtual_keys';
const tableOf: Record<Resource, IdentityTable> = { teams: 'teams', consumers: 'consumers', keys: 'virtual_keys' };

function now(): string {
  return new Date().toISOString();
}

/** What a change returns when it finds nothing to change (no such row): its transaction is rolled back. */
const unchanged = Symbol('unchanged');
class RollBack extends Error {}

/** The limits and budget columns of a patch (keys, consumers, teams): absent leaves them, null clears them. */
function limitColumns(patch: { limits?: StoredLimits | null; budget?: Budget | null }): { limits: string | null | undefined; budget: string | null | undefined } {
  return { limits: patch.limits === undefined ? undefined : nullableJson(patch.limits), budget: patch.budget === undefined ? undefined : nullableJson(patch.budget) };
}

/** Audit records carry no secrets: the key hash (and anything named like a secret) is dropped. */
function withoutSecrets(value: object | null): Record<string, unknown> | null {
  if (value === null) return null;
  const { key_hash: _hash, ...rest } = value as Record<string, unknown>;
  return rest;
}

/**
 * The one Store implementation: Kysely over node:sqlite or pg. Every identity write bumps the
 * single `identity_revision` counter inside its transaction and stamps the row with it; the row
 * lock on that counter orders concurrent writers, so a reader that sees revision R has every
 * change up to R committed and can fetch exactly what is new (changesSince). The bump comes
 * first, so on PostgreSQL (where several nodes write at once) each write reads only after every
 * earlier one committed: ten concurrent DELETEs of a key delete and audit it once, and a delete's
 * "has it children?" check sees a child created a moment before.
 */
export class KyselyStore implements Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly #db: Kysely<Database>;

  /** Usage batches for a SQLite file go through a worker thread (sqlite-usage-writer.ts); others through Kysely. */
  readonly #usageWriter: SqliteUsageWriter | null;
  /**
   * Reads that may be large (usage reports, the key cache's first load of every key) and the
   * retention's roll-ups: on PostgreSQL, with a longer wait per query than the rest (open-store.ts).
   */
  readonly #longReads: Kysely<Database>;
  readonly #retention: Kysely<Database>;

  constructor(db: Kysely<Database>, kind: 'sqlite' | 'postgres', options: { sqliteFile?: string; longReads?: Kysely<Database>; retention?: Kysely<Database> } = {}) {
    this.#db = db;
    this.kind = kind;
    this.#usageWriter = options.sqliteFile ? new SqliteUsageWriter(options.sqliteFile) : null;
    this.#longReads = options.longReads ?? db;
    this.#retention = options.retention ?? db;
  }

  get db(): Kysely<Database> {
    return this.#db;
  }

  async #nextRevision(transaction: Transaction<Database>): Promise<number> {
    const row = await transaction
      .updateTable('identity_revision')
      .set((builder) => ({ revision: builder('revision', '+', 1) }))
      .where('id', '=', 1)
      .returning('revision')
      .executeTakeFirstOrThrow();
    return Number(row.revision);
  }

  async #audit(transaction: Transaction<Database>, entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
    await transaction
      .insertInto('audit_log')
      .values({
        id: newId('aud'),
        at: now(),
        actor: entry.actor,
        action: entry.action,
        resource: entry.resource,
        resource_id: entry.resource_id,
        before: nullableJson(withoutSecrets(entry.before)),
        after: nullableJson(withoutSecrets(entry.after)),
      })
      .execute();
  }

  /** Pages through a table ordered by id (ids sort by creation time). */
  async #page<Row, T>(table: keyof Database, options: ListOptions, map: (row: Row) => T, filters: string[], descending = false): Promise<Page<T>> {
    // The table name is a parameter here, which Kysely's types cannot follow; rows are mapped by `map`.
    const db = this.#db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    let query = db.selectFrom(table).selectAll();
    for (const field of filters) {
      const value = options[field as keyof ListOptions];
      if (value !== undefined) query = query.where(field, '=', value);
    }
    if (options.after !== undefined) query = query.where('id', descending ? '<' : '>', options.after);
    query = query.orderBy('id', descending ? 'desc' : 'asc').limit(options.limit + 1);
    if (options.offset) query = query.offset(options.offset);
    const rows = (await query.execute()) as Row[];
    const more = rows.length > options.limit;
    const data = rows.slice(0, options.limit).map(map);
    return { data, next_cursor: more ? (data[data.length - 1] as { id: string }).id : null };
  }

  /** One write, in a transaction that takes the next revision before anything else (see the class comment). */
  #write<T>(work: (transaction: Transaction<Database>, revision: number) => Promise<T>): Promise<T> {
    return this.#db.transaction().execute(async (transaction) => work(transaction, await this.#nextRevision(transaction)));
  }

  /** A write that may find nothing to do: it returns `unchanged`, its transaction is rolled back, and this gives null. */
  async #change<T>(work: (transaction: Transaction<Database>, revision: number) => Promise<T | typeof unchanged>): Promise<T | null> {
    try {
      return await this.#write(async (transaction, revision) => {
        const result = await work(transaction, revision);
        if (result === unchanged) throw new RollBack();
        return result as T;
      });
    } catch (error) {
      if (error instanceof RollBack) return null;
      throw error;
    }
  }

  /** Applies a change to one identity row: before/after, revision, audit, all in one transaction. */
  #update<Row, T extends object>(resource: Resource, id: string, patch: Record<string, unknown>, map: (row: Row) => T, actor: string): Promise<T | null> {
    const table = tableOf[resource];
    return this.#change(async (transaction, revision) => {
      const loose = transaction as unknown as Transaction<Record<string, Record<string, unknown>>>;
      const beforeRow = await loose.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
      if (!beforeRow) return unchanged;
      const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      const messages = { duplicate: `another ${resource.slice(0, -1)} with this name already exists`, reference: 'the team it names was deleted meanwhile' };
      await constrained(messages, () => loose.updateTable(table).set({ ...changes, updated_at: now(), revision }).where('id', '=', id).execute());
      const afterRow = await loose.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const after = map(afterRow as Row);
      await this.#audit(transaction, { actor, action: 'update', resource, resource_id: id, before: map(beforeRow as Row) as Record<string, unknown>, after: after as Record<string, unknown> });
      return after;
    });
  }

  /** Deletes one identity row unless `refuseWhile` gives a reason (StoreConflictError); false when there is no such row. */
  async #delete<Row, T extends object>(resource: Resource, id: string, map: (row: Row) => T, actor: string, refuseWhile?: (transaction: Transaction<Database>) => Promise<string | null>): Promise<boolean> {
    const table = tableOf[resource];
    const deleted = await this.#change(async (transaction, revision) => {
      const loose = transaction as unknown as Transaction<Record<string, Record<string, unknown>>>;
      const beforeRow = await loose.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
      if (!beforeRow) return unchanged;
      const reason = await refuseWhile?.(transaction);
      if (reason) throw new StoreConflictError(reason);
      // The check above sees every committed child (see #change); the foreign keys catch what it cannot.
      await constrained({ reference: `the ${resource.slice(0, -1)} is still referred to` }, () => loose.deleteFrom(table).where('id', '=', id).execute());
      await transaction.insertInto('deletions').values({ revision, resource, id }).execute();
      await this.#audit(transaction, { actor, action: 'delete', resource, resource_id: id, before: map(beforeRow as Row) as Record<string, unknown>, after: null });
      return true;
    });
    return deleted ?? false;
  }

  // Teams

  listTeams(options: ListOptions): Promise<Page<Team>> {
    return this.#page('teams', options, teamFromRow, []);
  }

  async getTeam(idOrName: string): Promise<Team | null> {
    const row = await this.#db.selectFrom('teams').selectAll().where((builder) => builder.or([builder('id', '=', idOrName), builder('name', '=', idOrName)])).orderBy('id').executeTakeFirst();
    return row ? teamFromRow(row) : null;
  }

  createTeam(input: TeamInput, actor: string): Promise<Team> {
    return this.#write(async (transaction, revision) => {
      const at = now();
      const row = { id: newId('team'), name: input.name, limits: nullableJson(input.limits), budget: nullableJson(input.budget), metadata: json(input.metadata ?? {}), created_at: at, updated_at: at, revision };
      await constrained({ duplicate: `a team named ${JSON.stringify(input.name)} already exists` }, () => transaction.insertInto('teams').values(row).execute());
      const team = teamFromRow(row);
      await this.#audit(transaction, { actor, action: 'create', resource: 'teams', resource_id: team.id, before: null, after: { ...team } });
      return team;
    });
  }

  updateTeam(id: string, patch: Partial<TeamInput>, actor: string): Promise<Team | null> {
    return this.#update('teams', id, { name: patch.name, ...limitColumns(patch), metadata: patch.metadata === undefined ? undefined : json(patch.metadata) }, teamFromRow, actor);
  }

  deleteTeam(id: string, actor: string): Promise<boolean> {
    return this.#delete('teams', id, teamFromRow, actor, async (transaction) => {
      const consumer = await transaction.selectFrom('consumers').select('id').where('team_id', '=', id).executeTakeFirst();
      const key = await transaction.selectFrom('virtual_keys').select('id').where('team_id', '=', id).executeTakeFirst();
      return consumer || key ? 'the team still has consumers or keys; move or delete them first' : null;
    });
  }

  // Consumers

  listConsumers(options: ListOptions): Promise<Page<Consumer>> {
    return this.#page('consumers', options, consumerFromRow, ['team_id']);
  }

  async getConsumer(idOrName: string): Promise<Consumer | null> {
    const row = await this.#db.selectFrom('consumers').selectAll().where((builder) => builder.or([builder('id', '=', idOrName), builder('name', '=', idOrName)])).orderBy('id').executeTakeFirst();
    return row ? consumerFromRow(row) : null;
  }

  createConsumer(input: ConsumerInput, actor: string): Promise<Consumer> {
    return this.#write(async (transaction, revision) => {
      const at = now();
      const row = {
        id: newId('con'),
        name: input.name,
        team_id: input.team_id ?? null,
        limits: nullableJson(input.limits),
        budget: nullableJson(input.budget),
        metadata: json(input.metadata ?? {}),
        enabled: input.enabled === false ? 0 : 1,
        created_at: at,
        updated_at: at,
        revision,
      };
      const messages = { duplicate: `a consumer named ${JSON.stringify(input.name)} already exists`, reference: 'its team was deleted meanwhile' };
      await constrained(messages, () => transaction.insertInto('consumers').values(row).execute());
      const consumer = consumerFromRow(row);
      await this.#audit(transaction, { actor, action: 'create', resource: 'consumers', resource_id: consumer.id, before: null, after: { ...consumer } });
      return consumer;
    });
  }

  updateConsumer(id: string, patch: Partial<ConsumerInput>, actor: string): Promise<Consumer | null> {
    return this.#update(
      'consumers',
      id,
      { name: patch.name, team_id: patch.team_id, ...limitColumns(patch), metadata: patch.metadata === undefined ? undefined : json(patch.metadata), enabled: patch.enabled === undefined ? undefined : patch.enabled ? 1 : 0 },
      consumerFromRow,
      actor,
    );
  }

  deleteConsumer(id: string, actor: string): Promise<boolean> {
    return this.#delete('consumers', id, consumerFromRow, actor, async (transaction) => {
      const key = await transaction.selectFrom('virtual_keys').select('id').where('consumer_id', '=', id).executeTakeFirst();
      return key ? 'the consumer still has keys; revoke them first' : null;
    });
  }

  // Keys

  listKeys(options: ListOptions): Promise<Page<VirtualKey>> {
    return this.#page('virtual_keys', options, keyFromRow, ['consumer_id', 'team_id']);
  }

  async getKey(id: string): Promise<VirtualKey | null> {
    const row = await this.#db.selectFrom('virtual_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? keyFromRow(row) : null;
  }

  async createKey(input: KeyInput, actor: string): Promise<{ key: VirtualKey; secret: string }> {
    const secret = generateKeySecret();
    return { key: await this.importKey(input, secret, actor), secret };
  }

  importKey(input: KeyInput, secret: string, actor: string): Promise<VirtualKey> {
    return this.#write(async (transaction, revision) => {
      const at = now();
      const display = keyDisplayParts(secret);
      const row: VirtualKeysTable = {
        id: newId('key'),
        key_hash: hashKeySecret(secret),
        key_prefix: display.prefix,
        key_last4: display.last4,
        name: input.name ?? null,
        consumer_id: input.consumer_id,
        team_id: input.team_id ?? null,
        models: json(input.models ?? []),
        ips: json(input.ips ?? []),
        limits: nullableJson(input.limits),
        budget: nullableJson(input.budget),
        metadata: json(input.metadata ?? {}),
        expires_at: utcTime(input.expires_at ?? null),
        enabled: input.enabled === false ? 0 : 1,
        created_at: at,
        updated_at: at,
        last_used_at: null,
        revision,
      };
      await constrained({ duplicate: 'this key already exists', reference: 'its consumer or team was deleted meanwhile' }, () => transaction.insertInto('virtual_keys').values(row).execute());
      const key = keyFromRow(row);
      await this.#audit(transaction, { actor, action: 'create', resource: 'keys', resource_id: key.id, before: null, after: { ...key } });
      return key;
    });
  }

  updateKey(id: string, patch: KeyPatch, actor: string): Promise<VirtualKey | null> {
    return this.#update(
      'keys',
      id,
      {
        name: patch.name,
        team_id: patch.team_id,
        models: patch.models === undefined ? undefined : json(patch.models),
        ips: patch.ips === undefined ? undefined : json(patch.ips),
        ...limitColumns(patch),
        metadata: patch.metadata === undefined ? undefined : json(patch.metadata),
        expires_at: utcTime(patch.expires_at),
        enabled: patch.enabled === undefined ? undefined : patch.enabled ? 1 : 0,
      },
      keyFromRow,
      actor,
    );
  }

  deleteKey(id: string, actor: string): Promise<boolean> {
    return this.#delete('keys', id, keyFromRow, actor);
  }

  async touchKeys(ids: string[], at: string): Promise<void> {
    for (let start = 0; start < ids.length; start += 500) {
      await this.#db.updateTable('virtual_keys').set({ last_used_at: at }).where('id', 'in', ids.slice(start, start + 500)).execute();
    }
  }

  // Audit

  listAudit(options: ListOptions): Promise<Page<AuditEntry>> {
    return this.#page('audit_log', options, auditFromRow, ['resource', 'resource_id'], true);
  }

  // Provider credentials (ciphertext only; see src/identity/credential-cipher.ts)

  async listProviderCredentials(): Promise<StoredProviderCredential[]> {
    const rows = await this.#db.selectFrom('provider_credentials').select(['provider', 'ciphertext', 'key_id', 'created_at', 'updated_at']).orderBy('provider').execute();
    return rows;
  }

  putProviderCredential(provider: string, encrypted: { ciphertext: string; key_id: string }, actor: string): Promise<StoredProviderCredential> {
    // The identity revision is bumped so every node's credential cache reloads on its next poll.
    return this.#write(async (transaction, revision) => {
      const before = await transaction.selectFrom('provider_credentials').select(['provider', 'key_id', 'created_at', 'updated_at']).where('provider', '=', provider).executeTakeFirst();
      const at = now();
      const row = { provider, ciphertext: encrypted.ciphertext, key_id: encrypted.key_id, created_at: before?.created_at ?? at, updated_at: at, revision };
      if (before) await transaction.updateTable('provider_credentials').set({ ciphertext: row.ciphertext, key_id: row.key_id, updated_at: at, revision }).where('provider', '=', provider).execute();
      else await transaction.insertInto('provider_credentials').values(row).execute();
      // The audit entry says that a credential was set, when and under which master key: never the value.
      const view = (fields: { key_id: string; created_at: string; updated_at: string }) => ({ provider, has_credential: true, key_id: fields.key_id, created_at: fields.created_at, updated_at: fields.updated_at });
      await this.#audit(transaction, { actor, action: before ? 'update' : 'create', resource: 'credentials', resource_id: provider, before: before ? view(before) : null, after: view(row) });
      return { provider, ciphertext: row.ciphertext, key_id: row.key_id, created_at: row.created_at, updated_at: row.updated_at };
    });
  }

  async deleteProviderCredential(provider: string, actor: string): Promise<boolean> {
    const deleted = await this.#change(async (transaction) => {
      const before = await transaction.selectFrom('provider_credentials').select(['key_id', 'created_at', 'updated_at']).where('provider', '=', provider).executeTakeFirst();
      if (!before) return unchanged;
      await transaction.deleteFrom('provider_credentials').where('provider', '=', provider).execute();
      await this.#audit(transaction, { actor, action: 'delete', resource: 'credentials', resource_id: provider, before: { provider, has_credential: true, ...before }, after: null });
      return true;
    });
    return deleted ?? false;
  }

  // Change feed for the identity cache

  async revision(): Promise<number> {
    const row = await this.#db.selectFrom('identity_revision').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
    return Number(row.revision);
  }

  async changesSince(revision: number): Promise<IdentityChanges> {
    // Read the counter first: everything up to it is committed (see the class comment); rows
    // newer than it may come along too, which is harmless because applying a change is idempotent.
    const current = await this.revision();
    if (current <= revision) return { revision, teams: [], consumers: [], keys: [], deleted: [] };
    // The first load reads every key (100,000 in under a second; millions would take longer).
    const db = revision === 0 ? this.#longReads : this.#db;
    const [teams, consumers, keys, deleted] = await Promise.all([
      db.selectFrom('teams').selectAll().where('revision', '>', revision).execute(),
      db.selectFrom('consumers').selectAll().where('revision', '>', revision).execute(),
      db.selectFrom('virtual_keys').select(storedKeyColumns).where('revision', '>', revision).execute(),
      revision === 0 ? Promise.resolve([]) : db.selectFrom('deletions').select(['resource', 'id']).where('revision', '>', revision).orderBy('revision').execute(),
    ]);
    return {
      revision: current,
      teams: teams.map(teamFromRow),
      consumers: consumers.map(consumerFromRow),
      keys: keys.map(storedKeyFromRow),
      deleted: deleted.map((row) => ({ resource: row.resource as Resource, id: row.id })),
    };
  }

  // Usage ledger (usage-queries.ts)

  insertUsage(records: readonly UsageRecord[]): Promise<void> {
    return this.#usageWriter ? this.#usageWriter.insert(records) : insertUsageRecords(this.#db, records);
  }

  usageReport(query: UsageQuery): Promise<UsageReport> {
    return usageReport(this.#longReads, query);
  }

  rollUpUsage(beforeDay: string, options: { aggregate?: boolean } = {}): Promise<{ records: number; days: number }> {
    return rollUpUsage(this.#retention, this.kind, beforeDay, options.aggregate !== false);
  }

  /** Closes the connections; on PostgreSQL a query still waiting after half a second is cut (postgres-connections.ts). */
  async close(): Promise<void> {
    await this.#usageWriter?.close();
    // The three share one set of connections (PostgreSQL) or are the same instance (SQLite): each destroy ends it once.
    await Promise.all([...new Set([this.#db, this.#longReads, this.#retention])].map((db) => db.destroy()));
  }
}
