import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { PriceCatalog, shippedCatalog } from '../../src/usage/price-catalog.ts';

/**
 * What src/usage/README.md says of the catalogue is what the catalogue holds: the models it names
 * as left out (served at $0) have no price, and `gemini-embedding-001`, which it used to name among
 * them while the catalogue and the vertex README price it at $0.15 per million input tokens (the
 * multimodal audit's finding 5), is priced, through the gateway too.
 */

const readme = readFileSync(new URL('../../src/usage/README.md', import.meta.url), 'utf8');
const catalog = new PriceCatalog(shippedCatalog());

/** The provider type whose catalogue would price a model of this name. */
function typeOf(model: string): string {
  if (model.startsWith('amazon.') || model.startsWith('cohere.')) return 'bedrock';
  if (model.startsWith('embed-')) return 'cohere';
  if (model.startsWith('gemini')) return 'gemini';
  return 'openai';
}

describe("the usage README's account of the price catalogue", () => {
  const leftOut = /left out rather than guessed, for\s+example ([\s\S]*?)Such a model/.exec(readme)?.[1] ?? '';
  const named = [...leftOut.matchAll(/`([^`]+)`/g)].map((match) => match[1]);

  it('names models as left out, and none of them has a price', () => {
    assert.ok(named.length >= 5, `models found in the README: ${JSON.stringify(named)}`);
    for (const model of named) assert.equal(catalog.lookup({ name: typeOf(model), type: typeOf(model) }, model), null, `${model} is priced, yet the README says it is left out`);
  });

  it('does not call gemini-embedding-001 (or the other Gemini entries read from dated copies) unpriced: they are priced', () => {
    for (const model of ['gemini-embedding-001', 'gemini-3-flash-preview', 'gemini-3.1-pro-preview', 'gemini-2.5-flash-image']) {
      assert.ok(!named.includes(model), `${model} is listed as left out`);
      assert.ok(catalog.lookup({ name: 'gemini', type: 'gemini' }, model), `${model} has a price`);
    }
    assert.equal(catalog.lookup({ name: 'gemini', type: 'gemini' }, 'gemini-embedding-001')?.input, 0.15);
    assert.equal(catalog.lookup({ name: 'vertex', type: 'vertex' }, 'gemini-embedding-001')?.input, 0.15);
    assert.match(readme, /`gemini-embedding-001` \(\$0\.15 per million input\s+tokens\)/);
  });
});

describe('gemini-embedding-001 through the gateway is priced at $0.15 per million input tokens', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ embedding: { values: [0.1, 0.2, 0.3] } }));
    });
    gateway = await startGateway(`providers:\n  gem: { type: gemini, api_key: gem-key, base_url: "${upstream.url}" }\n`);
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('the cost header is the estimated tokens at $0.15/M, not $0', async () => {
    const response = await fetch(`${gateway.baseURL}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gem/gemini-embedding-001', input: 'the quick brown fox jumps over the lazy dog', encoding_format: 'float' }) });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { usage: { prompt_tokens: number } };
    assert.ok(body.usage.prompt_tokens > 0);
    const cost = Number(response.headers.get('x-tollgate-cost-usd'));
    assert.ok(Math.abs(cost - (body.usage.prompt_tokens * 0.15) / 1e6) < 1e-12, `cost ${cost} for ${body.usage.prompt_tokens} tokens`);
  });
});
