import { sql, type Kysely, type Transaction } from 'kysely';
import { backfillConsumerIds } from './consumer-id-backfill.ts';
import { backfillTeamIds } from './team-id-backfill.ts';
import type { Database } from './database-schema.ts';

/**
 * One ordered list of migrations for both backends, written with Kysely's schema builder so the
 * same code makes the same tables on SQLite and PostgreSQL. Never edit a released migration:
 * add the next version.
 */
interface Migration {
  version: number;
  name: string;
  up(db: Transaction<Database>): Promise<void>;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'identity: teams, consumers, virtual keys, audit log',
    async up(db) {
      await db.schema.createTable('identity_revision').addColumn('id', 'integer', (column) => column.primaryKey()).addColumn('revision', 'integer', (column) => column.notNull()).execute();
      await db.insertInto('identity_revision').values({ id: 1, revision: 0 }).execute();

      await db.schema
        .createTable('teams')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull().unique())
        .addColumn('metadata', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addColumn('revision', 'integer', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('teams_revision').on('teams').column('revision').execute();

      await db.schema
        .createTable('consumers')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull().unique())
        .addColumn('team_id', 'text', (column) => column.references('teams.id'))
        .addColumn('metadata', 'text', (column) => column.notNull())
        .addColumn('enabled', 'integer', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addColumn('revision', 'integer', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('consumers_revision').on('consumers').column('revision').execute();
      await db.schema.createIndex('consumers_team').on('consumers').column('team_id').execute();

      await db.schema
        .createTable('virtual_keys')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('key_hash', 'text', (column) => column.notNull().unique())
        .addColumn('key_prefix', 'text', (column) => column.notNull())
        .addColumn('key_last4', 'text', (column) => column.notNull())
        .addColumn('name', 'text')
        .addColumn('consumer_id', 'text', (column) => column.notNull().references('consumers.id'))
        .addColumn('team_id', 'text', (column) => column.references('teams.id'))
        .addColumn('models', 'text', (column) => column.notNull())
        .addColumn('ips', 'text', (column) => column.notNull())
        .addColumn('limits', 'text')
        .addColumn('budget', 'text')
        .addColumn('metadata', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('enabled', 'integer', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revision', 'integer', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('virtual_keys_revision').on('virtual_keys').column('revision').execute();
      await db.schema.createIndex('virtual_keys_consumer').on('virtual_keys').column('consumer_id').execute();
      await db.schema.createIndex('virtual_keys_team').on('virtual_keys').column('team_id').execute();

      // Tombstones, so another node's refresh learns about deletions (revocations) too.
      await db.schema
        .createTable('deletions')
        .addColumn('revision', 'integer', (column) => column.notNull())
        .addColumn('resource', 'text', (column) => column.notNull())
        .addColumn('id', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('deletions_revision').on('deletions').column('revision').execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('at', 'text', (column) => column.notNull())
        .addColumn('actor', 'text', (column) => column.notNull())
        .addColumn('action', 'text', (column) => column.notNull())
        .addColumn('resource', 'text', (column) => column.notNull())
        .addColumn('resource_id', 'text', (column) => column.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .execute();
      await db.schema.createIndex('audit_log_resource').on('audit_log').columns(['resource', 'resource_id']).execute();
    },
  },
  {
    version: 2,
    name: 'usage ledger: usage_records, usage_daily',
    async up(db) {
      // Costs are double precision (PostgreSQL's `real` is single precision: cents would drift).
      await db.schema
        .createTable('usage_records')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('request_id', 'text', (column) => column.notNull())
        .addColumn('at', 'text', (column) => column.notNull())
        .addColumn('consumer', 'text')
        .addColumn('key_id', 'text')
        .addColumn('team', 'text')
        .addColumn('route', 'text')
        .addColumn('variant', 'text')
        .addColumn('provider', 'text')
        .addColumn('operation', 'text', (column) => column.notNull())
        .addColumn('requested_model', 'text', (column) => column.notNull())
        .addColumn('model', 'text')
        .addColumn('input_tokens', 'integer', (column) => column.notNull())
        .addColumn('output_tokens', 'integer', (column) => column.notNull())
        .addColumn('cached_tokens', 'integer', (column) => column.notNull())
        .addColumn('reasoning_tokens', 'integer', (column) => column.notNull())
        .addColumn('cost_usd', 'double precision', (column) => column.notNull())
        .addColumn('cost_estimated', 'integer', (column) => column.notNull())
        .addColumn('latency_ms', 'double precision', (column) => column.notNull())
        .addColumn('ttft_ms', 'double precision')
        .addColumn('status', 'integer', (column) => column.notNull())
        .addColumn('error_type', 'text')
        .addColumn('error_code', 'text')
        .addColumn('cache_hit', 'integer', (column) => column.notNull())
        .addColumn('stream', 'integer', (column) => column.notNull())
        .execute();
      // Reports filter by a time range, alone or with the owner (own-usage endpoint, per-key and
      // per-team reports) or the model; other group-by columns are read from the time-range scan.
      await db.schema.createIndex('usage_records_at').on('usage_records').column('at').execute();
      await db.schema.createIndex('usage_records_key_at').on('usage_records').columns(['key_id', 'at']).execute();
      await db.schema.createIndex('usage_records_consumer_at').on('usage_records').columns(['consumer', 'at']).execute();
      await db.schema.createIndex('usage_records_team_at').on('usage_records').columns(['team', 'at']).execute();
      await db.schema.createIndex('usage_records_model_at').on('usage_records').columns(['model', 'at']).execute();

      // Sums can pass 2^31 tokens a day: bigint (PostgreSQL returns it as text; read with Number).
      await db.schema
        .createTable('usage_daily')
        .addColumn('day', 'text', (column) => column.notNull())
        .addColumn('consumer', 'text')
        .addColumn('key_id', 'text')
        .addColumn('team', 'text')
        .addColumn('route', 'text')
        .addColumn('variant', 'text')
        .addColumn('provider', 'text')
        .addColumn('requested_model', 'text', (column) => column.notNull())
        .addColumn('model', 'text')
        .addColumn('status', 'integer', (column) => column.notNull())
        .addColumn('requests', 'bigint', (column) => column.notNull())
        .addColumn('input_tokens', 'bigint', (column) => column.notNull())
        .addColumn('output_tokens', 'bigint', (column) => column.notNull())
        .addColumn('cached_tokens', 'bigint', (column) => column.notNull())
        .addColumn('reasoning_tokens', 'bigint', (column) => column.notNull())
        .addColumn('cost_usd', 'double precision', (column) => column.notNull())
        .addColumn('estimated_requests', 'bigint', (column) => column.notNull())
        .addColumn('cache_hits', 'bigint', (column) => column.notNull())
        .addColumn('latency_ms_sum', 'double precision', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('usage_daily_day').on('usage_daily').column('day').execute();
      await db.schema.createIndex('usage_daily_key_day').on('usage_daily').columns(['key_id', 'day']).execute();
      await db.schema.createIndex('usage_daily_consumer_day').on('usage_daily').columns(['consumer', 'day']).execute();
    },
  },
  {
    version: 3,
    name: 'provider credentials (encrypted at rest)',
    async up(db) {
      // One row per provider: the credential as AES-256-GCM ciphertext (src/identity/credential-cipher.ts)
      // and the id of the master key it needs. Stamped with the identity revision so every node's
      // credential cache notices a change on its next poll.
      await db.schema
        .createTable('provider_credentials')
        .addColumn('provider', 'text', (column) => column.primaryKey())
        .addColumn('ciphertext', 'text', (column) => column.notNull())
        .addColumn('key_id', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addColumn('revision', 'integer', (column) => column.notNull())
        .execute();
    },
  },
  {
    version: 4,
    name: 'usage ledger: the consumer id beside its name',
    async up(db) {
      // Consumer-scope usage and budgets read who the consumer is, not its name: a consumer created
      // with a deleted one's name (or a declared key's consumer's) saw and inherited their usage.
      // Older records keep their name and get the id the database can tell (consumer-id-backfill.ts).
      await db.schema.alterTable('usage_records').addColumn('consumer_id', 'text').execute();
      await db.schema.alterTable('usage_daily').addColumn('consumer_id', 'text').execute();
      await backfillConsumerIds(db);
      await db.schema.createIndex('usage_records_consumer_id_at').on('usage_records').columns(['consumer_id', 'at']).execute();
      await db.schema.createIndex('usage_daily_consumer_id_day').on('usage_daily').columns(['consumer_id', 'day']).execute();
    },
  },
  {
    version: 5,
    name: 'usage ledger: the team id beside its name',
    async up(db) {
      // Team-scope usage and budgets read who the team is, not its name: a team created with a
      // deleted one's name (or a declared key's team's) inherited their usage and spend. Older
      // records keep their name and get the id the database can tell (team-id-backfill.ts).
      await db.schema.alterTable('usage_records').addColumn('team_id', 'text').execute();
      await db.schema.alterTable('usage_daily').addColumn('team_id', 'text').execute();
      await backfillTeamIds(db);
      await db.schema.createIndex('usage_records_team_id_at').on('usage_records').columns(['team_id', 'at']).execute();
      await db.schema.createIndex('usage_daily_team_id_day').on('usage_daily').columns(['team_id', 'day']).execute();
    },
  },
  {
    version: 6,
    name: 'identity: limits and budgets on consumers and teams',
    async up(db) {
      // The same two JSON columns keys have: a consumer's or team's limits apply to every request
      // of every key of theirs (src/identity/stored-caller-limits.ts). Null: none. One column per
      // statement (SQLite's ALTER TABLE adds one at a time).
      for (const table of ['consumers', 'teams'] as const) {
        await db.schema.alterTable(table).addColumn('limits', 'text').execute();
        await db.schema.alterTable(table).addColumn('budget', 'text').execute();
      }
    },
  },
];

export const latestSchemaVersion = migrations[migrations.length - 1].version;

/** The database was migrated by a newer Tollgate; running older code on it could corrupt it. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  constructor(databaseVersion: number, codeVersion: number, where: string) {
    super(
      `The database at ${where} has schema version ${databaseVersion}, but this Tollgate only knows versions up to ${codeVersion}. ` +
        'It was migrated by a newer Tollgate: run that version (or newer), or point `storage:` at another database. Refusing to start.',
    );
  }
}

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/**
 * Brings the database up to the latest version in one transaction (all or nothing), and is a
 * no-op when it is already there. On PostgreSQL an advisory lock makes nodes that start together
 * take turns; on SQLite the write transaction does the same.
 */
export async function runMigrations(db: Kysely<Database>, kind: 'sqlite' | 'postgres', where: string): Promise<MigrationResult> {
  return db.transaction().execute(async (transaction) => {
    if (kind === 'postgres') await sql`select pg_advisory_xact_lock(7416)`.execute(transaction);
    await transaction.schema
      .createTable('tollgate_schema')
      .ifNotExists()
      .addColumn('version', 'integer', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('applied_at', 'text', (column) => column.notNull())
      .execute();
    const row = await transaction.selectFrom('tollgate_schema').select((builder) => builder.fn.max('version').as('version')).executeTakeFirst();
    const current = Number(row?.version ?? 0);
    if (current > latestSchemaVersion) throw new SchemaTooNewError(current, latestSchemaVersion, where);
    const applied: string[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await migration.up(transaction);
      await transaction.insertInto('tollgate_schema').values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() }).execute();
      applied.push(`${migration.version}: ${migration.name}`);
    }
    return { from: current, to: Math.max(current, latestSchemaVersion), applied };
  });
}
