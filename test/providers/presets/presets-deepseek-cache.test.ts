import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from '../../formats/openai-responses/ledger-record.ts';

/**
 * DeepSeek's usage as its API reference documents it: cache use as `prompt_cache_hit_tokens` and
 * `prompt_cache_miss_tokens` (hits + misses = prompt_tokens), without OpenAI's prompt_tokens_details.
 */
const documentedUsage = { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, total_tokens: 2_000_000, prompt_cache_hit_tokens: 800_000, prompt_cache_miss_tokens: 200_000 };
/** The same with OpenAI's field too, which (deliberately, to tell them apart) names another count: OpenAI's is read. */
const bothUsage = { ...documentedUsage, prompt_tokens_details: { cached_tokens: 500_000 } };

// Prices of the test's own model (config `pricing:`), USD per million: input 1, cached input 0.1, output 2.
const costWithHits = 0.2 * 1 + 0.8 * 0.1 + 2;
const costWithOpenAIField = 0.5 * 1 + 0.5 * 0.1 + 2;

function usageFor(model: string): Record<string, unknown> {
  return model === 'ds-both' ? bothUsage : documentedUsage;
}

function deepSeek(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { model: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
  const usage = usageFor(body.model);
  if (body.stream) {
    // Asked for (the gateway always asks), the usage comes as OpenAI sends it: a last chunk with `choices: []`.
    const head = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: body.model, system_fingerprint: 'fp_1' };
    const usageChunk = body.stream_options?.include_usage ? [{ ...head, choices: [], usage }] : [];
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(
      sseBody([
        { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello' }, logprobs: null, finish_reason: null }] },
        { ...head, choices: [{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: 'stop' }] },
        ...usageChunk,
        '[DONE]',
      ]),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, logprobs: null, finish_reason: 'stop' }], usage, system_fingerprint: 'fp_1' }));
}

describe("DeepSeek's prompt_cache_hit_tokens are cached tokens (cost, ledger, translated clients)", () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;
  let anthropic: Anthropic;

  before(async () => {
    upstream = await startStandIn(deepSeek);
    gateway = await startGateway(`
providers:
  deepseek: { type: deepseek, api_key: ds-key, base_url: "${upstream.url}" }
pricing:
  deepseek:
    ds-hits: { input: 1, output: 2, cached_input: 0.1 }
    ds-both: { input: 1, output: 2, cached_input: 0.1 }
`);
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('not streamed: the hit tokens are priced as cached input and recorded as cached_tokens; the OpenAI client gets the usage as DeepSeek sent it', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'deepseek/ds-hits', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.deepEqual(data.usage, documentedUsage);
    assert.ok(Math.abs(Number(response.headers.get('x-tollgate-cost-usd')) - costWithHits) < 1e-9, String(response.headers.get('x-tollgate-cost-usd')));
    const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
    assert.equal(record.cached_tokens, 800_000);
    assert.ok(Math.abs(record.cost_usd - costWithHits) < 1e-9, String(record.cost_usd));
  });

  for (const includeUsage of [true, false]) {
    it(`streamed (include_usage ${includeUsage}): the ledger has the hit tokens as cached_tokens and their price`, async () => {
      const { data: stream, response } = await client.chat.completions.create({ model: 'deepseek/ds-hits', messages: [{ role: 'user', content: 'hi' }], stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) }).withResponse();
      const usages = [];
      for await (const chunk of stream) if (chunk.usage) usages.push(chunk.usage);
      assert.deepEqual(usages, includeUsage ? [documentedUsage] : [], 'the usage chunk as DeepSeek sent it, only when asked');
      const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
      assert.equal(record.cached_tokens, 800_000);
      assert.ok(Math.abs(record.cost_usd - costWithHits) < 1e-9, String(record.cost_usd));
    });
  }

  it("with OpenAI's prompt_tokens_details.cached_tokens present too, that count is kept, as before", async () => {
    const { data, response } = await client.chat.completions.create({ model: 'deepseek/ds-both', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.deepEqual(data.usage, bothUsage);
    assert.ok(Math.abs(Number(response.headers.get('x-tollgate-cost-usd')) - costWithOpenAIField) < 1e-9, String(response.headers.get('x-tollgate-cost-usd')));
    const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
    assert.equal(record.cached_tokens, 500_000);
  });

  it('an Anthropic client gets the hits as cache_read_input_tokens, not streamed and streamed', async () => {
    const message = await anthropic.messages.create({ model: 'deepseek/ds-hits', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(message.usage.cache_read_input_tokens, 800_000);
    assert.equal(message.usage.input_tokens, 200_000);
    const streamed = await anthropic.messages.stream({ model: 'deepseek/ds-hits', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    assert.equal(streamed.usage.cache_read_input_tokens, 800_000);
    assert.equal(streamed.usage.input_tokens, 200_000);
    const both = await anthropic.messages.create({ model: 'deepseek/ds-both', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(both.usage.cache_read_input_tokens, 500_000);
  });

  it('a Responses client gets the hits as input_tokens_details.cached_tokens', async () => {
    const result = await client.responses.create({ model: 'deepseek/ds-hits', input: 'hi' });
    assert.equal(result.usage?.input_tokens_details.cached_tokens, 800_000);
  });
});
