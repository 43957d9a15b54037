import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { collect, isApiError } from '../../helpers/openai-sdk.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { checkingAnthropic } from './checking-anthropic-stand-in.ts';

/**
 * OpenAI SDK clients on the anthropic provider, against a stand-in that refuses what Anthropic
 * refuses: current models (Opus 4.7+, generation 5) with sampling parameters and reasoning_effort,
 * whitespace OpenAI takes and Anthropic does not, tool-call ids from other providers, a
 * system-only conversation, `image/jpg`, and the chat completion's OpenAI details.
 */
describe('anthropic provider: requests current Claude models and Anthropic accept (OpenAI SDK client)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    ({ upstream, client, close } = await startProviderGateway(checkingAnthropic, (url) => ({
      config: `
providers:
  anthropic: { type: anthropic, api_key: test-key, base_url: "${url}" }
  claude-strict: { type: anthropic, api_key: test-key, base_url: "${url}", strict_params: true }
`,
    })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  function sent(): Record<string, unknown> {
    assert.equal(upstream.requests.length, 1);
    assert.equal(upstream.requests[0].path, '/v1/messages');
    return upstream.requests[0].json as Record<string, unknown>;
  }

  const hi = [{ role: 'user' as const, content: 'hi' }];

  it('claude-opus-4-8: temperature and top_p are left out (the model refuses them), the call succeeds', async () => {
    const completion = await client.chat.completions.create({ model: 'anthropic/claude-opus-4-8', temperature: 0.7, top_p: 0.9, messages: hi });
    assert.equal(completion.choices[0].message.content, 'ok, done');
    const body = sent();
    assert.equal(body.temperature, undefined);
    assert.equal(body.top_p, undefined);
  });

  it('claude-opus-4-8: reasoning_effort high is adaptive thinking with effort high, and room to think', async () => {
    await client.chat.completions.create({ model: 'anthropic/claude-opus-4-8', reasoning_effort: 'high', messages: hi });
    const body = sent();
    assert.deepEqual(body.thinking, { type: 'adaptive' });
    assert.deepEqual(body.output_config, { effort: 'high' });
    assert.equal(body.max_tokens, 4096 + 16384);
  });

  it('claude-sonnet-5: reasoning_effort low with a temperature; a client limit stands as it is', async () => {
    await client.chat.completions.create({ model: 'anthropic/claude-sonnet-5', reasoning_effort: 'low', temperature: 0.2, max_completion_tokens: 3000, messages: hi });
    const body = sent();
    assert.deepEqual([body.thinking, body.output_config, body.temperature, body.max_tokens], [{ type: 'adaptive' }, { effort: 'low' }, undefined, 3000]);
  });

  it('minimal and xhigh map to the closest effort each model has; none asks for no thinking', async () => {
    const effortSent = async (model: string, effort: string): Promise<unknown> => {
      upstream.requests.length = 0;
      await client.chat.completions.create({ model, reasoning_effort: effort as 'high', messages: hi });
      return sent().output_config;
    };
    assert.deepEqual(await effortSent('anthropic/claude-opus-4-7', 'minimal'), { effort: 'low' });
    assert.deepEqual(await effortSent('anthropic/claude-opus-4-7', 'xhigh'), { effort: 'xhigh' });
    assert.deepEqual(await effortSent('anthropic/claude-opus-4-6', 'xhigh'), { effort: 'high' });
    assert.equal(await effortSent('anthropic/claude-opus-4-7', 'none'), undefined);
    assert.equal(sent().thinking, undefined);
  });

  it('claude-opus-4-6 thinks adaptively too, and keeps a temperature when it does not think', async () => {
    await client.chat.completions.create({ model: 'anthropic/claude-opus-4-6', reasoning_effort: 'medium', messages: hi });
    assert.deepEqual([sent().thinking, sent().output_config], [{ type: 'adaptive' }, { effort: 'medium' }]);
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'anthropic/claude-opus-4-6', temperature: 0.3, messages: hi });
    assert.equal(sent().temperature, 0.3);
  });

  it('claude-sonnet-4-5 keeps budget_tokens thinking', async () => {
    await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', reasoning_effort: 'medium', messages: hi });
    assert.deepEqual(sent().thinking, { type: 'enabled', budget_tokens: 4096 });
    assert.equal(sent().output_config, undefined);
  });

  it('under strict_params the sampling parameters of a current model are refused with 400 unsupported_parameter', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'claude-strict/claude-opus-4-7', temperature: 0.7, messages: hi }), (error: unknown) => {
      isApiError(400, 'unsupported_parameter', 'invalid_request_error')(error);
      assert.equal((error as { param?: string }).param, 'temperature');
      return true;
    });
    assert.equal(upstream.requests.length, 0);
    // Not for a model that takes them.
    await client.chat.completions.create({ model: 'claude-strict/claude-sonnet-4-5', temperature: 0.7, messages: hi });
    assert.equal(sent().temperature, 0.7);
  });

  it('Claude 4.1 to 4.6 take temperature or top_p, not both: top_p is left out when both come (OpenAI clients often send top_p: 1)', async () => {
    for (const model of ['claude-sonnet-4-5', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805', 'claude-opus-4-5-20251101', 'claude-opus-4-6', 'claude-sonnet-4-6']) {
      upstream.requests.length = 0;
      const completion = await client.chat.completions.create({ model: `anthropic/${model}`, temperature: 0.7, top_p: 1, messages: hi });
      assert.equal(completion.choices[0].message.content, 'ok, done', model);
      assert.deepEqual([sent().temperature, sent().top_p], [0.7, undefined], model);
    }
    // Either alone goes up as asked; an older model still gets both.
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', top_p: 0.9, messages: hi });
    assert.deepEqual([sent().temperature, sent().top_p], [undefined, 0.9]);
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-20250514', temperature: 0.7, top_p: 0.9, messages: hi });
    assert.deepEqual([sent().temperature, sent().top_p], [0.7, 0.9]);
    // The Responses API maps its sampling parameters the same way.
    upstream.requests.length = 0;
    await client.responses.create({ model: 'anthropic/claude-sonnet-4-5', temperature: 0.3, top_p: 1, input: 'hi' });
    assert.deepEqual([sent().temperature, sent().top_p], [0.3, undefined]);
  });

  it('under strict_params temperature with top_p on such a model is 400 unsupported_parameter naming top_p', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'claude-strict/claude-sonnet-4-5', temperature: 0.7, top_p: 1, messages: hi }), (error: unknown) => {
      isApiError(400, 'unsupported_parameter', 'invalid_request_error')(error);
      assert.equal((error as { param?: string }).param, 'top_p');
      return true;
    });
    assert.equal(upstream.requests.length, 0);
  });

  it('whitespace-only stop values are left out ("\\n" is common with OpenAI); the rest stay', async () => {
    await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', stop: ['\n'], messages: hi });
    assert.equal(sent().stop_sequences, undefined);
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', stop: ['\n\n', 'END'], messages: hi });
    assert.deepEqual(sent().stop_sequences, ['END']);
    upstream.requests.length = 0;
    await assert.rejects(client.chat.completions.create({ model: 'claude-strict/claude-sonnet-4-5', stop: ['\n'], messages: hi }), isApiError(400, 'unsupported_parameter', 'invalid_request_error'));
  });

  it("tool-call ids Anthropic refuses are mapped, the same way on the call and on its result", async () => {
    const completion = await client.chat.completions.create({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'functions.get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } }, { id: 'functions.get_weather:1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Rome"}' } }] },
        { role: 'tool', tool_call_id: 'functions.get_weather:0', content: 'sunny' },
        { role: 'tool', tool_call_id: 'functions.get_weather:1', content: 'rain' },
        { role: 'assistant', content: 'Sunny and rainy.' },
        { role: 'user', content: 'thanks' },
      ],
    });
    assert.equal(completion.choices[0].message.content, 'ok, done');
    const messages = sent().messages as Array<{ content: Array<{ id?: string; tool_use_id?: string }> }>;
    const callIds = messages[1].content.map((block) => block.id);
    const resultIds = messages[2].content.map((block) => block.tool_use_id);
    assert.deepEqual(resultIds, callIds);
    assert.equal(new Set(callIds).size, 2, 'ids that differed still differ');
    for (const id of callIds) assert.match(String(id), /^functions_get_weather_[01]_[0-9a-f]{12}$/);
    // The same history sent again maps the same way (no state between requests).
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'w' }, { role: 'assistant', content: null, tool_calls: [{ id: 'functions.get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'functions.get_weather:0', content: 'sunny' }] });
    assert.equal((sent().messages as Array<{ content: Array<{ id?: string }> }>)[1].content[0].id, callIds[0]);
  });

  it('whitespace-only text is left out like empty text; a conversation of nothing else is refused by the gateway', async () => {
    await client.chat.completions.create({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [
        { role: 'user', content: 'w' },
        { role: 'assistant', content: '\n\n', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
        { role: 'user', content: [{ type: 'text', text: ' ' }, { type: 'text', text: 'and now?' }] },
      ],
    });
    const messages = sent().messages as Array<{ role: string; content: Array<{ type: string; text?: string }> }>;
    assert.deepEqual(messages[1].content.map((block) => block.type), ['tool_use']);
    assert.deepEqual(messages[2].content.map((block) => block.type), ['tool_result', 'text']);
    upstream.requests.length = 0;
    await assert.rejects(client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: '  ' }] }), (error: unknown) => {
      isApiError(400, 'invalid_request', 'invalid_request_error')(error);
      return true;
    });
    assert.equal(upstream.requests.length, 0);
  });

  it('a conversation of only a system message is sent as the one user message', async () => {
    const completion = await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'system', content: 'Write a haiku about gateways.' }] });
    assert.equal(completion.choices[0].finish_reason, 'stop');
    const body = sent();
    assert.equal(body.system, undefined);
    assert.deepEqual(body.messages, [{ role: 'user', content: [{ type: 'text', text: 'Write a haiku about gateways.' }] }]);
  });

  it('image/jpg data URLs go up as image/jpeg', async () => {
    await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: [{ type: 'text', text: 'what is it?' }, { type: 'image_url', image_url: { url: 'data:image/jpg;base64,/9j/4AAQSkZJRg==' } }] }] });
    const image = (sent().messages as Array<{ content: Array<{ source?: unknown }> }>)[0].content[1];
    assert.deepEqual(image.source, { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' });
  });

  it('the chat completion has a chatcmpl- id holding Anthropic\'s; stream chunks carry usage: null until the usage chunk', async () => {
    const completion = await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: hi });
    assert.equal(completion.id, 'chatcmpl-msg_01CheckedStandIn000000001');
    const chunks = await collect(await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: hi, stream: true, stream_options: { include_usage: true } }));
    assert.ok(chunks.every((chunk) => chunk.id === 'chatcmpl-msg_01CheckedStandIn000000001'));
    assert.ok(chunks.slice(0, -1).every((chunk) => chunk.usage === null), 'every chunk before the last says usage: null, as OpenAI does');
    assert.deepEqual(chunks.at(-1)?.choices, []);
    assert.equal(chunks.at(-1)?.usage?.completion_tokens, 4);
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'ok, done');
  });
});
