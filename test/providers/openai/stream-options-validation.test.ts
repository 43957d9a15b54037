import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1733000000, model: 'gpt-4o-mini' };
const chatStream = sseBody([
  { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: null }], usage: null },
  { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null },
  { ...head, choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } },
  '[DONE]',
]);

/**
 * `stream_options` the gateway cannot merge its `include_usage` into (a string, an array, a number,
 * a non-boolean `include_usage`) is refused as OpenAI refuses it, before any provider is called;
 * until it was, `"yes"` went up as `{"0":"y","1":"e","2":"s","include_usage":true}`.
 */
describe('stream_options: validated before any call', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(chatStream);
    });
    gw = await startGateway(`providers:\n  oai: { type: openai, api_key: sk-test-upstream, base_url: "${upstream.url}/v1" }\n`);
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function post(path: string, body: Record<string, unknown>): Promise<{ status: number; error?: { code: string; param: string; type: string } }> {
    const response = await fetch(`${gw.baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, error: response.status >= 400 ? (JSON.parse(text) as { error: { code: string; param: string; type: string } }).error : undefined };
  }

  const chat = { model: 'oai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] };
  const completion = { model: 'oai/gpt-3.5-turbo-instruct', stream: true, prompt: 'hi' };

  for (const [name, value, param] of [
    ['a string', 'yes', 'stream_options'],
    ['an array', [], 'stream_options'],
    ['a number', 1, 'stream_options'],
    ['include_usage as a string', { include_usage: 'true' }, 'stream_options.include_usage'],
  ] as const) {
    it(`${name}: 400 invalid_type naming ${param}, on chat and completions, nothing sent upstream`, async () => {
      for (const [path, body] of [['/chat/completions', chat], ['/completions', completion]] as const) {
        const result = await post(path, { ...body, stream_options: value });
        assert.equal(result.status, 400, path);
        assert.deepEqual([result.error?.code, result.error?.param, result.error?.type], ['invalid_type', param, 'invalid_request_error'], path);
      }
      assert.equal(upstream.requests.length, 0);
    });
  }

  it('/v1/responses refuses the same (its stream_options is never spread: the gateway writes its own)', async () => {
    const result = await post('/responses', { model: 'oai/gpt-4o-mini', input: 'hi', stream: true, stream_options: 'yes' });
    assert.deepEqual([result.status, result.error?.code, result.error?.param], [400, 'invalid_type', 'stream_options']);
    assert.equal(upstream.requests.length, 0);
  });

  it('the SDK gets a BadRequestError for a string', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const options = 'yes' as unknown as OpenAI.ChatCompletionStreamOptions;
    await assert.rejects(client.chat.completions.create({ model: 'oai/gpt-4o-mini', stream: true, stream_options: options, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal(error.param, 'stream_options');
      return true;
    });
    assert.equal(upstream.requests.length, 0);
  });

  it('null, an object with other keys and include_usage null are taken; the gateway adds include_usage to the object', async () => {
    for (const value of [null, {}, { include_obfuscation: false }, { include_usage: null }, { include_usage: false }]) {
      upstream.requests.length = 0;
      const result = await post('/chat/completions', { ...chat, stream_options: value });
      assert.equal(result.status, 200, JSON.stringify(value));
      const sent = (upstream.requests[0].json as { stream_options: unknown }).stream_options;
      assert.deepEqual(sent, { ...(value ?? {}), include_usage: true });
    }
  });
});
