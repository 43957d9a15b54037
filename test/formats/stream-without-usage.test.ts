import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { ledgerRecord } from './openai-responses/ledger-record.ts';

function chunk(delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> {
  return { id: 'chatcmpl-F5', object: 'chat.completion.chunk', created: 1, model: 'llama', choices: [{ index: 0, delta, finish_reason: finish }] };
}
/** An older OpenAI-compatible server: it ignores stream_options.include_usage and sends no usage. */
const withoutUsage = sseBody([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hello' }), chunk({ content: ' there' }), chunk({}, 'stop'), '[DONE]']);
const reported = { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 };
const withUsage = sseBody([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hello' }), chunk({ content: ' there' }), chunk({}, 'stop'), { ...chunk({}), choices: [], usage: reported }, '[DONE]']);

/**
 * A stream whose provider reports no usage: the Anthropic-format and Responses API clients get the
 * gateway's estimate, the one the usage ledger records (the prompt's estimate, about a token per
 * streamed output event), marked `"estimated": true`, instead of 0/0 or null.
 */
describe('a stream without provider usage, to /v1/messages and /v1/responses clients', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let anthropic: Anthropic;
  let openai: OpenAI;
  let body = withoutUsage;

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(body);
    });
    gateway = await startGateway(`
providers:
  old: { type: openai-compatible, base_url: "${upstream.url}/v1" }
pricing:
  old: { "*": { input: 1000, output: 2000 } }
`);
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => {
    body = withoutUsage;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('/v1/messages: message_delta carries the estimate message_start began with and the streamed output, marked estimated; the ledger records the same', async () => {
    const { data: stream, response } = await anthropic.messages.create({ model: 'old/llama', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'Say hello to everyone in the room, please.' }] }).withResponse();
    let start: Record<string, unknown> | undefined;
    let end: Record<string, unknown> | undefined;
    for await (const event of stream) {
      if (event.type === 'message_start') start = event.message.usage as unknown as Record<string, unknown>;
      if (event.type === 'message_delta') end = event.usage as unknown as Record<string, unknown>;
    }
    assert.ok(start && end);
    assert.ok((start.input_tokens as number) > 0);
    assert.deepEqual(end, { input_tokens: start.input_tokens, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, estimated: true });
    const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
    assert.deepEqual([record.input_tokens, record.output_tokens, Number(record.cost_estimated)], [start.input_tokens, 2, 1]);

    // The SDK's own accumulation reads it too.
    const final = await anthropic.messages.stream({ model: 'old/llama', max_tokens: 50, messages: [{ role: 'user', content: 'Say hello to everyone in the room, please.' }] }).finalMessage();
    assert.deepEqual([final.usage.input_tokens, final.usage.output_tokens], [start.input_tokens, 2]);
  });

  it('/v1/responses: response.completed carries the estimate, marked estimated, not null; the ledger records the same', async () => {
    const { data: stream, response } = await openai.responses.create({ model: 'old/llama', stream: true, input: 'Say hello to everyone in the room, please.' }).withResponse();
    let usage: Record<string, unknown> | null | undefined;
    for await (const event of stream) if (event.type === 'response.completed') usage = event.response.usage as unknown as Record<string, unknown> | null;
    const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
    assert.ok((record.input_tokens as number) > 0);
    assert.deepEqual(usage, {
      input_tokens: record.input_tokens,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: (record.input_tokens as number) + 2,
      estimated: true,
    });
    assert.deepEqual([record.output_tokens, Number(record.cost_estimated)], [2, 1]);
  });

  it("a provider's own usage is passed on as it is, not marked", async () => {
    body = withUsage;
    const final = await anthropic.messages.stream({ model: 'old/llama', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    assert.deepEqual(final.usage, { input_tokens: 11, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    const completed = await openai.responses.stream({ model: 'old/llama', input: 'hi' }).finalResponse();
    assert.equal(completed.usage?.input_tokens, 11);
    assert.equal((completed.usage as unknown as Record<string, unknown>).estimated, undefined);
  });
});
