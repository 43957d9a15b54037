import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { ledgerRecord } from '../formats/openai-responses/ledger-record.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// An answer without usage is recorded at the gateway's estimate (flagged cost_estimated), the
// estimate the token limits kept as their reservation. A model without a price has no estimated
// cost, but its tokens are estimated all the same, at cost 0: its rows used to say 0 tokens while
// the limit had charged the estimate (embeddings audit, F1), so /usage and the limit disagreed.

const input = 'a fairly long sentence of input text that should be estimated at a dozen tokens or more';
const tokenLimit = 100_000;

describe('answers without usage of a model without a price, in the ledger', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;

  before(async () => {
    // An OpenAI-compatible server that reports no usage (older vLLM embeddings, custom servers).
    upstream = await startStandIn((request, response) => {
      const { model } = request.json as { model: string };
      response.writeHead(200, { 'content-type': 'application/json' });
      if (request.path.endsWith('/embeddings')) {
        response.end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] }], model }));
        return;
      }
      response.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'Paris is the capital of France, and has been for centuries.' }, finish_reason: 'stop' }] }));
    });
    gateway = await startGateway(`
providers:
  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [priced-embed, unpriced-embed, priced-chat, unpriced-chat] }
pricing:
  local:
    priced-embed: { input: 1, output: 0 }
    priced-chat: { input: 1, output: 2 }
plugins:
  rate-limit: { limits: [{ scope: "header:x-tpm", tokens: ${tokenLimit}, per: minute }] }
`);
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const headers = () => ({ 'x-tpm': randomUUID() });

  it('embeddings: the estimated input tokens the limit reserved, at cost 0, as a priced model records them', async () => {
    const unpriced = await client.embeddings.create({ model: 'local/unpriced-embed', input, encoding_format: 'float' }, { headers: headers() }).withResponse();
    const priced = await client.embeddings.create({ model: 'local/priced-embed', input, encoding_format: 'float' }, { headers: headers() }).withResponse();
    assert.equal(unpriced.response.headers.get('x-tollgate-cost-usd'), null, 'a model without a price gets no cost header');
    const reserved = tokenLimit - Number(unpriced.response.headers.get('x-ratelimit-remaining-tokens'));
    const row = await ledgerRecord(gateway, unpriced.response.headers.get('x-request-id')!);
    const pricedRow = await ledgerRecord(gateway, priced.response.headers.get('x-request-id')!);
    assert.ok(reserved > 10, `reserved ${reserved}`);
    assert.deepEqual([row.input_tokens, row.output_tokens, row.cost_usd, row.cost_estimated], [reserved, 0, 0, 1]);
    assert.deepEqual([pricedRow.input_tokens, pricedRow.output_tokens, pricedRow.cost_estimated], [reserved, 0, 1]);
  });

  it('chat not streamed: the prompt and the answer estimated, at cost 0, as a priced model records them', async () => {
    const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }];
    const unpriced = await client.chat.completions.create({ model: 'local/unpriced-chat', messages }, { headers: headers() }).withResponse();
    const priced = await client.chat.completions.create({ model: 'local/priced-chat', messages }, { headers: headers() }).withResponse();
    assert.equal(unpriced.response.headers.get('x-tollgate-cost-usd'), null);
    const row = await ledgerRecord(gateway, unpriced.response.headers.get('x-request-id')!);
    const pricedRow = await ledgerRecord(gateway, priced.response.headers.get('x-request-id')!);
    assert.ok(pricedRow.input_tokens > 0 && pricedRow.output_tokens > 0, JSON.stringify(pricedRow));
    assert.deepEqual([row.input_tokens, row.output_tokens, row.cost_usd, row.cost_estimated], [pricedRow.input_tokens, pricedRow.output_tokens, 0, 1]);
  });
});
