import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { IdentityCache } from '../../src/identity/identity-cache.ts';
import type { RequestContext } from '../../src/pipeline/context.ts';
import type { Plugin } from '../../src/pipeline/plugin.ts';
import { createKeyAuthPlugin } from '../../src/plugins/key-auth/index.ts';
import { keyAuthConfigSchema } from '../../src/plugins/key-auth/key-auth-config.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';

function context(headers: Record<string, string>, model = 'gpt-4o-mini', clientIp = '127.0.0.1'): RequestContext {
  return { headers, requestedModel: model, clientIp, caller: {}, state: new Map() } as unknown as RequestContext;
}

describe('key-auth plugin', () => {
  let store: KyselyStore;
  let cache: IdentityCache;
  let plugin: Plugin;
  let secret: string;
  let keyId: string;
  let consumerId: string;
  let teamId: string;

  before(async () => {
    store = (await openStore('sqlite::memory:')).store;
    const team = await store.createTeam({ name: 'search' }, 'test');
    const consumer = await store.createConsumer({ name: 'crawler', team_id: team.id, metadata: { tier: 'silver', region: 'eu' } }, 'test');
    const created = await store.createKey({ consumer_id: consumer.id, team_id: team.id, metadata: { tier: 'gold' } }, 'test');
    secret = created.secret;
    keyId = created.key.id;
    consumerId = consumer.id;
    teamId = team.id;
    cache = new IdentityCache(store);
    await cache.start();
    const config = keyAuthConfigSchema.parse({ keys: [{ key: 'declared-secret', consumer: 'ops-script', team: 'ops', metadata: { tier: 'internal' } }, { key: '', consumer: 'unset' }] });
    plugin = createKeyAuthPlugin(config, { logger: pino({ level: 'silent' }), metrics: new GatewayMetrics(), identity: cache });
  });
  after(async () => {
    await cache.stop();
    await store.close();
  });

  it('sets ctx.caller from the store: consumer, key, team, metadata (key over consumer)', () => {
    const ctx = context({ authorization: `Bearer ${secret}` });
    plugin.onRequest!(ctx);
    assert.deepEqual(ctx.caller, { consumer: 'crawler', consumerId, key: keyId, team: 'search', teamId, metadata: { tier: 'gold', region: 'eu' } });
  });

  it('sets ctx.caller from a declared key', () => {
    const ctx = context({ 'x-api-key': 'declared-secret' });
    plugin.onRequest!(ctx);
    assert.deepEqual(ctx.caller, { consumer: 'ops-script', consumerId: 'config:ops-script', key: `config-key-${createHash('sha256').update('declared-secret').digest('hex').slice(0, 12)}`, team: 'ops', teamId: 'config:ops', metadata: { tier: 'internal' } });
  });

  it('reads the Bearer scheme case-insensitively and ignores an empty declared key', () => {
    const ctx = context({ authorization: `bearer ${secret}` });
    plugin.onRequest!(ctx);
    assert.equal(ctx.caller.consumer, 'crawler');
    assert.throws(() => plugin.onRequest!(context({ authorization: 'Bearer ' })), { code: 'missing_api_key' });
  });
});
