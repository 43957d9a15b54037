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

/** How long a connection to a PostgreSQL store waits for the server when the URL does not say. */
export const defaultConnectTimeoutSeconds = 10;

/**
 * How many seconds a connection to a PostgreSQL store waits for the server to accept it and answer
 * its start-up (authentication included): the URL's `connect_timeout`, the libpq parameter
 * (`postgres://...?connect_timeout=30`), else 10; null (`connect_timeout=0`) waits without limit, as
 * libpq does. Without one, a server that accepts the TCP connection and never answers (blackholed,
 * wedged) held the gateway's start for ever. Null for SQLite.
 */
export function connectTimeoutSeconds(location: StorageLocation): number | null {
  if (location.kind !== 'postgres') return null;
  const given = new URL(location.target).searchParams.get('connect_timeout');
  if (given === null || given.trim() === '') return defaultConnectTimeoutSeconds;
  const seconds = Number(given);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`storage: connect_timeout is a number of seconds (0: no limit), got ${JSON.stringify(given)}`);
  return seconds === 0 ? null : seconds;
}

/** pg's error when a connection was not answered within connectionTimeoutMillis (pg-pool's wording, and pg's own). */
const connectTimedOut = /connection timeout|timeout exceeded when trying to connect|timeout expired/i;

async function openPostgres(url: string, timeoutSeconds: number | null): Promise<Kysely<Database>> {
  // Loaded only when used: a SQLite deployment (and every CLI start) skips pg's import time.
  const { default: pg } = await import('pg');
  // The limit holds for every connection the pool opens, not only the first: a later reconnect to a
  // wedged server fails (and its caller retries) instead of waiting for ever.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: timeoutSeconds === null ? 0 : Math.ceil(timeoutSeconds * 1000) });
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
 * SchemaTooNewError when a newer Tollgate has migrated it, and a plain Error when unreachable or
 * (PostgreSQL) not answering within connectTimeoutSeconds.
 */
export async function openStore(storage: string): Promise<OpenedStore> {
  const location = parseStorage(storage);
  const where = describeStorage(location);
  const timeoutSeconds = connectTimeoutSeconds(location);
  const db = location.kind === 'sqlite' ? openSqlite(location.target) : await openPostgres(location.target, timeoutSeconds);
  try {
    const migration = await runMigrations(db, location.kind, where);
    // A SQLite file's usage batches are written by a worker thread on its own connection (not possible for :memory:).
    const sqliteFile = location.kind === 'sqlite' && location.target !== ':memory:' ? resolve(location.target) : undefined;
    return { store: new KyselyStore(db, location.kind, { sqliteFile }), migration, where };
  } catch (error) {
    await db.destroy().catch(() => {});
    if (error instanceof SchemaTooNewError) throw error;
    if (timeoutSeconds !== null && connectTimedOut.test((error as Error).message)) {
      throw new Error(`cannot open the store at ${where}: PostgreSQL did not answer within ${timeoutSeconds} s (connect_timeout; a longer wait: ?connect_timeout=SECONDS in storage:)`, { cause: error });
    }
    throw new Error(`cannot open the store at ${where}: ${(error as Error).message}`, { cause: error });
  }
}
