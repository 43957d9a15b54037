import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { estimatePromptTokens } from '../../src/usage/estimate-request-tokens.ts';

function chunk(delta: object, finish: string | null = null, usage: object | null = null) {
  return { id: 'c', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: usage ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage };
}

describe('token limits on passthrough streams (usage from the final chunk)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;
  before(async () => {
    upstream = await startStandIn((request, response) => {
      const wantsUsage = (request.json as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage === true;
      const events: unknown[] = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hello' }), chunk({}, 'stop')];
      if (wantsUsage) events.push(chunk({}, null, { prompt_tokens: 30, completion_tokens: 20, total_tokens: 50 }));
      events.push('[DONE]');
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody(events));
    });
    gw = await startGateway('plugins: { rate-limit: { limits: [{ scope: global, tokens: 100000, per: day }] } }', { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${upstream.url}/v1` });
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('charges the streamed usage even when the client did not ask for the usage chunk, which it does not see', async () => {
    const body = { model: 'openai/gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user' as const, content: 'stream me something' }] };
    const estimate = estimatePromptTokens('chat', body) + 200;
    const first = await client.chat.completions.create({ ...body, stream: true }).withResponse();
    assert.equal(first.response.headers.get('x-ratelimit-remaining-tokens'), String(100000 - estimate));
    let sawUsage = false;
    for await (const part of first.data) if (part.usage) sawUsage = true;
    assert.equal(sawUsage, false, 'the usage chunk the gateway asked for is not forwarded');
    assert.equal((upstream.requests[0].json as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage, true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await client.chat.completions.create({ ...body, stream: true }).withResponse();
    for await (const _part of second.data);
    assert.equal(second.response.headers.get('x-ratelimit-remaining-tokens'), String(100000 - 50 - estimate), 'the first stream was charged its reported 50 tokens');
  });
});
