import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, PostgresDialect } from 'kysely';
import { storageProblem } from '../config/connection-urls.ts';
import type { Database } from './database-schema.ts';
import { KyselyStore } from './kysely-store.ts';
import { runMigrations, SchemaTooNewError, type MigrationResult } from './migrations.ts';
import { nodeSqliteDialect } from './node-sqlite-dialect.ts';

export interface StorageLocation {
  kind: 'sqlite' | 'postgres';
  /** A file path or `:memory:` for SQLite; the connection URL for PostgreSQL. */
  target: string;
}

/** Reads the `storage:` line: `sqlite:PATH`, `sqlite::memory:`, or `postgres://...`. */
export function parseStorage(storage: string): StorageLocation {
  // The same rule as the config schema, so `config validate` refuses what this refuses.
  const problem = storageProblem(storage);
  if (problem !== null) throw new Error(`storage: ${problem}`);
  if (storage.startsWith('sqlite:')) return { kind: 'sqlite', target: storage.slice('sqlite:'.length) };
  return { kind: 'postgres', target: storage };
}

/** Where the store is, for messages: never the password of a PostgreSQL URL. */
export function describeStorage(location: StorageLocation): string {
  if (location.kind === 'sqlite') return location.target === ':memory:' ? 'sqlite::memory:' : `sqlite:${resolve(location.target)}`;
  const url = new URL(location.target);
  if (url.password) url.password = '***';
  return url.toString();
}

function openSqlite(target: string): Kysely<Database> {
  if (target !== ':memory:') mkdirSync(dirname(resolve(target)), { recursive: true });
  const database = new DatabaseSync(target);
  // WAL lets readers (another process, the CLI) work while the gateway writes; NORMAL sync is
  // safe with WAL; the busy timeout makes a second process wait for the write lock, not fail.
  database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  return new Kysely<Database>({ dialect: nodeSqliteDialect(database) });
}

async function openPostgres(url: string): Promise<Kysely<Database>> {
  // Loaded only when used: a SQLite deployment (and every CLI start) skips pg's import time.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error (e.g. the server restarted) must not crash the process.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export interface OpenedStore {
  store: KyselyStore;
  migration: MigrationResult;
  where: string;
}

/**
 * Opens the store named by `storage:` and migrates it to the latest schema. Throws
 * SchemaTooNewError when a newer Tollgate has migrated it, and a plain Error when unreachable.
 */
export async function openStore(storage: string): Promise<OpenedStore> {
  const location = parseStorage(storage);
  const where = describeStorage(location);
  const db = location.kind === 'sqlite' ? openSqlite(location.target) : await openPostgres(location.target);
  try {
    const migration = await runMigrations(db, location.kind, where);
    // A SQLite file's usage batches are written by a worker thread on its own connection (not possible for :memory:).
    const sqliteFile = location.kind === 'sqlite' && location.target !== ':memory:' ? resolve(location.target) : undefined;
    return { store: new KyselyStore(db, location.kind, { sqliteFile }), migration, where };
  } catch (error) {
    await db.destroy().catch(() => {});
    if (error instanceof SchemaTooNewError) throw error;
    throw new Error(`cannot open the store at ${where}: ${(error as Error).message}`, { cause: error });
  }
}
