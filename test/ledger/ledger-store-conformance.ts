import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { UsageQuery, UsageRecord } from '../../src/store/store.ts';

let sequence = 0;

function record(at: string, fields: Partial<UsageRecord> = {}): UsageRecord {
  sequence++;
  return {
    id: `use_${String(sequence).padStart(6, '0')}`, request_id: `req-${sequence}`, at, consumer: 'alice', consumer_id: 'con_alice', key_id: 'key_1', team: 'red', team_id: 'team_red', route: null, variant: null,
    provider: 'p1', operation: 'chat', requested_model: 'smart', model: 'm1', input_tokens: 10, output_tokens: 5, cached_tokens: 2, reasoning_tokens: 1,
    cost_usd: 0.25, cost_estimated: false, latency_ms: 12.5, ttft_ms: null, status: 200, error_type: null, error_code: null, cache_hit: false, stream: false,
    ...fields,
  };
}

/** A small ledger spanning an old month (to roll up) and a recent one. */
function fixture(): UsageRecord[] {
  return [
    record('2026-09-01T10:15:00.000Z'),
    record('2026-09-01T23:59:59.999Z', { consumer: 'bob', consumer_id: 'con_bob', key_id: 'key_3', team: 'blue', team_id: 'team_blue', model: 'm2', cost_usd: 1.5 }),
    record('2026-09-02T00:00:00.000Z', { status: 429, error_type: 'rate_limit_error', error_code: 'rate_limit_exceeded', input_tokens: 0, output_tokens: 0, cached_tokens: 0, reasoning_tokens: 0, cost_usd: 0 }),
    record('2026-12-01T09:00:00.000Z', { key_id: 'key_2' }),
    record('2026-12-01T10:30:00.000Z', { cost_estimated: true, cost_usd: 0.125, cache_hit: true }),
    record('2026-12-02T10:00:00.000Z', { consumer: 'bob', consumer_id: 'con_bob', key_id: 'key_3', team: 'blue', team_id: 'team_blue', model: 'm2', provider: 'p2', cost_usd: 2 }),
  ];
}

const everything = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };

/** The usage-ledger part of the store, run against every backend (the test/store pattern). */
export function ledgerStoreConformance(backend: string, storage: () => Promise<{ url: string; drop(): Promise<void> } | null>): void {
  describe(`usage ledger store: ${backend}`, () => {
    let store: KyselyStore;
    let drop: () => Promise<void> = async () => {};

    before(async () => {
      const target = await storage();
      assert.ok(target);
      drop = target.drop;
      store = (await openStore(target.url)).store;
      await store.insertUsage(fixture());
    });
    after(async () => {
      await store?.close();
      await drop();
    });

    const report = (query: Partial<UsageQuery>) => store.usageReport({ ...everything, groupBy: [], ...query });

    it('inserts a batch once: a retried batch (same ids) adds nothing', async () => {
      const batch = [record('2026-11-15T00:00:00.000Z'), record('2026-11-15T00:00:01.000Z')];
      await store.insertUsage(batch);
      await store.insertUsage(batch);
      const { totals } = await report({ from: '2026-11-15T00:00:00.000Z', to: '2026-11-16T00:00:00.000Z' });
      assert.equal(totals.requests, 2);
      await store.db.deleteFrom('usage_records').where('id', 'in', batch.map((entry) => entry.id)).execute();
    });

    it('totals everything, and groups by several dimensions', async () => {
      const { totals, groups } = await report({ groupBy: ['consumer', 'model'] });
      assert.deepEqual(totals, { requests: 6, errors: 1, input_tokens: 50, output_tokens: 25, cached_tokens: 10, reasoning_tokens: 5, cost_usd: 4.125, estimated_requests: 1, cache_hits: 1 });
      assert.deepEqual(groups.map((group) => [group.consumer, group.model, group.requests, group.cost_usd]), [
        ['bob', 'm2', 2, 3.5],
        ['alice', 'm1', 4, 0.625],
      ]);
      const byStatus = await report({ groupBy: ['status', 'provider'] });
      assert.deepEqual(byStatus.groups.map((group) => [group.status, group.provider, group.requests]).sort(), [[200, 'p1', 4], [200, 'p2', 1], [429, 'p1', 1]]);
    });

    it('filters by any dimension and by time ([from, to))', async () => {
      assert.equal((await report({ filters: { key: 'key_3' } })).totals.requests, 2);
      assert.equal((await report({ filters: { consumer: 'alice', status: '429' } })).totals.requests, 1);
      assert.equal((await report({ filters: { team: 'nobody' } })).totals.requests, 0);
      assert.deepEqual((await report({ filters: { team: 'nobody' } })).groups, []);
      const december = await report({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' });
      assert.equal(december.totals.requests, 2);
      assert.equal((await report({ from: '2026-12-01T10:30:00.000Z', to: '2026-12-01T10:30:00.001Z' })).totals.requests, 1);
    });

    it('makes time series by hour, day and month (UTC)', async () => {
      const daily = await report({ interval: 'day', groupBy: ['consumer'] });
      assert.deepEqual(daily.groups.map((group) => [group.period, group.consumer, group.requests]), [
        ['2026-09-01', 'bob', 1],
        ['2026-09-01', 'alice', 1],
        ['2026-09-02', 'alice', 1],
        ['2026-12-01', 'alice', 2],
        ['2026-12-02', 'bob', 1],
      ]);
      const hourly = await report({ interval: 'hour', from: '2026-12-01T00:00:00.000Z' });
      assert.deepEqual(hourly.groups.map((group) => [group.period, group.requests]), [['2026-12-01T09:00Z', 1], ['2026-12-01T10:00Z', 1], ['2026-12-02T10:00Z', 1]]);
      const monthly = await report({ interval: 'month' });
      assert.deepEqual(monthly.groups.map((group) => [group.period, group.requests, group.cost_usd]), [['2026-09', 3, 1.75], ['2026-12', 3, 2.375]]);
    });

    it('rolls old records up into daily sums: reports keep their totals, old data keeps day resolution', async () => {
      const before = await report({ groupBy: ['consumer', 'key', 'team', 'model', 'status'], interval: 'day' });
      const moved = await store.rollUpUsage('2026-10-01');
      assert.deepEqual(moved, { records: 3, days: 2 });
      const raw = await store.db.selectFrom('usage_records').select('id').execute();
      assert.equal(raw.length, 3, 'only recent raw records remain');
      const afterwards = await report({ groupBy: ['consumer', 'key', 'team', 'model', 'status'], interval: 'day' });
      assert.deepEqual(afterwards, before);
      assert.equal((await report({ filters: { key: 'key_3' } })).totals.cost_usd, 3.5);
      const hourly = await report({ interval: 'hour', to: '2026-10-01' });
      assert.deepEqual(hourly.groups.map((group) => [group.period, group.requests]), [['2026-09-01T00:00Z', 2], ['2026-09-02T00:00Z', 1]]);
      // A day range that covers a rolled-up day counts it whole.
      assert.equal((await report({ from: '2026-09-01T12:00:00.000Z', to: '2026-09-02' })).totals.requests, 3);
      assert.deepEqual(await store.rollUpUsage('2026-10-01'), { records: 0, days: 0 }, 'running again finds nothing');
    });

    it('retention without rollup only deletes', async () => {
      await store.insertUsage([record('2026-10-05T00:00:00.000Z')]);
      const moved = await store.rollUpUsage('2026-11-01', { aggregate: false });
      assert.deepEqual(moved, { records: 1, days: 1 });
      assert.equal((await report({ from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' })).totals.requests, 0);
    });
  });
}

export function sqliteMemory(): Promise<{ url: string; drop(): Promise<void> }> {
  return Promise.resolve({ url: 'sqlite::memory:', drop: async () => {} });
}
