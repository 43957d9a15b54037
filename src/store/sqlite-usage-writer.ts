import type { SQLInputValue } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { UsageRecord } from './store.ts';
import { columnValue, usageRecordColumns } from './usage-record-columns.ts';

// The worker's own file: .ts when run from source (tests, development), .js when built (npm start).
const workerFile = import.meta.url.endsWith('.ts') ? './sqlite-usage-worker.ts' : './sqlite-usage-worker.js';

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Sends usage batches to a worker thread that writes them to the SQLite file
 * (sqlite-usage-worker.ts), so the synchronous INSERT and any WAL checkpoint never block the
 * event loop. Started on the first batch (a `tollgate migrate` never starts it); a worker that
 * dies fails its pending batches (the ledger retries them) and is replaced on the next one.
 */
export class SqliteUsageWriter {
  readonly #path: string;
  #worker: Worker | null = null;
  #nextId = 0;
  readonly #pending = new Map<number, Pending>();

  constructor(path: string) {
    this.#path = path;
  }

  #start(): Worker {
    // The thread handles one message per batch and keeps nothing: a young generation of 4 MiB is
    // plenty, where it would otherwise be sized like the main thread's (--max-semi-space-size, or
    // Node's default of tens of MiB) and grow under load.
    const worker = new Worker(new URL(workerFile, import.meta.url), { workerData: { path: this.#path }, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    worker.unref();
    worker.on('message', (message: { id: number; ok: boolean; message?: string }) => {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (this.#pending.size === 0) worker.unref();
      if (message.ok) pending?.resolve();
      else pending?.reject(new Error(`usage ledger (SQLite worker): ${message.message}`));
    });
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = null;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`usage ledger: the SQLite writer thread exited (code ${code})`)));
    return worker;
  }

  insert(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    this.#worker ??= this.#start();
    // Row values straight from the records, column after column: no row object per record. The
    // array is built by push, not presized: `new Array(n)` makes a holey array, which
    // postMessage's serializer writes (and the thread reads) key by key as a sparse array, about
    // three times the cost of a packed one.
    const values: SQLInputValue[] = [];
    for (const record of records) {
      for (const column of usageRecordColumns) values.push(columnValue(record, column));
    }
    const id = this.#nextId++;
    return new Promise<void>((resolve, reject) => {
      // Idle, the thread must not keep the process alive; with a batch in it, it must (a graceful
      // stop awaits the last batch after the listeners have closed).
      if (this.#pending.size === 0) this.#worker!.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker!.postMessage({ id, values });
    });
  }

  /** Stops the thread once its batches are written (the ledger has flushed before the store closes). */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (!worker) return;
    while (this.#pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await worker.terminate();
  }
}
