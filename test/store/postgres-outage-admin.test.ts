import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { adminToken, makeKey, openDirect, startLoggedGateway, waitFor, type LoggedGateway } from './outage-helpers.ts';
import { startPgProxy, type PgProxy } from './pg-proxy.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './postgres-database.ts';

/**
 * The Admin API while its PostgreSQL store is unreachable or silent: 503 `store_unavailable` with
 * Retry-After (it had answered an opaque 500 `internal_error`; resilience audit F9), and the
 * usual answers once the database is back. A caller's own usage (GET /v1/tollgate/usage, on the
 * data plane) answers the same way (it had answered 500 `internal_error`).
 */

const probe = await createTemporaryDatabase();
if (probe) await probe.drop();

async function listKeys(gw: LoggedGateway): Promise<{ status: number; retryAfter: string | null; code: unknown; took: number }> {
  const started = performance.now();
  const response = await fetch(`${gw.adminUrl}/keys`, { headers: { authorization: `Bearer ${adminToken}` } });
  const body = (await response.json()) as { error?: { code?: unknown } };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), code: body.error?.code, took: performance.now() - started };
}

describe('the Admin API during a PostgreSQL outage', { skip: probe ? false : 'PostgreSQL not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)' }, () => {
  let database: TemporaryDatabase;
  let proxy: PgProxy;
  let gw: LoggedGateway;

  before(async () => {
    database = (await createTemporaryDatabase())!;
  });
  after(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    const target = new URL(database.url);
    proxy = await startPgProxy({ host: target.hostname, port: Number(target.port || 5432) });
    gw = await startLoggedGateway(proxy.urlFor(database.url, { connect_timeout: '1', query_timeout: '1000' }));
    assert.equal((await listKeys(gw)).status, 200);
  });
  afterEach(async () => {
    proxy.restore();
    await gw.close();
    await proxy.close();
  });

  it('connections refused: 503 store_unavailable with Retry-After at once; 200 again once the database is back', { timeout: 10_000 }, async () => {
    proxy.cut();
    const answer = await listKeys(gw);
    assert.deepEqual({ status: answer.status, code: answer.code, retryAfter: answer.retryAfter }, { status: 503, code: 'store_unavailable', retryAfter: '5' });
    assert.ok(answer.took < 1500, `answered after ${Math.round(answer.took)} ms`);
    assert.equal(gw.logged(/the Admin API failed to handle a request/).length, 0, 'an outage is not logged as a failure of the Admin API');
    proxy.heal();
    assert.ok(await waitFor(async () => (await listKeys(gw)).status === 200, 3000));
  });

  it('a silent database: 503 store_unavailable after the query timeout, not a request that hangs', { timeout: 10_000 }, async () => {
    proxy.blackhole();
    const answer = await listKeys(gw);
    assert.deepEqual({ status: answer.status, code: answer.code, retryAfter: answer.retryAfter }, { status: 503, code: 'store_unavailable', retryAfter: '5' });
    assert.ok(answer.took < 3000, `answered after ${Math.round(answer.took)} ms`);
    proxy.heal();
    assert.ok(await waitFor(async () => (await listKeys(gw)).status === 200, 5000));
  });

  it('a caller\'s own usage on the data plane: 503 store_unavailable with Retry-After, not 500; 200 again once the database is back', { timeout: 15_000 }, async () => {
    const direct = await openDirect(database.url);
    const { secret } = await makeKey(direct, 'own-usage-outage');
    await direct.close();
    const ownUsage = async () => {
      const response = await fetch(`${gw.url}/v1/tollgate/usage`, { headers: { authorization: `Bearer ${secret}` } });
      const body = (await response.json()) as { error?: { code?: unknown; type?: unknown } };
      return { status: response.status, retryAfter: response.headers.get('retry-after'), code: body.error?.code, type: body.error?.type };
    };
    assert.ok(await waitFor(async () => (await ownUsage()).status === 200, 5000), 'the key reaches the gateway');
    proxy.cut();
    assert.deepEqual(await ownUsage(), { status: 503, retryAfter: '5', code: 'store_unavailable', type: 'api_error' });
    assert.equal(gw.logged(/the own-usage endpoint failed/).length, 0, 'an outage is not logged as a failure of the endpoint');
    proxy.heal();
    assert.ok(await waitFor(async () => (await ownUsage()).status === 200, 5000));
  });
});
