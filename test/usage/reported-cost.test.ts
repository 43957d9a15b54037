import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import OpenAI, { RateLimitError } from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import type { Usage } from '../../src/canonical/chat.ts';
import { priceCatalogFor } from '../../src/usage/price-catalog.ts';
import { reportedCost } from '../../src/usage/reported-cost.ts';
import { requestCost } from '../../src/usage/request-cost.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

const tokens = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 };
/** Perplexity's usage: the tokens' cost and the per-request search fee, and their total. */
const perplexityUsage = { ...tokens, search_context_size: 'low', citation_tokens: 0, num_search_queries: 1, cost: { input_tokens_cost: 0.001, output_tokens_cost: 0.0005, request_cost: 0.005, total_cost: 0.0065 } };

describe('reportedCost: the cost a provider reports in its usage', () => {
  it('OpenRouter: usage.cost; with BYOK the upstream charge is added', () => {
    assert.equal(reportedCost('openrouter', { ...tokens, cost: 0.000123, is_byok: false, cost_details: { upstream_inference_cost: 0.000123 } }), 0.000123);
    assert.equal(reportedCost('openrouter', { ...tokens, cost: 0.00001, is_byok: true, cost_details: { upstream_inference_cost: 0.0002 } }), 0.00021);
    assert.equal(reportedCost('openrouter', { ...tokens, cost: 0 }), 0, 'a free model costs nothing, not an unknown amount');
    assert.equal(reportedCost('openrouter', tokens), undefined);
  });

  it('Perplexity: usage.cost.total_cost', () => {
    assert.equal(reportedCost('perplexity', perplexityUsage), 0.0065);
    assert.equal(reportedCost('perplexity', { ...tokens, cost: 0.2 }), undefined);
  });

  it('no other provider type, and nothing that is not a cost', () => {
    assert.equal(reportedCost('openai', { ...tokens, cost: 1 }), undefined);
    assert.equal(reportedCost('openrouter', { ...tokens, cost: -1 }), undefined);
    assert.equal(reportedCost('openrouter', { ...tokens, cost: '0.1' } as Usage), undefined);
  });

  it('wins over the catalogue in requestCost; other providers keep the catalogue price', () => {
    const catalog = priceCatalogFor({ openrouter: { '*': { input: 100, output: 100 } } });
    const served = (type: string, model: string) => ({ operation: 'chat' as const, body: { model, messages: [] }, usage: null, target: { model, provider: { settings: { name: type, type } } } });
    assert.deepEqual(requestCost(catalog, served('openrouter', 'openai/gpt-4o-mini'), { ...tokens, cost: 0.000123 }), { usd: 0.000123, estimated: false });
    assert.deepEqual(requestCost(catalog, served('perplexity', 'sonar'), perplexityUsage), { usd: 0.0065, estimated: false });
    // Without a reported cost, the catalogue (here the config's "*") prices the tokens.
    assert.deepEqual(requestCost(catalog, served('openrouter', 'openai/gpt-4o-mini'), tokens), { usd: 0.15, estimated: false });
    // Perplexity's catalogue prices tokens only: $1 / $1 per million for sonar.
    assert.deepEqual(requestCost(catalog, served('perplexity', 'sonar'), { ...tokens, cost: undefined }), { usd: 0.0015, estimated: false });
  });
});

describe('reported cost through the gateway: header, translated clients and budgets', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const openRouter = request.path.startsWith('/openrouter');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 1,
          model: 'sonar',
          choices: [{ index: 0, message: { role: 'assistant', content: 'Paris [1].' }, finish_reason: 'stop' }],
          ...(openRouter ? { usage: { ...tokens, cost: 0.000123 } } : { citations: ['https://en.wikipedia.org/wiki/Paris'], usage: perplexityUsage }),
        }),
      );
    });
    gateway = await startGateway(`
providers:
  perplexity: { type: perplexity, api_key: pplx-key, base_url: "${upstream.url}/perplexity" }
  openrouter: { type: openrouter, api_key: or-key, base_url: "${upstream.url}/openrouter/api/v1" }
plugins:
  rate-limit:
    limits:
      - { scope: global, cost_usd: 0.0003, per: month, name: "openrouter budget" }
routes:
  - match: { model: "perplexity/*" }
    plugins: { rate-limit: false }
`);
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it("Perplexity: x-tollgate-cost-usd is its total_cost, request fee included (OpenAI and Anthropic clients)", async () => {
    const openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const { response } = await openai.chat.completions.create({ model: 'perplexity/sonar', messages: [{ role: 'user', content: 'Capital of France?' }] }).withResponse();
    assert.equal(response.headers.get('x-tollgate-cost-usd'), '0.0065');
    const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
    const translated = await anthropic.messages.create({ model: 'perplexity/sonar', max_tokens: 64, messages: [{ role: 'user', content: 'Capital of France?' }] }).withResponse();
    assert.equal(translated.response.headers.get('x-tollgate-cost-usd'), '0.0065');
  });

  it('a cost budget is charged what OpenRouter reports, though the catalogue has no price for it', async () => {
    const openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const call = () => openai.chat.completions.create({ model: 'openrouter/openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    // $0.000123 a call: the third takes the spend past $0.0003, so the fourth is refused.
    for (let index = 0; index < 3; index++) {
      await call();
      await sleep(30); // the budget is charged in the log phase, after the answer
    }
    await assert.rejects(call(), (error: unknown) => error instanceof RateLimitError && (error.error as { code: string }).code === 'budget_exceeded');
  });
});
