import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertToCohereRequest } from '../../../src/providers/cohere/convert-to-cohere-request.ts';

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

function request(fields: Partial<ChatRequest>): ChatRequest {
  return { model: 'cohere/command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }], ...fields };
}

describe('convertToCohereRequest', () => {
  it('renames sampling settings and always writes stream', () => {
    const plan = convertToCohereRequest(
      request({ temperature: 0.2, top_p: 0.9, max_tokens: 50, max_completion_tokens: 64, stop: 'END', seed: 7, frequency_penalty: 0.1, presence_penalty: 0.3 }),
      'command-a-03-2025',
      false,
    );
    assert.deepEqual(plan.body, {
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: false,
      temperature: 0.2,
      p: 0.9,
      max_tokens: 64,
      stop_sequences: ['END'],
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
    });
    assert.deepEqual(plan.unhonoured, []);
    assert.deepEqual(plan.clamped, []);
    assert.equal(convertToCohereRequest(request({ stop: ['a', 'b'], max_tokens: 9 }), 'm', true).body.stream, true);
    assert.deepEqual(convertToCohereRequest(request({ stop: ['a', 'b'], max_tokens: 9 }), 'm', true).body.stop_sequences, ['a', 'b']);
    assert.equal(convertToCohereRequest(request({ max_tokens: 9 }), 'm', true).body.max_tokens, 9);
  });

  it('roles: developer is system, parts keep their order with images as image_url parts', () => {
    const { body } = convertToCohereRequest(
      request({
        messages: [
          { role: 'developer', content: 'Be brief.' },
          { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
          { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } }, { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }] },
        ],
      }),
      'command-a-vision-07-2025',
      false,
    );
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Answer in French.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('tool round trip: assistant tool_calls with reasoning as tool_plan, tool results by tool_call_id', () => {
    const { body } = convertToCohereRequest(
      request({
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: null, reasoning_content: 'I will look it up.', tool_calls: [{ id: 'get_weather_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }, { id: 'get_time_2', type: 'function', function: { name: 'get_time', arguments: '' } }] },
          { role: 'tool', tool_call_id: 'get_weather_1', content: '{"temperature":21}' },
          { role: 'tool', tool_call_id: 'get_time_2', content: [{ type: 'text', text: '14:05' }] },
          { role: 'assistant', content: 'It is 21 °C.', reasoning_content: 'not sent: no tool calls' },
          { role: 'assistant', content: [{ type: 'text', text: 'Let me check Lyon too.' }], tool_calls: [{ id: 'get_weather_3', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }] },
          { role: 'assistant', content: 'And Nice.', reasoning_content: 'One more city.', tool_calls: [{ id: 'get_weather_4', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Nice"}' } }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'get_weather_5', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Metz"}' } }] },
        ],
      }),
      'command-a-03-2025',
      false,
    );
    assert.deepEqual(body.messages.slice(1), [
      {
        role: 'assistant',
        tool_calls: [
          { id: 'get_weather_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'get_time_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
        tool_plan: 'I will look it up.',
      },
      { role: 'tool', tool_call_id: 'get_weather_1', content: '{"temperature":21}' },
      { role: 'tool', tool_call_id: 'get_time_2', content: '14:05' },
      { role: 'assistant', content: 'It is 21 °C.' },
      // Text beside tool calls (an Anthropic-format client's turn) is the plan; Cohere takes no content there.
      { role: 'assistant', tool_calls: [{ id: 'get_weather_3', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }], tool_plan: 'Let me check Lyon too.' },
      { role: 'assistant', tool_calls: [{ id: 'get_weather_4', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Nice"}' } }], tool_plan: 'One more city.\n\nAnd Nice.' },
      { role: 'assistant', tool_calls: [{ id: 'get_weather_5', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Metz"}' } }] },
    ]);
    assert.deepEqual(body.tools, [weatherTool]);
  });

  it('tool_choice: required -> REQUIRED, none -> NONE, auto left out, a named function -> that tool alone with REQUIRED', () => {
    assert.equal(convertToCohereRequest(request({ tools: [weatherTool], tool_choice: 'required' }), 'm', false).body.tool_choice, 'REQUIRED');
    assert.equal(convertToCohereRequest(request({ tools: [weatherTool], tool_choice: 'none' }), 'm', false).body.tool_choice, 'NONE');
    assert.equal('tool_choice' in convertToCohereRequest(request({ tools: [weatherTool], tool_choice: 'auto' }), 'm', false).body, false);
    const timeTool = { type: 'function' as const, function: { name: 'get_time' } };
    const named = convertToCohereRequest(request({ tools: [timeTool, weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } }), 'm', false);
    assert.equal(named.body.tool_choice, 'REQUIRED');
    assert.deepEqual(named.body.tools?.map((tool) => tool.function.name), ['get_weather']);
    assert.deepEqual(named.unhonoured, []);
    assert.throws(() => convertToCohereRequest(request({ tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_time' } } }), 'm', false), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'tool_choice');
    // Without tools there is nothing to choose: no tool_choice is sent.
    assert.equal('tool_choice' in convertToCohereRequest(request({ tool_choice: 'required' }), 'm', false).body, false);
    assert.throws(() => convertToCohereRequest(request({ tools: [weatherTool], tool_choice: 'sometimes' as never }), 'm', false), (error: unknown) => error instanceof GatewayError && error.status === 400);
  });

  it('a function without parameters gets an empty object schema', () => {
    const { body } = convertToCohereRequest(request({ tools: [{ type: 'function', function: { name: 'now' } }] }), 'm', false);
    assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } }]);
  });

  it('response_format: json_object, json_schema with its schema, text left out', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    assert.deepEqual(convertToCohereRequest(request({ response_format: { type: 'json_object' } }), 'm', false).body.response_format, { type: 'json_object' });
    assert.deepEqual(convertToCohereRequest(request({ response_format: { type: 'json_schema', json_schema: { name: 'person', schema } } }), 'm', false).body.response_format, { type: 'json_object', json_schema: schema });
    assert.equal('response_format' in convertToCohereRequest(request({ response_format: { type: 'text' } }), 'm', false).body, false);
  });

  it('parallel_tool_calls: false is unhonoured; n > 1 is refused; n = 1 and parallel_tool_calls: true are fine', () => {
    assert.deepEqual(convertToCohereRequest(request({ parallel_tool_calls: false }), 'm', false).unhonoured, ['parallel_tool_calls']);
    assert.throws(() => convertToCohereRequest(request({ n: 2 }), 'm', false), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'n');
    assert.deepEqual(convertToCohereRequest(request({ n: 1, parallel_tool_calls: true }), 'm', false).unhonoured, []);
  });

  it('ranges: top_p into 0.01-0.99 (not reported), penalties into 0..1 and top_k (as k) into 0..500 (reported as clamped)', () => {
    const clampedPlan = convertToCohereRequest(request({ top_p: 1, frequency_penalty: -2, presence_penalty: 1.2, top_k: 501 }), 'm', false);
    assert.deepEqual([clampedPlan.body.p, clampedPlan.body.frequency_penalty, clampedPlan.body.presence_penalty, clampedPlan.body.k], [0.99, 0, 1, 500]);
    assert.deepEqual(clampedPlan.clamped, ['top_k', 'frequency_penalty', 'presence_penalty']);
    assert.deepEqual(clampedPlan.unhonoured, []);
    const inRange = convertToCohereRequest(request({ top_p: 0, frequency_penalty: 0, presence_penalty: 1, top_k: 40 }), 'm', false);
    assert.deepEqual([inRange.body.p, inRange.body.frequency_penalty, inRange.body.presence_penalty, inRange.body.k], [0.01, 0, 1, 40]);
    assert.deepEqual(inRange.clamped, []);
    assert.equal('k' in convertToCohereRequest(request({}), 'm', false).body, false);
  });

  it('content Cohere cannot take (audio, files) is refused with a 400 naming the part', () => {
    assert.throws(
      () => convertToCohereRequest(request({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }), 'm', false),
      (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'messages[0].content[0]',
    );
    assert.throws(() => convertToCohereRequest(request({ messages: [{ role: 'tool', content: 'x' }] }), 'm', false), (error: unknown) => error instanceof GatewayError && error.code === 'missing_required_parameter');
  });
});
