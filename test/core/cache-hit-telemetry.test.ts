// A cache hit in the request telemetry, through the real gateway: no provider reported usage for
// it, so tollgate_tokens_total does not count its tokens (the usage ledger keeps them, with
// cache_hit); the access log line says what the cache did (`cache`: hit, miss, bypass).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import type { StandIn } from '../helpers/stand-in-server.ts';
import { databaseOf } from '../ledger/ledger-helpers.ts';
import { ask, client, openAIEnv, startOpenAIStandIn } from '../plugins/cache/cache-helpers.ts';

/** The sum of a metric's samples whose line starts with `prefix` (its name and labels so far). */
function total(metrics: string, prefix: string): number {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('a cache hit in /metrics and the access log', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  const lines: Array<Record<string, unknown>> = [];

  before(async () => {
    upstream = await startOpenAIStandIn();
    gw = await startGateway('plugins: { cache: {} }\n', openAIEnv(upstream), { logLines: lines });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const accessLine = (id: string) => lines.find((line) => line.type === 'access' && line.id === id);

  it('tollgate_tokens_total counts the provider’s usage once (the miss), not the hit; the ledger keeps the hit’s tokens', async () => {
    const openai = client(gw.baseURL);
    const miss = await ask(openai, 'count me', { temperature: 0 }, { 'x-request-id': 'cache-tokens-miss' });
    const hit = await ask(openai, 'count me', { temperature: 0 }, { 'x-request-id': 'cache-tokens-hit' });
    assert.deepEqual([miss.cache, hit.cache], ['miss', 'hit']);
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    assert.equal(total(metrics, 'tollgate_tokens_total{'), 15, 'the miss’s 10 + 5 tokens only');
    assert.equal(total(metrics, 'tollgate_tokens_total{provider="none"'), 0, 'no tokens without a provider');
    assert.equal(total(metrics, 'tollgate_requests_total{operation="chat",provider="none",model="none",status="200"}'), 1, 'the hit is still a request');
    await gw.gateway.usageLedger.flush();
    const row = await databaseOf(gw.gateway.identity.store).selectFrom('usage_records').selectAll().where('request_id', '=', 'cache-tokens-hit').executeTakeFirst();
    assert.equal(row?.input_tokens, 10, 'the ledger records the hit’s tokens');
    assert.equal(Boolean(row?.cache_hit), true);
  });

  it('the access log line says `cache`: hit, miss or bypass; absent where no cache looked', async () => {
    const openai = client(gw.baseURL);
    await ask(openai, 'log me', {}, { 'x-request-id': 'cache-log-miss' });
    await ask(openai, 'log me', {}, { 'x-request-id': 'cache-log-hit' });
    await ask(openai, 'log me', {}, { 'x-request-id': 'cache-log-bypass', 'cache-control': 'no-store' });
    const models = await fetch(`${gw.baseURL}/models`, { headers: { 'x-request-id': 'cache-log-models' } });
    await models.text();
    // The buffered logger of startGateway writes each line at once.
    assert.equal(accessLine('cache-log-miss')?.cache, 'miss');
    assert.equal(accessLine('cache-log-hit')?.cache, 'hit');
    assert.equal(accessLine('cache-log-bypass')?.cache, 'bypass');
    assert.ok(accessLine('cache-log-models'));
    assert.equal('cache' in accessLine('cache-log-models')!, false, 'the model list: no cache looked');
  });
});
