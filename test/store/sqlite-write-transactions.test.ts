import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../src/store/open-store.ts';
import type { UsageRecord } from '../../src/store/store.ts';
import { databaseOf } from '../ledger/ledger-helpers.ts';

function record(id: string): UsageRecord {
  return {
    id, request_id: `r-${id}`, at: new Date().toISOString(), consumer: null, consumer_id: null, key_id: null, team: null, team_id: null, route: null, variant: null,
    provider: 'echo', operation: 'chat', requested_model: 'echo/x', model: 'x', input_tokens: 1, output_tokens: 1, cached_tokens: 0, reasoning_tokens: 0,
    cost_usd: 0.001, cost_estimated: false, latency_ms: 1, ttft_ms: null, status: 200, error_type: null, error_code: null, cache_hit: false, stream: false,
  };
}

describe('SQLite write transactions beside the usage writer thread', () => {
  it('a transaction that reads, then writes while the ledger commits a batch, still commits (no "database is locked")', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-sqlite-tx-'));
    const { store } = await openStore(`sqlite:${join(folder, 'tollgate.db')}`);
    try {
      await store.insertUsage([record('use_first')]); // the writer thread is up
      const db = databaseOf(store);
      let batch: Promise<void> | undefined;
      await db.transaction().execute(async (transaction) => {
        await transaction.selectFrom('usage_records').select('id').execute();
        // Another connection writes between this transaction's read and its write, as the
        // ledger's writer thread does at any time under traffic.
        batch = store.insertUsage([record('use_second')]);
        await sleep(100);
        await transaction.deleteFrom('usage_records').where('id', '=', 'use_first').execute();
      });
      await batch;
      const ids = (await db.selectFrom('usage_records').select('id').orderBy('id').execute()).map((row) => row.id);
      assert.deepEqual(ids, ['use_second'], 'the delete committed and the batch was written after it');
    } finally {
      await store.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
