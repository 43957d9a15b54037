import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { StoreUnavailableError } from '../../src/store/store.ts';
import { chat, makeKey, openDirect, startLoggedGateway, terminateBackends, usageRows, waitFor, type LoggedGateway } from './outage-helpers.ts';
import { startPgProxy, type PgProxy } from './pg-proxy.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './postgres-database.ts';

/**
 * A PostgreSQL connection that ends while the gateway uses it (a restart, a failover, an
 * administrator's pg_terminate_backend, a reset) fails the query on it and nothing else: the
 * process had crashed on pg's unhandled `error` event, losing the queued usage records and every
 * request in flight (resilience audit F1).
 */

/** Runs `workers` loops of chat requests for `ms`; every status. */
async function traffic(url: string, key: string, workers: number, ms: number): Promise<number[]> {
  const statuses: number[] = [];
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) statuses.push(await chat(url, key));
    }),
  );
  return statuses;
}

const probe = await createTemporaryDatabase();
if (probe) await probe.drop();

describe('PostgreSQL connections that end while in use', { skip: probe ? false : 'PostgreSQL not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)' }, () => {
  let database: TemporaryDatabase;
  let direct: KyselyStore;
  let gw: LoggedGateway;
  let key: string;

  before(async () => {
    database = (await createTemporaryDatabase())!;
    gw = await startLoggedGateway(database.url);
    direct = await openDirect(database.url);
    key = (await makeKey(direct, 'loss-app')).secret;
    assert.ok(await waitFor(async () => (await chat(gw.url, key)) === 200, 5000), 'the key made on the database reaches the gateway');
  });
  after(async () => {
    await gw?.close();
    await direct?.close();
    await database?.drop();
  });

  it('a query in progress when PostgreSQL ends its session fails alone: no crash, requests served, the ledger writes on', { timeout: 15_000 }, async () => {
    const store = gw.gateway.identity.store as KyselyStore;
    const held = sql`select pg_sleep(5)`.execute(store.db);
    held.catch(() => {});
    await sleep(300);
    const before = await usageRows(direct, gw.gateway);
    assert.ok((await terminateBackends(database.url)) >= 1, 'the gateway had sessions to end');
    await assert.rejects(held, StoreUnavailableError);
    const statuses = await Promise.all(Array.from({ length: 20 }, () => chat(gw.url, key)));
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.ok(await waitFor(async () => (await usageRows(direct)) >= before + 20, 5000), `20 more usage records written (${(await usageRows(direct)) - before})`);
    assert.equal(gw.logged(/PostgreSQL connection failed/).length, 1, 'one line for the outage');
    assert.ok(await waitFor(() => gw.logged(/PostgreSQL answers again/).length === 1, 3000), 'and one when it answers again');
  });

  it('under traffic, sessions ended again and again: every request answered, every record written once', { timeout: 20_000 }, async () => {
    const before = await usageRows(direct, gw.gateway);
    const load = traffic(gw.url, key, 8, 3000);
    let ended = 0;
    for (let round = 0; round < 8; round++) {
      await sleep(300);
      ended += await terminateBackends(database.url);
    }
    const statuses = await load;
    // The gateway opens sessions only when it needs one (key lookups are cached, ledger rows are
    // written in batches), so a round may find none to end: most rounds must.
    assert.ok(ended >= 5, `sessions ended: ${ended}`);
    assert.ok(statuses.length > 50, `requests sent: ${statuses.length}`);
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.ok(await waitFor(async () => (await usageRows(direct)) === before + statuses.length, 6000), `records: ${(await usageRows(direct)) - before} of ${statuses.length}`);
  });
});

describe('PostgreSQL connections reset by the network', { skip: probe ? false : 'PostgreSQL not reachable' }, () => {
  let database: TemporaryDatabase;
  let proxy: PgProxy;
  let direct: KyselyStore;
  let gw: LoggedGateway;
  let key: string;

  before(async () => {
    database = (await createTemporaryDatabase())!;
    const target = new URL(database.url);
    proxy = await startPgProxy({ host: target.hostname, port: Number(target.port || 5432) });
    gw = await startLoggedGateway(proxy.urlFor(database.url, { connect_timeout: '1', query_timeout: '1000' }));
    direct = await openDirect(database.url);
    key = (await makeKey(direct, 'reset-app')).secret;
    assert.ok(await waitFor(async () => (await chat(gw.url, key)) === 200, 5000));
  });
  after(async () => {
    await gw?.close();
    await direct?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('every connection reset under traffic, new ones refused for a second: requests served, the records written once it is back', { timeout: 20_000 }, async () => {
    const before = await usageRows(direct, gw.gateway);
    const load = traffic(gw.url, key, 8, 3000);
    await sleep(800);
    proxy.cut();
    await sleep(1000);
    proxy.heal();
    const statuses = await load;
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.ok(await waitFor(async () => (await usageRows(direct)) === before + statuses.length, 6000), `records: ${(await usageRows(direct)) - before} of ${statuses.length}`);
    assert.equal(gw.logged(/PostgreSQL connection failed/).length, 1);
  });
});
