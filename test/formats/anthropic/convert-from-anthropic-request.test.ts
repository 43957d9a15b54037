import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinTextBlocks } from '../../../src/canonical/anthropic-text-blocks.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertFromAnthropicRequest, reasoningEffortFor } from '../../../src/formats/anthropic/convert-from-anthropic-request.ts';
import { parseAnthropicRequest } from '../../../src/formats/anthropic/parse-anthropic-request.ts';
import { convertToAnthropicRequest } from '../../../src/providers/anthropic/convert-to-anthropic-request.ts';

function convert(body: Record<string, unknown>) {
  return convertFromAnthropicRequest(parseAnthropicRequest(body));
}

function refusal(body: unknown, options?: { countTokens?: boolean }): GatewayError {
  try {
    parseAnthropicRequest(body, options);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('expected the request to be refused');
}

describe('parseAnthropicRequest', () => {
  it('names the field that is missing or wrong', () => {
    const base = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    assert.equal(refusal([]).status, 400);
    assert.equal(refusal({ ...base, model: undefined }).param, 'model');
    assert.equal(refusal({ ...base, max_tokens: undefined }).param, 'max_tokens');
    assert.equal(refusal({ ...base, max_tokens: -1 }).param, 'max_tokens');
    assert.equal(refusal({ ...base, max_tokens: 1.5 }).param, 'max_tokens');
    assert.equal(refusal({ ...base, messages: [] }).param, 'messages');
    assert.equal(refusal({ ...base, messages: [{ role: 'tool', content: 'x' }] }).param, 'messages.0.role');
    assert.equal(refusal({ ...base, messages: [{ role: 'system', content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }] }).param, 'messages.0.content.0');
    assert.equal(refusal({ ...base, output_config: 'high' }).param, 'output_config');
    assert.equal(refusal({ ...base, messages: [{ role: 'user' }] }).param, 'messages.0.content');
    assert.equal(refusal({ ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }).param, 'messages.0.content.0.text');
    assert.equal(refusal({ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', data: 'x' } }] }] }).param, 'messages.0.content.0.source.media_type');
    assert.equal(refusal({ ...base, system: [{ type: 'image' }] }).param, 'system.0');
    assert.equal(refusal({ ...base, tools: [{ name: 't' }] }).param, 'tools.0.input_schema');
    assert.equal(refusal({ ...base, tool_choice: { type: 'tool' } }).param, 'tool_choice.name');
    assert.equal(refusal({ ...base, stop_sequences: 'END' }).param, 'stop_sequences');
    assert.equal(refusal({ ...base, thinking: { type: 'enabled' } }).param, 'thinking.budget_tokens');
    assert.equal(refusal({ ...base, metadata: { user_id: 3 } }).param, 'metadata.user_id');
  });

  it('count_tokens needs no max_tokens; unknown block and server-tool types pass', () => {
    parseAnthropicRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { countTokens: true });
    parseAnthropicRequest({
      model: 'm',
      max_tokens: 5,
      messages: [{ role: 'user', content: [{ type: 'search_result', source: 'x', title: 't', content: [] }] }],
      tools: [{ type: 'web_search_20250305', name: 'web_search' }],
    });
  });
});

describe('convertFromAnthropicRequest', () => {
  it('maps system, parameters, metadata and thinking', () => {
    const request = convert({
      model: 'anthropic/claude-sonnet-4-5',
      max_tokens: 1000,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
      thinking: { type: 'enabled', budget_tokens: 4000 },
      stream: true,
    });
    assert.deepEqual(request, {
      model: 'anthropic/claude-sonnet-4-5',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_tokens: 1000,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      stop: ['END'],
      reasoning_effort: 'medium',
      reasoning_budget_tokens: 4000,
      user: 'u-1',
    });
  });

  it('adaptive thinking takes its effort from output_config (high by default); an effort alone or disabled thinking asks for none', () => {
    const base = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] };
    assert.equal(convert({ ...base, thinking: { type: 'adaptive' }, output_config: { effort: 'max' } }).reasoning_effort, 'max');
    assert.equal(convert({ ...base, thinking: { type: 'adaptive' } }).reasoning_effort, 'high');
    assert.equal(convert({ ...base, thinking: { type: 'adaptive' }, output_config: { effort: 'enormous' } }).reasoning_effort, 'high');
    assert.equal(convert({ ...base, output_config: { effort: 'low' } }).reasoning_effort, undefined);
    assert.equal(convert({ ...base, thinking: { type: 'disabled' } }).reasoning_effort, undefined);
  });

  it('keeps OpenAI\'s four stop sequences and says what it cut', () => {
    const dropped: string[][] = [];
    const request = convertFromAnthropicRequest(parseAnthropicRequest({ model: 'm', max_tokens: 10, stop_sequences: ['a', 'b', 'c', 'd', 'e'], messages: [{ role: 'user', content: 'x' }] }), (names) => dropped.push(names));
    assert.deepEqual(request.stop, ['a', 'b', 'c', 'd']);
    assert.deepEqual(dropped, [['stop_sequences']]);
    convertFromAnthropicRequest(parseAnthropicRequest({ model: 'm', max_tokens: 10, stop_sequences: ['a'], messages: [{ role: 'user', content: 'x' }] }), (names) => dropped.push(names));
    assert.equal(dropped.length, 1);
  });

  it('an erroring tool result with an image: the error text in the tool message, the image after it', () => {
    const request = convert({
      model: 'm',
      max_tokens: 10,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'shot', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true, content: [{ type: 'text', text: 'blurred' }, { type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }] },
      ],
    });
    assert.deepEqual(request.messages.slice(1), [
      { role: 'tool', tool_call_id: 'toolu_1', content: 'Error: blurred', is_error: true },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
    ]);
  });

  it('a user turn of several text blocks reaches a single-string provider with a line break between them, never glued', () => {
    const canonical = convert({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise this.' }, { type: 'text', text: 'The report follows.' }] }] });
    // Separate parts in the canonical model (the guardrails read them back to back); one text to a provider of another format.
    assert.deepEqual(canonical.messages, [{ role: 'user', content: [{ type: 'text', text: 'Summarise this.' }, { type: 'text', text: 'The report follows.' }] }]);
    assert.deepEqual((joinTextBlocks('chat', canonical) as typeof canonical).messages, [{ role: 'user', content: 'Summarise this.\nThe report follows.' }]);
    assert.deepEqual(convertToAnthropicRequest(canonical, 'claude-sonnet-4-5', false).body.messages, [{ role: 'user', content: [{ type: 'text', text: 'Summarise this.' }, { type: 'text', text: 'The report follows.' }] }]);
  });

  it('maps budgets to efforts', () => {
    assert.equal(reasoningEffortFor(1024), 'low');
    assert.equal(reasoningEffortFor(5000), 'medium');
    assert.equal(reasoningEffortFor(20000), 'high');
  });

  it('maps system blocks with cache hints, images, documents', () => {
    const request = convert({
      model: 'm',
      max_tokens: 10,
      system: [
        { type: 'text', text: 'A' },
        { type: 'text', text: 'B', cache_control: { type: 'ephemeral' } },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' }, title: 'doc.pdf' },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain doc' } },
          ],
        },
      ],
    });
    // As serialized: the turn also rides along as sent for an Anthropic provider (a symbol key), a text document being no text block there.
    assert.deepEqual(JSON.parse(JSON.stringify(request.messages)), [
      { role: 'system', content: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B', cache_control: { type: 'ephemeral' } }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'doc.pdf' } },
          { type: 'text', text: 'plain doc' },
        ],
      },
    ]);
  });

  it('maps a tool round trip: tools, tool_choice, tool_use, tool_result before the user text, thinking', () => {
    const request = convert({
      model: 'm',
      max_tokens: 10,
      tools: [
        { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
        { type: 'web_search_20250305', name: 'web_search' },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Two cities.', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'no data' }], is_error: true },
            { type: 'text', text: 'Thanks' },
          ],
        },
      ],
    });
    assert.deepEqual(request.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }]);
    assert.equal(request.tool_choice, 'required');
    assert.equal(request.parallel_tool_calls, false);
    assert.deepEqual(request.messages.slice(1), [
      {
        role: 'assistant',
        content: 'Checking.',
        reasoning_content: 'Two cities.',
        reasoning_signature: 'sig',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: no data', is_error: true },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('maps each tool_choice', () => {
    const tools = [{ name: 't', input_schema: { type: 'object' } }];
    const choice = (tool_choice: unknown) => convert({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], tools, tool_choice }).tool_choice;
    assert.equal(choice({ type: 'auto' }), 'auto');
    assert.equal(choice({ type: 'any' }), 'required');
    assert.equal(choice({ type: 'none' }), 'none');
    assert.deepEqual(choice({ type: 'tool', name: 't' }), { type: 'function', function: { name: 't' } });
  });

  it('round-trips through the anthropic adapter back to an equivalent Messages body', () => {
    const original = {
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      system: 'S',
      temperature: 0.3,
      top_k: 5,
      stop_sequences: ['X'],
      tools: [{ name: 'f', description: 'd', input_schema: { type: 'object', properties: {} } }],
      tool_choice: { type: 'tool' as const, name: 'f' },
      messages: [
        { role: 'user' as const, content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant' as const, content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }] },
        { role: 'user' as const, content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
      ],
      metadata: { user_id: 'u' },
    };
    const { body } = convertToAnthropicRequest(convert(original), 'claude-sonnet-4-5', false);
    assert.deepEqual(body, {
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      system: [{ type: 'text', text: 'S' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
      ],
      tools: [{ name: 'f', description: 'd', input_schema: { type: 'object', properties: {} } }],
      tool_choice: { type: 'tool', name: 'f' },
      temperature: 0.3,
      top_k: 5,
      stop_sequences: ['X'],
      metadata: { user_id: 'u' },
    });
  });
});
