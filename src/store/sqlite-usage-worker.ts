import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { usageRecordColumns } from './usage-record-columns.ts';

/**
 * The usage ledger's SQLite writes, in a worker thread with its own connection to the same file.
 * node:sqlite is synchronous: a 500-row INSERT (and the WAL checkpoint a commit may run) would
 * otherwise stop the event loop, and with it every request in flight, for 10-50 ms. WAL lets this
 * connection write while the main one reads; busy_timeout makes either wait for the other's
 * transaction instead of failing.
 */
const database = new DatabaseSync((workerData as { path: string }).path);
database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');

const placeholders = `(${usageRecordColumns.map(() => '?').join(', ')})`;
const columns = usageRecordColumns.length;

/**
 * Rows go in by statements of two fixed shapes, `chunkRows` rows and one row: every distinct row
 * count would be a prepared statement of its own, and one of 500 rows x 25 columns is a program
 * of hundreds of KB; kept per batch size, they took several MiB of native memory.
 */
const chunkRows = 50;

function insertStatement(rows: number): StatementSync {
  return database.prepare(`insert into usage_records (${usageRecordColumns.join(', ')}) values ${Array.from({ length: rows }, () => placeholders).join(', ')} on conflict (id) do nothing`);
}

// Prepared on the first batch: the table exists by then (the store's migrations ran at start).
let insertChunk: StatementSync | null = null;
let insertOne: StatementSync | null = null;

function insertRows(values: SQLInputValue[]): void {
  insertChunk ??= insertStatement(chunkRows);
  insertOne ??= insertStatement(1);
  const rows = values.length / columns;
  let row = 0;
  for (; row + chunkRows <= rows; row += chunkRows) insertChunk.run(...values.slice(row * columns, (row + chunkRows) * columns));
  for (; row < rows; row++) insertOne.run(...values.slice(row * columns, (row + 1) * columns));
}

interface InsertMessage {
  id: number;
  /** Row values, column after column (usageRecordColumns order), row after row. */
  values: SQLInputValue[];
}

parentPort!.on('message', (message: InsertMessage) => {
  try {
    database.exec('BEGIN IMMEDIATE');
    try {
      insertRows(message.values);
      database.exec('COMMIT');
    } catch (error) {
      database.exec('ROLLBACK');
      throw error;
    }
    parentPort!.postMessage({ id: message.id, ok: true });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, ok: false, message: (error as Error).message });
  }
});
