import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from '../../formats/openai-responses/ledger-record.ts';

/**
 * xAI's usage as docs.x.ai documents it ("reasoning token consumption will be counted separately
 * from completion_tokens, but will be counted in the total_tokens"): the 300 reasoning tokens are
 * beside the 10 completion tokens, total = 100 + 10 + 300, and they are billed at the output price.
 */
const xaiUsage = { prompt_tokens: 100, completion_tokens: 10, total_tokens: 410, prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 300 } };
/** OpenAI's rule, which other services follow: the reasoning is inside completion_tokens (total = prompt + completion). */
const openAIUsage = { prompt_tokens: 100, completion_tokens: 310, total_tokens: 410, prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 300 } };

// Prices of the test's own models (config `pricing:`), USD per million: input 1, cached input 0.5, output 10.
// 60 × 1 + 40 × 0.5 + (10 + 300) × 10, per million: the reasoning at the output price, either way.
const callCost = (60 * 1 + 40 * 0.5 + 310 * 10) / 1e6;

function usageFor(model: string): Record<string, unknown> {
  return model === 'grok-inside' ? openAIUsage : xaiUsage;
}

function xai(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { model: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
  const usage = usageFor(body.model);
  const head = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: body.model, system_fingerprint: 'fp_1' };
  if (body.stream) {
    const usageChunk = body.stream_options?.include_usage ? [{ ...head, choices: [], usage }] : [];
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(
      sseBody([
        { ...head, choices: [{ index: 0, delta: { role: 'assistant', reasoning_content: 'Thinking.' }, finish_reason: null }] },
        { ...head, choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] },
        { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        ...usageChunk,
        '[DONE]',
      ]),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', reasoning_content: 'Thinking.' }, finish_reason: 'stop' }], usage, system_fingerprint: 'fp_1' }));
}

function assertCost(actual: unknown, label: string): void {
  assert.ok(Math.abs(Number(actual) - callCost) < 1e-9, `${label}: ${String(actual)}, expected ${callCost}`);
}

describe("xAI's reasoning tokens reported beside completion_tokens are output (cost, ledger, translated clients)", () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;
  let anthropic: Anthropic;

  before(async () => {
    upstream = await startStandIn(xai);
    gateway = await startGateway(`
providers:
  xa: { type: xai, api_key: xai-key, base_url: "${upstream.url}/v1" }
pricing:
  xa:
    grok-mini: { input: 1, output: 10, cached_input: 0.5 }
    grok-inside: { input: 1, output: 10, cached_input: 0.5 }
`);
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('not streamed: the reasoning is priced and recorded as output; the OpenAI client gets the usage as xAI sent it', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'xa/grok-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.deepEqual(data.usage, xaiUsage);
    assertCost(response.headers.get('x-tollgate-cost-usd'), 'cost header');
    const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
    assert.deepEqual([record.input_tokens, record.output_tokens, record.cached_tokens, record.reasoning_tokens], [100, 310, 40, 300]);
    assertCost(record.cost_usd, 'ledger');
  });

  for (const includeUsage of [true, false]) {
    it(`streamed (include_usage ${includeUsage}): the ledger has the reasoning in output and its price`, async () => {
      const { data: stream, response } = await client.chat.completions.create({ model: 'xa/grok-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) }).withResponse();
      const usages = [];
      for await (const chunk of stream) if (chunk.usage) usages.push(chunk.usage);
      assert.deepEqual(usages, includeUsage ? [xaiUsage] : [], 'the usage chunk as xAI sent it, only when asked');
      const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
      assert.deepEqual([record.output_tokens, record.reasoning_tokens], [310, 300]);
      assertCost(record.cost_usd, 'ledger');
    });
  }

  it("a usage that follows OpenAI's rule (reasoning inside completion_tokens) is read as it is", async () => {
    const { data, response } = await client.chat.completions.create({ model: 'xa/grok-inside', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.deepEqual(data.usage, openAIUsage);
    assertCost(response.headers.get('x-tollgate-cost-usd'), 'cost header');
    const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
    assert.deepEqual([record.output_tokens, record.reasoning_tokens], [310, 300]);
  });

  it('a Responses client gets output_tokens with the reasoning in them, not streamed and streamed', async () => {
    const result = await client.responses.create({ model: 'xa/grok-mini', input: 'hi' });
    assert.equal(result.usage?.output_tokens, 310);
    assert.equal(result.usage?.output_tokens_details.reasoning_tokens, 300);
    assert.equal(result.usage?.total_tokens, 410);
    const stream = await client.responses.create({ model: 'xa/grok-mini', input: 'hi', stream: true });
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) if (event.type === 'response.completed') completed = event.response;
    assert.equal(completed?.usage?.output_tokens, 310);
  });

  it('an Anthropic client gets output_tokens with the reasoning in them, not streamed and streamed', async () => {
    const message = await anthropic.messages.create({ model: 'xa/grok-mini', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(message.usage.output_tokens, 310);
    const streamed = await anthropic.messages.stream({ model: 'xa/grok-mini', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    assert.equal(streamed.usage.output_tokens, 310);
  });
});

describe("a cached xAI answer's ledger row", () => {
  let upstream: StandIn;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startStandIn(xai);
    gateway = await startGateway(`
providers:
  xa: { type: xai, api_key: xai-key, base_url: "${upstream.url}/v1" }
plugins: { cache: {} }
`);
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('has the reasoning in output_tokens too (the stored answer keeps the usage xAI sent)', async () => {
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const ask = () => client.chat.completions.create({ model: 'xa/grok-mini', messages: [{ role: 'user', content: 'cache me' }], temperature: 0 }).withResponse();
    await ask();
    const hit = await ask();
    assert.equal(hit.response.headers.get('x-tollgate-cache'), 'hit');
    assert.deepEqual(hit.data.usage, xaiUsage);
    const record = await ledgerRecord(gateway, hit.response.headers.get('x-request-id')!);
    assert.equal(Boolean(record.cache_hit), true);
    assert.deepEqual([record.output_tokens, record.reasoning_tokens], [310, 300]);
  });
});
