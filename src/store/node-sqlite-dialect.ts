import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

/**
 * Kysely's SqliteDialect expects better-sqlite3's shape: `prepare(sql)` returning a statement
 * with a `reader` flag and methods taking the parameters as one array. node:sqlite's
 * DatabaseSync is the same idea with spread parameters and no `reader`, so a thin wrapper is
 * the whole adapter; Kysely's own driver (single connection, a mutex, begin/commit) is reused.
 */
function toSqliteValue(value: unknown): SQLInputValue {
  // node:sqlite binds only null, numbers, bigints, strings and bytes.
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value as SQLInputValue;
}

function wrapStatement(statement: StatementSync): SqliteStatement {
  const bind = (parameters: ReadonlyArray<unknown>): SQLInputValue[] => parameters.map(toSqliteValue);
  return {
    // A statement that yields columns (SELECT, or anything with RETURNING) is read with all().
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...bind(parameters)),
    run: (parameters) => statement.run(...bind(parameters)),
    iterate: (parameters) => statement.iterate(...bind(parameters)) as IterableIterator<unknown>,
  };
}

function wrapDatabase(database: DatabaseSync): SqliteDatabase {
  return {
    close: () => database.close(),
    // Kysely opens every transaction with a plain (deferred) `begin`: the transaction takes its
    // snapshot at its first read and asks for the write lock only at its first write. If another
    // connection wrote in between (the usage ledger's writer thread commits every 50 ms, another
    // node or the CLI at any time), SQLite cannot upgrade that snapshot and answers SQLITE_BUSY
    // at once, without waiting out busy_timeout. Every transaction here writes, so each takes
    // the write lock when it begins, and busy_timeout makes a concurrent writer wait instead.
    prepare: (sql) => wrapStatement(database.prepare(sql === 'begin' ? 'begin immediate' : sql)),
  };
}

/** A Kysely dialect over Node's built-in node:sqlite (no native addon to build). */
export function nodeSqliteDialect(database: DatabaseSync): SqliteDialect {
  return new SqliteDialect({ database: wrapDatabase(database) });
}
