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

const statements = new Map<number, StatementSync>();
const placeholders = `(${usageRecordColumns.map(() => '?').join(', ')})`;

function insertStatement(rows: number): StatementSync {
  let statement = statements.get(rows);
  if (!statement) {
    statement = database.prepare(`insert into usage_records (${usageRecordColumns.join(', ')}) values ${Array.from({ length: rows }, () => placeholders).join(', ')} on conflict (id) do nothing`);
    // Batches are mostly full (batch_size) or small; keep a handful of shapes, not one per size.
    if (statements.size < 16) statements.set(rows, statement);
  }
  return statement;
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
      insertStatement(message.values.length / usageRecordColumns.length).run(...message.values);
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
