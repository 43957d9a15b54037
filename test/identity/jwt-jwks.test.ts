import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { JwksCache } from '../../src/plugins/jwt/jwks-cache.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { audience, ecPair, issuer, jwtPlugin, refusalOf, requestContext, rsaPair, sign, silent } from './jwt-helpers.ts';

type Pair = Awaited<ReturnType<typeof rsaPair>>;

describe('jwt plugin with a JWKS endpoint', () => {
  let jwksServer: StandIn;
  let published: Array<Record<string, unknown>> = [];
  let up = true;
  let first: Pair;
  let second: Pair;
  let ecKey: Pair;

  const jwksRequests = () => jwksServer.requests.filter((request) => request.path === '/jwks.json').length;

  before(async () => {
    first = await rsaPair();
    second = await rsaPair();
    ecKey = await ecPair();
    published = [{ ...first.jwk, kid: 'k1', alg: 'RS256', use: 'sig' }];
    jwksServer = await startStandIn((_request, response) => {
      if (!up) {
        response.writeHead(503).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
    });
  });
  after(() => jwksServer.close());

  it('verifies by kid, picks up a rotated key on an unknown kid, and survives the endpoint going down', async () => {
    const plugin = jwtPlugin({ issuer, audience, jwks_url: `${jwksServer.url}/jwks.json`, jwks_min_refetch_interval: '100ms' });
    try {
      const ctx = requestContext({ authorization: `Bearer ${await sign(first.privateKey, 'RS256', {}, 'k1')}` });
      await plugin.onRequest!(ctx);
      assert.equal(ctx.caller.consumer, 'app1');

      // The issuer rotates: it publishes k2 (and an ES256 key) next to k1. A k2 token makes the cache fetch again.
      published = [published[0], { ...second.jwk, kid: 'k2', alg: 'RS256' }, { ...ecKey.jwk, kid: 'e1', alg: 'ES256' }];
      await sleep(120);
      const before = jwksRequests();
      await plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(second.privateKey, 'RS256', {}, 'k2')}` }));
      await plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(ecKey.privateKey, 'ES256', {}, 'e1')}` }));
      assert.equal(jwksRequests(), before + 1, 'one fetch for the new kid; the ES256 kid came with it');
      // The old key still works during the overlap.
      await plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(first.privateKey, 'RS256', {}, 'k1')}` }));

      // A token signed by k1's key but naming k2 fails on the signature, not on a lookup.
      const forged = await refusalOf(plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(first.privateKey, 'RS256', {}, 'k2')}` })));
      assert.match(forged.message, /signature is invalid/);

      // The endpoint goes down: the keys fetched before keep working.
      up = false;
      await sleep(120);
      await refusalOf(plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(first.privateKey, 'RS256', {}, 'unknown-kid')}` })));
      await plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(second.privateKey, 'RS256', {}, 'k2')}` }));
    } finally {
      up = true;
      await plugin.close?.();
    }
  });

  it('retires keys the issuer no longer publishes at the next fetch', async () => {
    published = [{ ...first.jwk, kid: 'k1', alg: 'RS256' }];
    const plugin = jwtPlugin({ issuer, audience, jwks_url: `${jwksServer.url}/jwks.json`, jwks_refresh_interval: '100ms' });
    try {
      await plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(first.privateKey, 'RS256', {}, 'k1')}` }));
      published = [{ ...second.jwk, kid: 'k2', alg: 'RS256' }];
      await sleep(250);
      const refusal = await refusalOf(plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(first.privateKey, 'RS256', {}, 'k1')}` })));
      assert.match(refusal.message, /no key of the issuer matches its key id/);
    } finally {
      await plugin.close?.();
    }
  });

  it('rate-limits fetches caused by unknown kids (a flood of bad kids makes at most one fetch per interval)', async () => {
    published = [{ ...first.jwk, kid: 'k1', alg: 'RS256' }];
    const plugin = jwtPlugin({ issuer, audience, jwks_url: `${jwksServer.url}/jwks.json`, jwks_min_refetch_interval: '1m' });
    try {
      await plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(first.privateKey, 'RS256', {}, 'k1')}` }));
      const before = jwksRequests();
      const flood = await Promise.all(
        Array.from({ length: 50 }, async () => refusalOf(plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(first.privateKey, 'RS256', {}, randomUUID())}` })))),
      );
      for (const refusal of flood) assert.equal(refusal.code, 'invalid_token');
      assert.equal(jwksRequests() - before, 0, 'the start-up fetch was less than a minute ago: no fetch at all');
    } finally {
      await plugin.close?.();
    }
  });

  it('JwksCache: concurrent unknown kids share one fetch once the interval has passed', async () => {
    published = [{ ...first.jwk, kid: 'k1', alg: 'RS256' }];
    const cache = new JwksCache(`${jwksServer.url}/jwks.json`, { refreshIntervalMs: 600_000, minRefetchIntervalMs: 50, timeoutMs: 2000, logger: silent });
    cache.start();
    try {
      // Once the first fetch has finished (a known kid resolves from it) and the 50 ms minimum has passed.
      for (let waited = 0; (await cache.key({ alg: 'RS256', kid: 'k1' }, { payload: '', signature: '', protected: '' }).then(() => false, () => true)) && waited < 3000; waited += 20) await sleep(20);
      await sleep(80);
      assert.equal(cache.fetches, 1);
      const attempts = Array.from({ length: 20 }, () => cache.key({ alg: 'RS256', kid: randomUUID() }, { payload: '', signature: '', protected: '' }).catch(() => 'refused'));
      assert.deepEqual(new Set(await Promise.all(attempts)), new Set(['refused']));
      assert.equal(cache.fetches, 2, 'twenty unknown kids at once: one shared fetch');
    } finally {
      cache.close();
    }
  });
});
