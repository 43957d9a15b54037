import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { chat, makeKey, metricValue, openDirect, startLoggedGateway, usageRows, waitFor, type LoggedGateway } from '../store/outage-helpers.ts';
import { startPgProxy, type PgProxy } from '../store/pg-proxy.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../store/postgres-database.ts';

/**
 * The usage ledger when PostgreSQL stops answering (the host vanished, a partition: TCP stays up,
 * nothing arrives). A write had waited for ever: the ledger stopped for good, silently, with
 * `tollgate_usage_records_queued` at 0 (resilience audit F2), and a graceful stop waited for that
 * write without limit (F4). Each test runs a gateway through a proxy it blackholes, with
 * `query_timeout=1000` and `connect_timeout=1` in the URL so the timeouts fit a test.
 */

const probe = await createTemporaryDatabase();
if (probe) await probe.drop();

describe('the usage ledger while PostgreSQL does not answer', { skip: probe ? false : 'PostgreSQL not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)' }, () => {
  let database: TemporaryDatabase;
  let direct: KyselyStore;
  let key: string;
  let proxy: PgProxy;
  let gw: LoggedGateway | null = null;

  before(async () => {
    database = (await createTemporaryDatabase())!;
    direct = await openDirect(database.url);
    key = (await makeKey(direct, 'ledger-outage-app')).secret;
  });
  after(async () => {
    await direct?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    const target = new URL(database.url);
    proxy = await startPgProxy({ host: target.hostname, port: Number(target.port || 5432) });
  });
  afterEach(async () => {
    proxy.restore();
    await gw?.close();
    gw = null;
    await proxy.close();
  });

  /** A gateway through the proxy, its key working and what it had queued written. */
  async function start(queryTimeout = '1000'): Promise<LoggedGateway> {
    gw = await startLoggedGateway(proxy.urlFor(database.url, { connect_timeout: '1', query_timeout: queryTimeout }));
    assert.equal(await chat(gw.url, key), 200);
    await usageRows(direct, gw.gateway);
    return gw;
  }

  /** Blackholes the proxy, sends `count` requests (all served) and stops the gateway; how long the stop took. */
  async function stopWhileSilent(running: LoggedGateway, count: number): Promise<number> {
    proxy.blackhole();
    const statuses = await Promise.all(Array.from({ length: count }, () => chat(running.url, key)));
    assert.deepEqual([...new Set(statuses)], [200]);
    const started = performance.now();
    await running.gateway.stop(500);
    return performance.now() - started;
  }

  it('keeps the records while a write hangs (counted in tollgate_usage_records_queued, logged once) and writes them all once PostgreSQL answers new connections', { timeout: 15_000 }, async () => {
    const running = await start();
    const before = await usageRows(direct);
    proxy.blackhole();
    const statuses = await Promise.all(Array.from({ length: 30 }, (_unused, index) => chat(running.url, key, `during ${index}`)));
    assert.deepEqual([...new Set(statuses)], [200], 'requests are served from the keys in memory');
    assert.ok(await waitFor(async () => (await metricValue(running.gateway, 'tollgate_usage_records_queued')) >= 30, 3000), `queued: ${await metricValue(running.gateway, 'tollgate_usage_records_queued')}`);
    assert.ok(await waitFor(() => running.logged(/usage ledger: cannot write usage records/).length === 1, 4000), 'the failing write is logged (after the query timeout)');
    assert.equal(running.logged(/PostgreSQL connection failed \((PostgreSQL did not answer within 1 s|.*timeout)/).length, 1, 'with its cause, once');
    assert.ok((await metricValue(running.gateway, 'tollgate_usage_ledger_write_errors_total')) >= 1);
    assert.equal(await usageRows(direct), before);

    // The network heals; the connections that went silent stay silent (nothing tells the gateway).
    proxy.heal();
    assert.ok(await waitFor(async () => (await usageRows(direct)) === before + 30, 8000), `written after: ${(await usageRows(direct)) - before} of 30`);
    assert.ok(await waitFor(async () => (await metricValue(running.gateway, 'tollgate_usage_records_queued')) === 0, 2000));
    assert.equal(running.logged(/usage ledger: the store is writable again/).length, 1);
    assert.equal(await metricValue(running.gateway, 'tollgate_usage_records_dropped_total', { reason: 'queue_full' }), 0);
  });

  it('a stop while PostgreSQL does not answer ends within seconds and says how many records it could not write', { timeout: 20_000 }, async () => {
    const running = await start();
    const took = await stopWhileSilent(running, 12);
    // The drain (0.5 s), failed writes tried again (each a 1 s timeout) until 5 s without a batch written, the store's closing.
    assert.ok(took >= 5000 && took < 9000, `the stop took ${Math.round(took)} ms`);
    assert.equal(running.logged(/usage ledger: the store wrote nothing for 5 s at shutdown; 12 usage records are not written and are lost/).length, 1, JSON.stringify(running.logs.filter((line) => Number(line.level) >= 40)));
    assert.equal(await metricValue(running.gateway, 'tollgate_usage_records_dropped_total', { reason: 'shutdown' }), 12);
    assert.equal(running.logged(/^stopped$/).length, 1);
  });

  it('a stop while PostgreSQL refuses connections (restarting) keeps trying: the records are written once it is back within the wait', { timeout: 20_000 }, async () => {
    const running = await start();
    const before = await usageRows(direct);
    proxy.cut();
    const statuses = await Promise.all(Array.from({ length: 4 }, () => chat(running.url, key)));
    assert.deepEqual([...new Set(statuses)], [200]);
    setTimeout(() => proxy.heal(), 1500);
    const started = performance.now();
    await running.gateway.stop(500);
    const took = performance.now() - started;
    assert.equal(await usageRows(direct), before + 4, JSON.stringify(running.logs.filter((line) => Number(line.level) >= 40)));
    assert.equal(running.logged(/are lost/).length, 0);
    assert.equal(await metricValue(running.gateway, 'tollgate_usage_records_dropped_total', { reason: 'shutdown' }), 0);
    assert.ok(took < 5000, `the stop took ${Math.round(took)} ms`);
  });

  it('without a query timeout (query_timeout=0) a stop still ends: 5 s without a batch written, then what is left is given up, counted and logged', { timeout: 20_000 }, async () => {
    const running = await start('0');
    const took = await stopWhileSilent(running, 12);
    // The drain (0.5 s), the ledger's 5 s without progress, the store's closing (a second, then the hung query is cut).
    assert.ok(took >= 5000 && took < 9000, `the stop took ${Math.round(took)} ms`);
    assert.equal(running.logged(/usage ledger: the store wrote nothing for 5 s at shutdown; 12 usage records are not written and are lost/).length, 1, JSON.stringify(running.logs.filter((line) => Number(line.level) >= 40)));
    assert.equal(await metricValue(running.gateway, 'tollgate_usage_records_dropped_total', { reason: 'shutdown' }), 12);
    assert.equal(running.logged(/^stopped$/).length, 1);
  });
});
