import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { ask, callsTo, client, startOpenAIStandIn } from './cache-helpers.ts';

/**
 * A request that runs on the client's own provider key (BYOK) was paid for with that key: its
 * cached answer goes only to callers who bring the same key (and share the caller scope), never
 * to callers with another key, a garbage key, or none (the security audit's M2).
 */

/** The provider credential the stand-in got on its last chat call. */
function lastCredential(upstream: StandIn): string | undefined {
  return upstream.requests.filter((request) => request.path.endsWith('/chat/completions')).at(-1)?.headers.authorization;
}

describe('cache plugin with BYOK: an answer bought with one provider key is not served to another', () => {
  let upstream: StandIn;
  let open: RunningGateway;
  let keyed: RunningGateway;
  let perRoute: RunningGateway;

  before(async () => {
    upstream = await startOpenAIStandIn();
    // The audit's gwb.yaml: no gateway authentication, every client brings its own OpenAI key.
    open = await startGateway(`providers: { openai: { type: openai, base_url: "${upstream.url}/v1", byok: true } }\nplugins: { cache: { ttl: 5m } }\n`);
    // key-auth on, one consumer with two gateway keys; the provider has a key of its own too.
    keyed = await startGateway(`providers: { openai: { type: openai, base_url: "${upstream.url}/v1", byok: true, api_key: sk-operator } }
plugins:
  cache: {}
  key-auth: { keys: [{ key: tg-first, consumer: app }, { key: tg-second, consumer: app }] }
`);
    // BYOK per route (the byok plugin) with the gateway's own key as the default.
    perRoute = await startGateway(`providers: { openai: { type: openai, base_url: "${upstream.url}/v1", api_key: sk-operator } }
models: { mine: { targets: [{ provider: openai, model: gpt-4o-mini }] } }
routes: [{ match: { model: mine }, plugins: { byok: { providers: [openai] } } }]
plugins: { cache: {} }
`);
  });
  after(async () => {
    await open.close();
    await keyed.close();
    await perRoute.close();
    await upstream.close();
  });

  it('without gateway authentication: another key, a garbage key and no key never get the entry', async () => {
    const before = callsTo(upstream, '/chat/completions');
    const tenantA = await ask(client(open.baseURL, 'sk-tenantA-aaaa'), 'byok prompt');
    assert.equal(tenantA.cache, 'miss');
    assert.equal(lastCredential(upstream), 'Bearer sk-tenantA-aaaa');

    const tenantB = await ask(client(open.baseURL, 'sk-tenantB-bbbb'), 'byok prompt');
    assert.equal(tenantB.cache, 'miss', "tenant B pays for its own answer");
    assert.equal(lastCredential(upstream), 'Bearer sk-tenantB-bbbb');
    assert.notEqual(tenantB.text, tenantA.text);

    const garbage = await ask(client(open.baseURL, 'garbage'), 'byok prompt');
    assert.equal(garbage.cache, 'miss');
    assert.equal(lastCredential(upstream), 'Bearer garbage');

    // No key at all: the provider has none of its own, so 401 missing_provider_key, not A's answer.
    const response = await fetch(`${open.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'byok prompt' }] }) });
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'missing_provider_key');

    // The same key (in either header) still gets its own entry back.
    const again = await ask(client(open.baseURL, 'unused-bearer', { 'x-provider-api-key': 'sk-tenantA-aaaa' }), 'byok prompt');
    assert.equal(again.cache, 'hit');
    assert.equal(again.text, tenantA.text);
    assert.equal(callsTo(upstream, '/chat/completions') - before, 3);
  });

  it('with key-auth: two provider keys of one consumer, and the gateway key, each have their own entries', async () => {
    const before = callsTo(upstream, '/chat/completions');
    const withA = await ask(client(keyed.baseURL, 'tg-first', { 'x-provider-api-key': 'sk-clientA' }), 'consumer prompt');
    assert.equal(withA.cache, 'miss');
    assert.equal(lastCredential(upstream), 'Bearer sk-clientA');

    const withB = await ask(client(keyed.baseURL, 'tg-first', { 'x-provider-api-key': 'sk-clientB' }), 'consumer prompt');
    assert.equal(withB.cache, 'miss');
    assert.equal(lastCredential(upstream), 'Bearer sk-clientB');

    const withNone = await ask(client(keyed.baseURL, 'tg-first'), 'consumer prompt');
    assert.equal(withNone.cache, 'miss', "the operator's key is not served a client's answer either");
    assert.equal(lastCredential(upstream), 'Bearer sk-operator');

    // The consumer's other gateway key with the same provider key shares the entry (the scope is the consumer).
    const secondKeyA = await ask(client(keyed.baseURL, 'tg-second', { 'x-provider-api-key': 'sk-clientA' }), 'consumer prompt');
    assert.equal(secondKeyA.cache, 'hit');
    assert.equal(secondKeyA.text, withA.text);
    const secondKeyNone = await ask(client(keyed.baseURL, 'tg-second'), 'consumer prompt');
    assert.equal(secondKeyNone.cache, 'hit');
    assert.equal(secondKeyNone.text, withNone.text);
    assert.equal(callsTo(upstream, '/chat/completions') - before, 3);
  });

  it('per route (the byok plugin): the client key scopes the entry on that route', async () => {
    const own = await ask(client(perRoute.baseURL, 'sk-route-client'), 'route prompt', { model: 'mine' });
    assert.equal(own.cache, 'miss');
    assert.equal(lastCredential(upstream), 'Bearer sk-route-client');
    assert.equal((await ask(client(perRoute.baseURL, 'sk-another-client'), 'route prompt', { model: 'mine' })).cache, 'miss');
    assert.equal((await ask(client(perRoute.baseURL, 'sk-route-client'), 'route prompt', { model: 'mine' })).cache, 'hit');
  });

  it('without BYOK on the request, bearer tokens that are no provider key do not split entries (no authentication: everyone shares)', async () => {
    const first = await ask(client(perRoute.baseURL, 'one-dummy-key'), 'not byok');
    assert.equal(first.cache, 'miss');
    assert.equal(lastCredential(upstream), 'Bearer sk-operator');
    const second = await ask(client(perRoute.baseURL, 'another-dummy-key'), 'not byok');
    assert.equal(second.cache, 'hit');
    assert.equal(second.text, first.text);
  });

  it("a route chosen from the caller's metadata after authentication: an answer the client's key paid for is not stored without that key's scope", async () => {
    const gw = await startGateway(`providers:
  plain: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: sk-operator }
  byo:   { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: sk-byo-operator, byok: true }
models: { general: { targets: [{ provider: plain, model: gpt-4o-mini }] } }
routes: [{ match: { model: general, metadata: { tier: gold } }, model: byo/gpt-4o-mini }]
plugins:
  cache: {}
  key-auth: { keys: [{ key: tg-gold, consumer: gold, metadata: { tier: gold } }] }
`);
    try {
      const first = await ask(client(gw.baseURL, 'tg-gold', { 'x-provider-api-key': 'sk-gold-A' }), 'tier prompt', { model: 'general' });
      assert.equal(first.cache, 'miss');
      assert.equal(lastCredential(upstream), 'Bearer sk-gold-A');
      const other = await ask(client(gw.baseURL, 'tg-gold', { 'x-provider-api-key': 'sk-gold-B' }), 'tier prompt', { model: 'general' });
      assert.equal(other.cache, 'miss', "another provider key of the same consumer does not get A's answer");
      assert.equal(lastCredential(upstream), 'Bearer sk-gold-B');
    } finally {
      await gw.close();
    }
  });
});
