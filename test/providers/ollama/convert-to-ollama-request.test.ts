import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertToOllamaRequest } from '../../../src/providers/ollama/convert-to-ollama-request.ts';

const convert = (request: Partial<ChatRequest>, model = 'llama3.2', stream = false) => convertToOllamaRequest({ model, messages: [{ role: 'user', content: 'Hi' }], ...request } as ChatRequest, model, stream);

const weatherTool = { type: 'function' as const, function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

test('stream is always written, true or false (Ollama streams when it is missing)', () => {
  assert.equal(convert({}, 'llama3.2', false).body.stream, false);
  assert.equal(convert({}, 'llama3.2', true).body.stream, true);
  assert.deepEqual(convert({}).body, { model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], stream: false });
});

test('messages: system and developer become system in place; text parts are joined; images go in `images` as bare base64', () => {
  const { body } = convert({
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } },
          { type: 'text', text: 'Be precise.' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ],
  });
  assert.deepEqual(body.messages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'system', content: 'Answer in French.' },
    { role: 'user', content: 'What is in these?\nBe precise.', images: ['/9j/4AAQSkZJRg==', 'iVBORw0KGgo='] },
  ]);
});

test('an http(s) image URL is refused with a 400 (the gateway does not fetch URLs); other part types too', () => {
  assert.throws(
    () => convert({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] }),
    (error: unknown) => error instanceof GatewayError && error.status === 400 && error.type === 'invalid_request_error' && error.param === 'messages[0].content[0].image_url.url' && /data: URLs/.test(error.message),
  );
  assert.throws(
    () => convert({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }),
    (error: unknown) => error instanceof GatewayError && error.status === 400 && /input_audio/.test(error.message),
  );
  // A data URL without ;base64 is percent-encoded bytes: sent as base64.
  const { body } = convert({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/svg+xml,%3Csvg%2F%3E' } }] }] });
  assert.deepEqual(body.messages[0].images, [Buffer.from('<svg/>').toString('base64')]);
});

test('assistant tool calls carry arguments as objects and reasoning as thinking; tool results are named after their call', () => {
  const { body } = convert({
    messages: [
      { role: 'user', content: 'Weather and time in Paris?' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'I need two tools.',
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
          { id: 'call_c', type: 'function', function: { name: 'echo', arguments: 'not json' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_b', content: '14:05' },
      { role: 'tool', tool_call_id: 'call_a', content: [{ type: 'text', text: '{"temperature":21}' }] },
    ],
  });
  assert.deepEqual(body.messages.slice(1), [
    {
      role: 'assistant',
      content: '',
      thinking: 'I need two tools.',
      tool_calls: [
        { type: 'function', function: { name: 'get_weather', arguments: { city: 'Paris' } } },
        { type: 'function', function: { name: 'get_time', arguments: {} } },
        { type: 'function', function: { name: 'echo', arguments: { value: 'not json' } } },
      ],
    },
    { role: 'tool', content: '14:05', tool_name: 'get_time' },
    { role: 'tool', content: '{"temperature":21}', tool_name: 'get_weather' },
  ]);
});

test('a tool result whose id matches no earlier call is a 400', () => {
  assert.throws(() => convert({ messages: [{ role: 'tool', tool_call_id: 'call_x', content: '1' }] }), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'messages[0].tool_call_id');
});

test('tools keep the function shape; tool_choice none sends none; a named one sends that tool alone; required / named are reported unhonoured', () => {
  const auto = convert({ tools: [weatherTool], tool_choice: 'auto' });
  assert.deepEqual(auto.body.tools, [weatherTool]);
  assert.deepEqual(auto.unhonoured, []);
  assert.deepEqual(convert({ tools: [weatherTool] }).unhonoured, []);
  const none = convert({ tools: [weatherTool], tool_choice: 'none' });
  assert.equal(none.body.tools, undefined);
  assert.deepEqual(none.unhonoured, []);
  const required = convert({ tools: [weatherTool], tool_choice: 'required' });
  assert.deepEqual(required.body.tools, [weatherTool]);
  assert.deepEqual(required.unhonoured, ['tool_choice']);
  const named = convert({ tools: [{ type: 'function', function: { name: 'now' } }, weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
  assert.deepEqual(named.body.tools, [weatherTool]);
  assert.deepEqual(named.unhonoured, ['tool_choice']);
  // A function without parameters still gets an (empty) object schema.
  assert.deepEqual(convert({ tools: [{ type: 'function', function: { name: 'now' } }] }).body.tools, [{ type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } }]);
});

test('response_format: json_object is format "json", json_schema is the schema itself', () => {
  assert.equal(convert({ response_format: { type: 'json_object' } }).body.format, 'json');
  const schema = { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] };
  assert.deepEqual(convert({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema, strict: true } } }).body.format, schema);
  assert.equal(convert({ response_format: { type: 'text' } }).body.format, undefined);
});

test('sampling parameters go in options; max_completion_tokens wins over max_tokens as num_predict', () => {
  const { body } = convert({ temperature: 0.2, top_p: 0.9, seed: 42, stop: 'END', max_tokens: 10, max_completion_tokens: 64, presence_penalty: 0.5, frequency_penalty: 0.25 });
  assert.deepEqual(body.options, { temperature: 0.2, top_p: 0.9, seed: 42, num_predict: 64, stop: ['END'], presence_penalty: 0.5, frequency_penalty: 0.25 });
  assert.deepEqual(convert({ max_tokens: 10, stop: ['a', 'b'] }).body.options, { num_predict: 10, stop: ['a', 'b'] });
  assert.equal(convert({ temperature: null }).body.options, undefined);
});

test('top_k (the canonical extension an Anthropic-format client\'s top_k arrives as) goes in options as top_k', () => {
  assert.deepEqual(convert({ top_k: 40, temperature: 0.5 }).body.options, { temperature: 0.5, top_k: 40 });
  assert.equal(convert({ top_k: 'many' }).body.options, undefined);
});

test('provider options: keep_alive and num_ctx go with every request', () => {
  const { body } = convertToOllamaRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, 'm', true, { keepAlive: '10m', numCtx: 8192 });
  assert.equal(body.keep_alive, '10m');
  assert.deepEqual(body.options, { num_ctx: 8192 });
});

test('reasoning_effort: named levels for GPT-OSS, on/off for other thinking models', () => {
  assert.equal(convert({ reasoning_effort: 'high' }, 'gpt-oss:20b').body.think, 'high');
  assert.equal(convert({ reasoning_effort: 'minimal' }, 'gpt-oss:20b').body.think, 'low');
  assert.equal(convert({ reasoning_effort: 'low' }, 'qwen3').body.think, true);
  assert.equal(convert({ reasoning_effort: 'minimal' }, 'qwen3').body.think, false);
  assert.equal(convert({}, 'qwen3').body.think, undefined);
});

test('n above 1 is refused (Ollama answers once)', () => {
  assert.throws(() => convert({ n: 2 }), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'n');
  assert.doesNotThrow(() => convert({ n: 1 }));
});

test('the legacy functions API: function_call is a tool call, a function message its result', () => {
  const { body } = convert({
    messages: [
      { role: 'user', content: 'Time?' },
      { role: 'assistant', content: null, function_call: { name: 'get_time', arguments: '{"timezone":"UTC"}' } },
      { role: 'function' as 'tool', name: 'get_time', content: '12:00' },
    ],
  });
  assert.deepEqual(body.messages.slice(1), [
    { role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: 'get_time', arguments: { timezone: 'UTC' } } }] },
    { role: 'tool', content: '12:00', tool_name: 'get_time' },
  ]);
  assert.throws(() => convert({ messages: [{ role: 'critic' as 'user', content: 'x' }] }), (error: unknown) => error instanceof GatewayError && error.param === 'messages[0].role');
});
