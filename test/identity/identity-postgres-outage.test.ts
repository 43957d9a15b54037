import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { chat, makeKey, openDirect, startLoggedGateway, waitFor, type LoggedGateway } from '../store/outage-helpers.ts';
import { startPgProxy, type PgProxy } from '../store/pg-proxy.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../store/postgres-database.ts';

/**
 * Revocation across nodes while PostgreSQL goes silent. The key cache's one-second poll had waited
 * for ever on a connection that went silent (the database host gone, a partition), so a key
 * revoked on another node stayed valid here for as long as the process ran, even once the
 * database answered again (resilience audit F3, security). The poll now fails at the store's
 * query timeout (`query_timeout=1000` here) and the next one, on a new connection, applies it.
 * While the database does not answer, the keys this node knows stay as they were.
 */

const probe = await createTemporaryDatabase();
if (probe) await probe.drop();

describe('key revocation while PostgreSQL does not answer', { skip: probe ? false : 'PostgreSQL not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)' }, () => {
  let database: TemporaryDatabase;
  let otherNode: KyselyStore;
  let proxy: PgProxy;
  let gw: LoggedGateway;
  let revoked: { id: string; secret: string };
  let kept: { id: string; secret: string };

  before(async () => {
    database = (await createTemporaryDatabase())!;
    otherNode = await openDirect(database.url);
  });
  after(async () => {
    await otherNode?.close();
    await database?.drop();
  });
  beforeEach(async (context) => {
    const target = new URL(database.url);
    proxy = await startPgProxy({ host: target.hostname, port: Number(target.port || 5432) });
    gw = await startLoggedGateway(proxy.urlFor(database.url, { connect_timeout: '1', query_timeout: '1000' }));
    const name = context.name.slice(0, 20).replace(/\W/g, '-');
    revoked = await makeKey(otherNode, `${name}-revoked`);
    kept = await makeKey(otherNode, `${name}-kept`);
    assert.ok(await waitFor(async () => (await chat(gw.url, revoked.secret)) === 200 && (await chat(gw.url, kept.secret)) === 200, 5000), 'keys made on the other node reach this one');
  });
  afterEach(async () => {
    proxy.restore();
    await gw.close();
    await proxy.close();
  });

  it('a key revoked on another node after the network healed is refused here within seconds, though the poll in progress hung on a silent connection', { timeout: 15_000 }, async () => {
    proxy.blackhole();
    // A poll (every second) is now waiting on a connection that will never answer.
    await sleep(1500);
    proxy.heal();
    assert.equal(await otherNode.deleteKey(revoked.id, 'other-node'), true);
    const started = performance.now();
    assert.ok(await waitFor(async () => (await chat(gw.url, revoked.secret)) === 401, 6000), 'the revoked key is refused');
    assert.ok(performance.now() - started < 6000);
    assert.equal(await chat(gw.url, kept.secret), 200, 'the other key still works');
    assert.equal(gw.logged(/cannot refresh keys from the store/).length, 1, 'the failed poll is logged once');
    // Said after the poll's last-used write, which may come a moment after the refresh applied.
    assert.ok(await waitFor(() => gw.logged(/identity store reachable again/).length === 1, 3000));
  });

  it('a key revoked during the outage keeps working here while the database does not answer, and is refused once it does', { timeout: 15_000 }, async () => {
    proxy.blackhole();
    assert.equal(await otherNode.deleteKey(revoked.id, 'other-node'), true);
    await sleep(2500);
    // Keys this node knows stay as they were: it cannot learn of the revocation yet.
    assert.equal(await chat(gw.url, revoked.secret), 200);
    assert.equal(await chat(gw.url, kept.secret), 200);
    proxy.heal();
    assert.ok(await waitFor(async () => (await chat(gw.url, revoked.secret)) === 401, 6000), 'refused once the database answers');
    assert.equal(await chat(gw.url, kept.secret), 200);
  });
});
