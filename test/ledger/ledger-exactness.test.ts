import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/open-store.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../store/postgres-database.ts';
import { cents, databaseOf, echoPricing, runConcurrently, sendChat } from './ledger-helpers.ts';

/** 10,000 by default; TOLLGATE_LEDGER_REQUESTS=2000 for a quicker run. */
const requestCount = Number(process.env.TOLLGATE_LEDGER_REQUESTS ?? 10_000);

/**
 * Every request of a large run through the real gateway is in the ledger exactly once, with the
 * right tokens and a total cost equal (to the cent) to the sum of what each response said.
 */
async function exactnessRun(storage: string, count: number): Promise<void> {
  const gw = await startGateway(`admin: { tokens: [{ token: adm }] }\n${echoPricing}`, {}, { storage });
  const results = await runConcurrently(count, 50, (index) => sendChat(gw.baseURL, { requestId: `run-${index}`, stream: index % 10 === 0, model: `echo/model-${index % 3}` }));
  await gw.close();
  assert.ok(results.every((result) => result.status === 200));

  // Read the database after the gateway stopped: the graceful stop wrote everything.
  const reopened = await openStore(storage);
  try {
    const db = databaseOf(reopened.store);
    const rows = await db.selectFrom('usage_records').select(['request_id', 'cost_usd', 'input_tokens', 'output_tokens', 'stream', 'status', 'model']).execute();
    assert.equal(rows.length, count, 'one record per request');
    const ids = new Set(rows.map((row) => row.request_id));
    assert.equal(ids.size, count, 'no request recorded twice');
    for (const result of results) assert.ok(ids.has(result.requestId), `${result.requestId} recorded`);

    const sumOf = (values: number[]) => values.reduce((total, value) => total + value, 0);
    const ledgerCost = sumOf(rows.map((row) => Number(row.cost_usd)));
    const answeredCost = sumOf(results.map((result) => result.costUsd));
    assert.ok(answeredCost > 10, `costs are not trivially zero ($${answeredCost})`);
    assert.equal(cents(ledgerCost), cents(answeredCost), `ledger $${ledgerCost} vs responses $${answeredCost}`);
    assert.ok(Math.abs(ledgerCost - answeredCost) < 1e-6);
    assert.equal(sumOf(rows.map((row) => Number(row.input_tokens))), sumOf(results.map((result) => result.promptTokens)));
    assert.equal(sumOf(rows.map((row) => Number(row.output_tokens))), sumOf(results.map((result) => result.completionTokens)));
    assert.equal(rows.filter((row) => Number(row.stream) === 1).length, results.filter((_result, index) => index % 10 === 0).length);

    // The report's totals are the same numbers.
    const report = await reopened.store.usageReport({ from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z', groupBy: ['model'] });
    assert.equal(report.totals.requests, count);
    assert.equal(cents(report.totals.cost_usd), cents(answeredCost));
    assert.deepEqual(report.groups.map((group) => group.model).sort(), ['model-0', 'model-1', 'model-2']);
  } finally {
    await reopened.store.close();
  }
}

describe('usage ledger exactness', () => {
  let directory: string;
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-ledger-'));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it(`records every one of ${requestCount} requests exactly once on SQLite, costs matching to the cent`, { timeout: 120_000 }, async () => {
    await exactnessRun(`sqlite:${join(directory, 'exact.db')}`, requestCount);
  });

  it('graceful stop loses nothing: requests still streaming when stop is called are recorded', async () => {
    const storage = `sqlite:${join(directory, 'graceful.db')}`;
    // Slow streams (8 chunks 250 ms apart: long enough that the first are still streaming when the
    // last start, on a busy CI machine too) are in flight while the gateway drains; a long flush
    // interval shows the stop itself writes them.
    const gw: RunningGateway = await startGateway(`usage: { flush_interval: 60s }\nproviders: { slow: { type: echo, options: { chunk_delay_ms: 250 } } }\n${echoPricing}`, {}, { storage });
    try {
      const inFlight = Array.from({ length: 40 }, (_unused, index) => sendChat(gw.baseURL, { requestId: `graceful-${index}`, model: 'slow/x', stream: true }));
      // Stop once all 40 are being answered (a request still connecting would be refused, not drained).
      const deadline = Date.now() + 20_000;
      while (((await gw.gateway.metrics.inFlight.get()).values[0]?.value ?? 0) < 40) {
        if (Date.now() > deadline) assert.fail(`the 40 streams were never in flight at once (${(await gw.gateway.metrics.inFlight.get()).values[0]?.value ?? 0})`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const stopped = gw.gateway.stop(10_000);
      const results = await Promise.all(inFlight);
      await stopped;
      assert.equal(results.filter((result) => result.status === 200).length, 40);
    } finally {
      // Idempotent: a failed wait above must not leave the gateway (and this test file) running.
      await gw.close();
    }
    const reopened = await openStore(storage);
    const rows = await databaseOf(reopened.store).selectFrom('usage_records').select('request_id').execute();
    await reopened.store.close();
    assert.equal(rows.length, 40);
  });
});

describe('usage ledger exactness on PostgreSQL', () => {
  let database: TemporaryDatabase | null = null;
  before(async () => {
    database = await createTemporaryDatabase();
  });
  after(async () => database?.drop());

  it('records every one of 2,000 requests exactly once, costs matching to the cent', { timeout: 120_000 }, async (context) => {
    if (!database) return context.skip('PostgreSQL not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)');
    await exactnessRun(database.url, 2000);
  });
});
