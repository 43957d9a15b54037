import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { openStore } from '../../../src/store/open-store.ts';
import { PriceCatalog, shippedCatalog } from '../../../src/usage/price-catalog.ts';
import { startGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { databaseOf } from '../../ledger/ledger-helpers.ts';

/** A Gemini answer with 1,000,000 prompt tokens (200,000 of them cached) and 100,000 output tokens: costs read as list prices. */
const answer = {
  candidates: [{ content: { role: 'model', parts: [{ text: 'Hi!' }] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 1_000_000, cachedContentTokenCount: 200_000, candidatesTokenCount: 100_000, totalTokenCount: 1_100_000 },
};

/**
 * Current Gemini models are priced at Google's list prices, on the gemini and the vertex provider
 * alike, so the cost header, the ledger and cost budgets count them (Gemini/Vertex audit, finding 3:
 * gemini-3-flash-preview and gemini-embedding-001 were recorded at $0).
 */
describe('Gemini model prices in the cost header and the ledger', () => {
  let upstream: StandIn;
  let folder: string;
  before(async () => {
    upstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      if (request.path.includes(':embedContent')) response.end(JSON.stringify({ embedding: { values: [0.1, 0.2, 0.3] } }));
      else response.end(JSON.stringify(answer));
    });
    folder = await mkdtemp(join(tmpdir(), 'tollgate-gemini-prices-'));
  });
  after(async () => {
    await upstream.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('gemini-3-flash-preview: $0.50 input, $0.05 cached, $3 output per million; gemini-embedding-001: $0.15 input', async () => {
    const storage = `sqlite:${join(folder, 'ledger.db')}`;
    const gateway = await startGateway('{}', { GEMINI_API_KEY: 'gem-key', GEMINI_BASE_URL: upstream.url }, { storage });
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const expected = 800_000 * 0.5e-6 + 200_000 * 0.05e-6 + 100_000 * 3e-6;
    try {
      const { response } = await client.chat.completions
        .create({ model: 'gemini/gemini-3-flash-preview', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': 'flash-3' } })
        .withResponse();
      assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), Number(expected.toFixed(10)));
      await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'a sentence to embed' }, { headers: { 'x-request-id': 'embedding-001' } });
    } finally {
      await gateway.close();
    }

    const reopened = await openStore(storage);
    try {
      const rows = await databaseOf(reopened.store).selectFrom('usage_records').select(['request_id', 'model', 'cost_usd', 'input_tokens']).execute();
      const byId = new Map(rows.map((row) => [row.request_id, row]));
      assert.equal(Number(byId.get('flash-3')?.cost_usd.toFixed(10)), Number(expected.toFixed(10)));
      const embedding = byId.get('embedding-001');
      assert.ok(embedding && embedding.input_tokens > 0);
      assert.ok(embedding.cost_usd > 0, 'gemini-embedding-001 is not free');
      assert.equal(Number(embedding.cost_usd.toFixed(12)), Number((embedding.input_tokens * 0.15e-6).toFixed(12)));
    } finally {
      await reopened.store.close();
    }
  });

  it('the vertex provider finds the same prices (it is priced from the gemini entries)', () => {
    const catalog = new PriceCatalog(shippedCatalog());
    const vertex = { name: 'my-vertex', type: 'vertex' };
    assert.deepEqual(
      ['gemini-3-flash-preview', 'gemini-embedding-001', 'gemini-3-pro-preview', 'gemini-3.1-pro-preview', 'gemini-2.5-flash-lite', 'gemini-2.5-flash-image'].map((model) => {
        const price = catalog.lookup(vertex, model);
        return [model, price?.input, price?.output, price?.cached_input];
      }),
      [
        ['gemini-3-flash-preview', 0.5, 3, 0.05],
        ['gemini-embedding-001', 0.15, 0, undefined],
        ['gemini-3-pro-preview', 2, 12, 0.2],
        ['gemini-3.1-pro-preview', 2, 12, 0.2],
        ['gemini-2.5-flash-lite', 0.1, 0.4, 0.01],
        ['gemini-2.5-flash-image', 0.3, 30, undefined],
      ],
    );
    assert.equal(catalog.lookup({ name: 'gemini', type: 'gemini' }, 'models/gemini-embedding-001')?.input, 0.15);
  });
});
