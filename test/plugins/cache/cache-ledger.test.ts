import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../../src/store/open-store.ts';
import { startGateway } from '../../helpers/start-gateway.ts';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { databaseOf } from '../../ledger/ledger-helpers.ts';
import { ask, callsTo, client, openAIEnv, startOpenAIStandIn } from './cache-helpers.ts';

describe('cache plugin and the usage ledger', () => {
  let upstream: StandIn;
  let folder: string;
  before(async () => {
    upstream = await startOpenAIStandIn();
    folder = await mkdtemp(join(tmpdir(), 'tollgate-cache-ledger-'));
  });
  after(async () => {
    await upstream.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('records a hit with cache_hit true, the stored usage and cost 0', async () => {
    const storage = `sqlite:${join(folder, 'ledger.db')}`;
    const gw = await startGateway('plugins: { cache: {} }\npricing:\n  openai: { gpt-4o-mini: { input: 1000, output: 2000 } }\n', openAIEnv(upstream), { storage });
    const openai = client(gw.baseURL);
    const { response: missResponse } = await openai.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'ledger' }] }, { headers: { 'x-request-id': 'cache-miss-1' } }).withResponse();
    const { response: hitResponse } = await openai.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'ledger' }] }, { headers: { 'x-request-id': 'cache-hit-1' } }).withResponse();
    assert.equal(missResponse.headers.get('x-tollgate-cache'), 'miss');
    assert.equal(hitResponse.headers.get('x-tollgate-cache'), 'hit');
    assert.equal(callsTo(upstream, '/chat/completions'), 1);
    await gw.close();

    const reopened = await openStore(storage);
    try {
      const rows = await databaseOf(reopened.store).selectFrom('usage_records').select(['request_id', 'cache_hit', 'cost_usd', 'input_tokens', 'output_tokens', 'status']).orderBy('request_id').execute();
      const byId = new Map(rows.map((row) => [row.request_id, row]));
      const miss = byId.get('cache-miss-1');
      const hit = byId.get('cache-hit-1');
      assert.ok(miss && hit, 'both requests recorded');
      assert.equal(Boolean(miss.cache_hit), false);
      assert.ok(Number(miss.cost_usd) > 0, 'the miss is priced');
      assert.equal(Boolean(hit.cache_hit), true);
      assert.equal(Number(hit.cost_usd), 0, 'a hit costs nothing upstream');
      assert.equal(hit.input_tokens, 10);
      assert.equal(hit.output_tokens, 5);
      assert.equal(hit.status, 200);
    } finally {
      await reopened.store.close();
    }
  });
});

// Also exercised here: the key ignores member order and delivery-only fields.
describe('cache key', () => {
  it('is the same for objects whose keys are in another order', async () => {
    const { stableJson } = await import('../../../src/plugins/cache/cache-key.ts');
    assert.equal(stableJson({ b: 1, a: [{ y: 2, x: null }], c: undefined }), '{"a":[{"x":null,"y":2}],"b":1}');
  });
});
