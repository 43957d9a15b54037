import { closeSync, constants, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, PostgresDialect } from 'kysely';
import { storageProblem } from '../config/connection-urls.ts';
import type { Database } from './database-schema.ts';
import type { Logger } from 'pino';
import { KyselyStore } from './kysely-store.ts';
import { runMigrations, SchemaTooNewError, type MigrationResult } from './migrations.ts';
import { nodeSqliteDialect } from './node-sqlite-dialect.ts';
import { PostgresConnections } from './postgres-connections.ts';
import { StoreUnavailableError } from './store.ts';

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

/**
 * Creates a missing SQLite file empty (a valid new database) with mode 0600, and the folders
 * leading to it 0700, before SQLite opens it: the file holds key hashes, usage, the audit log and
 * encrypted provider credentials, and SQLite would create it 0644 less the umask. Its -wal and
 * -shm files take the database file's mode. An existing file or folder is left as its operator set it.
 */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600));
  } catch (error) {
    // Another process (a second node, the CLI) created it meanwhile: it is theirs to have set.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function openSqlite(target: string): Kysely<Database> {
  if (target !== ':memory:') createPrivateFile(resolve(target));
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

/** How long a query on a PostgreSQL store waits for its answer when the URL does not say (ms). */
export const defaultQueryTimeoutMs = 10_000;

/** Usage reports (Admin API, CLI) may read much of the ledger, the key cache's first load every key: they wait at least this long (ms). */
const longReadTimeoutMs = 120_000;

/** Retention rolls up a whole day of records in one transaction: it waits at least this long (ms). */
const retentionTimeoutMs = 600_000;

/**
 * How long one query on a PostgreSQL store waits for its answer (ms): the URL's `query_timeout`
 * (pg's own parameter, in milliseconds: `postgres://...?query_timeout=30000`), else 10,000; null
 * (`query_timeout=0`) waits without limit. A query past it fails, its connection is closed, and its
 * caller retries (the usage ledger, the key cache's poll) or answers 503 (the Admin API). Without
 * one, a connection that went silent (the server's host gone, a network partition) held its query
 * for ever: the ledger and the key cache stopped for good. Migrations are not limited (they may
 * wait for another node's). Null for SQLite.
 */
export function queryTimeoutMs(location: StorageLocation): number | null {
  if (location.kind !== 'postgres') return null;
  const given = new URL(location.target).searchParams.get('query_timeout');
  if (given === null || given.trim() === '') return defaultQueryTimeoutMs;
  const milliseconds = Number(given);
  if (!Number.isFinite(milliseconds) || milliseconds < 0) throw new Error(`storage: query_timeout is a number of milliseconds (0: no limit), got ${JSON.stringify(given)}`);
  return milliseconds === 0 ? null : milliseconds;
}

/** pg's error when a connection was not answered within connectionTimeoutMillis (pg-pool's wording, and pg's own). */
const connectTimedOut = /connection timeout|timeout exceeded when trying to connect|timeout expired/i;

/** The store's Kysely instances on one set of PostgreSQL connections, each with its own wait per query. */
async function openPostgres(location: StorageLocation, logger: Logger | undefined) {
  // Loaded only when used: a SQLite deployment (and every CLI start) skips pg's import time.
  const { default: pg } = await import('pg');
  const connectSeconds = connectTimeoutSeconds(location);
  const queryMs = queryTimeoutMs(location);
  // The gateway applies query_timeout itself (pg's own would leave the silent connection in the pool).
  const url = new URL(location.target);
  url.searchParams.delete('query_timeout');
  const connections = new PostgresConnections(pg, { connectionString: url.toString(), connectTimeoutMs: connectSeconds === null ? null : Math.ceil(connectSeconds * 1000), logger });
  const kysely = (timeoutMs: number | null) => new Kysely<Database>({ dialect: new PostgresDialect({ pool: connections.pool(timeoutMs) }) });
  const atLeast = (milliseconds: number) => (queryMs === null ? null : Math.max(queryMs, milliseconds));
  return { migrations: kysely(null), db: kysely(queryMs), longReads: kysely(atLeast(longReadTimeoutMs)), retention: kysely(atLeast(retentionTimeoutMs)) };
}

export interface OpenedStore {
  store: KyselyStore;
  migration: MigrationResult;
  where: string;
}

/**
 * Opens the store named by `storage:` and migrates it to the latest schema. Throws
 * SchemaTooNewError when a newer Tollgate has migrated it, and a plain Error when unreachable or
 * (PostgreSQL) not answering within connectTimeoutSeconds. `logger` gets one line per PostgreSQL
 * outage (postgres-connections.ts).
 */
export async function openStore(storage: string, options: { logger?: Logger } = {}): Promise<OpenedStore> {
  const location = parseStorage(storage);
  const where = describeStorage(location);
  const timeoutSeconds = connectTimeoutSeconds(location);
  const postgres = location.kind === 'postgres' ? await openPostgres(location, options.logger) : null;
  const db = postgres === null ? openSqlite(location.target) : postgres.migrations;
  try {
    const migration = await runMigrations(db, location.kind, where);
    if (postgres !== null) return { store: new KyselyStore(postgres.db, 'postgres', { longReads: postgres.longReads, retention: postgres.retention }), migration, where };
    // A SQLite file's usage batches are written by a worker thread on its own connection (not possible for :memory:).
    const sqliteFile = location.target !== ':memory:' ? resolve(location.target) : undefined;
    return { store: new KyselyStore(db, location.kind, { sqliteFile }), migration, where };
  } catch (error) {
    await db.destroy().catch(() => {});
    if (error instanceof SchemaTooNewError) throw error;
    // The driver's own reason, not the wrapper's "cannot connect to PostgreSQL".
    const reason = error instanceof StoreUnavailableError && error.cause instanceof Error ? error.cause : (error as Error);
    if (timeoutSeconds !== null && connectTimedOut.test(reason.message)) {
      throw new Error(`cannot open the store at ${where}: PostgreSQL did not answer within ${timeoutSeconds} s (connect_timeout; a longer wait: ?connect_timeout=SECONDS in storage:)`, { cause: error });
    }
    throw new Error(`cannot open the store at ${where}: ${reason.message}`, { cause: error });
  }
}
