import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore } from '../../src/store/open-store.ts';
import type { UsageRecord } from '../../src/store/store.ts';
import { UsageRetention } from '../../src/usage/usage-retention.ts';
import { startGateway } from '../helpers/start-gateway.ts';
import { databaseOf } from './ledger-helpers.ts';

function oldRecord(index: number, at: string): UsageRecord {
  return {
    id: `use_old_${index}`, request_id: `old-${index}`, at, consumer: 'alice', consumer_id: 'con_alice', key_id: 'key_1', team: null, team_id: null, route: null, variant: null, provider: 'echo', operation: 'chat',
    requested_model: 'echo/x', model: 'x', input_tokens: 3, output_tokens: 4, cached_tokens: 0, reasoning_tokens: 0, cost_usd: 0.5, cost_estimated: false, latency_ms: 2,
    ttft_ms: null, status: 200, error_type: null, error_code: null, cache_hit: false, stream: false,
  };
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

describe('usage retention', () => {
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-retention-'));
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps whole UTC days: the cutoff is midnight, retention_days before today', () => {
    assert.equal(UsageRetention.cutoffDay(90, new Date('2026-12-03T08:30:00Z')), '2026-09-04');
    assert.equal(UsageRetention.cutoffDay(1, new Date('2026-03-01T00:00:00Z')), '2026-02-28');
  });

  it('rolls old records up at gateway start; reports still add up', async () => {
    const storage = `sqlite:${join(directory, 'retention.db')}`;
    const seeded = await openStore(storage);
    await seeded.store.insertUsage([oldRecord(1, daysAgo(40)), oldRecord(2, daysAgo(40)), oldRecord(3, daysAgo(35)), oldRecord(4, daysAgo(2))]);
    await seeded.store.close();

    const gw = await startGateway('usage: { retention_days: 30 }\nadmin: { tokens: [{ token: adm }] }', {}, { storage });
    try {
      const db = databaseOf(gw.gateway.identity.store);
      for (let attempt = 0; attempt < 100; attempt++) {
        if ((await db.selectFrom('usage_records').select('id').execute()).length === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual((await db.selectFrom('usage_records').select('request_id').execute()).map((row) => row.request_id), ['old-4']);
      const daily = await db.selectFrom('usage_daily').selectAll().execute();
      assert.equal(daily.reduce((total, row) => total + Number(row.requests), 0), 3);
      const report = (await (await fetch(`${gw.adminUrl}/usage?from=${daysAgo(60).slice(0, 10)}&group_by=consumer`, { headers: { authorization: 'Bearer adm' } })).json()) as any;
      assert.equal(report.totals.requests, 4);
      assert.equal(report.totals.cost_usd, 2);
      assert.equal(report.totals.input_tokens, 12);
    } finally {
      await gw.close();
    }
  });

  it('without rollup, old records are deleted; retention_days 0 keeps everything', async () => {
    const { store } = await openStore('sqlite::memory:');
    await store.insertUsage([oldRecord(1, daysAgo(10)), oldRecord(2, daysAgo(1))]);
    await new UsageRetention(store, { retentionDays: 0, rollup: true }).run();
    assert.equal((await databaseOf(store).selectFrom('usage_records').select('id').execute()).length, 2);
    await new UsageRetention(store, { retentionDays: 5, rollup: false }).run();
    assert.equal((await databaseOf(store).selectFrom('usage_records').select('id').execute()).length, 1);
    assert.equal((await databaseOf(store).selectFrom('usage_daily').select('day').execute()).length, 0);
    await store.close();
  });
});
