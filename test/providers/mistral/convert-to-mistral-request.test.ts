import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../../src/canonical/chat.ts';
import { convertToMistralRequest } from '../../../src/providers/mistral/convert-to-mistral-request.ts';
import { mistralToolResultsBridge } from '../../../src/providers/mistral/mistral-api.ts';
import { mistralToolCallId } from '../../../src/providers/mistral/mistral-tool-call-id.ts';

describe('convertToMistralRequest', () => {
  it('returns the same object and no changes when Mistral takes the request as it is', () => {
    const request: ChatRequest = {
      model: 'mistral-small-latest',
      messages: [{ role: 'system', content: 's' }, { role: 'user', content: [{ type: 'text', text: 'hi' }] }, { role: 'assistant', content: null, tool_calls: [{ id: 'D681PevKs', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'D681PevKs', name: 'f', content: '{}' }],
      temperature: 0.2,
      metadata: { a: 'b' },
      reasoning_effort: 'high',
      random_seed: 1,
    };
    const result = convertToMistralRequest(request);
    assert.equal(result.request, request);
    assert.deepEqual(result.changes, []);
  });

  it('never changes its input, and names each change once', () => {
    const request = {
      model: 'm',
      messages: [
        { role: 'developer', content: 'd' },
        { role: 'user', content: 'a', name: 'x' },
        { role: 'assistant', content: null, refusal: null, annotations: [], tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}', parsed_arguments: {} } }, { id: 'call_2', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '1' },
        { role: 'tool', tool_call_id: 'call_2', content: '2' },
      ],
      seed: 1,
      random_seed: 2,
      max_completion_tokens: 10,
      verbosity: 'low',
      stream_options: { include_usage: true },
      reasoning_effort: 'minimal',
    } as unknown as ChatRequest;
    const copy = structuredClone(request);
    const { request: out, changes } = convertToMistralRequest(request);
    assert.deepEqual(request, copy);
    const [id1, id2] = [mistralToolCallId('call_1'), mistralToolCallId('call_2')];
    assert.deepEqual(out, {
      model: 'm',
      messages: [
        { role: 'system', content: 'd' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: null, tool_calls: [{ id: id1, type: 'function', function: { name: 'f', arguments: '{}' } }, { id: id2, type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: id1, content: '1' },
        { role: 'tool', tool_call_id: id2, content: '2' },
      ],
      random_seed: 2,
      max_tokens: 10,
      reasoning_effort: 'none',
    });
    assert.deepEqual(changes, [
      'dropped verbosity',
      'dropped stream_options',
      'renamed max_completion_tokens -> max_tokens',
      'renamed seed -> random_seed',
      'reasoning_effort minimal -> none',
      'developer -> system',
      'dropped messages[].name (user)',
      'dropped messages[].refusal (assistant)',
      'dropped messages[].annotations (assistant)',
      'dropped messages[].tool_calls[].function.parsed_arguments',
      'mapped tool call ids',
    ]);
  });

  it('narrows tool_choice allowed_tools to the allowed tools and its mode (Mistral has no allowed_tools)', () => {
    const tool = (name: string) => ({ type: 'function' as const, function: { name, parameters: { type: 'object' } } });
    const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: [tool('a'), tool('b')], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'b' } }] } } } as unknown as ChatRequest;
    const { request: out } = convertToMistralRequest(request);
    assert.deepEqual(out.tools, [tool('b')]);
    assert.equal(out.tool_choice, 'required');
  });

  it('puts an assistant turn between tool results and a user message, after the last tool result, and never changes its input', () => {
    const call = (id: string) => ({ id, type: 'function' as const, function: { name: 'f', arguments: '{}' } });
    const request: ChatRequest = {
      model: 'm',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: null, tool_calls: [call('D681PevKs'), call('E681PevKs')] },
        { role: 'tool', tool_call_id: 'D681PevKs', content: '1' },
        { role: 'tool', tool_call_id: 'E681PevKs', content: '2' },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: null, tool_calls: [call('F681PevKs')] },
        { role: 'tool', tool_call_id: 'F681PevKs', content: '3' },
        { role: 'user', content: [{ type: 'text', text: 'c' }] },
      ],
    };
    const copy = structuredClone(request);
    const { request: out, changes } = convertToMistralRequest(request);
    assert.deepEqual(request, copy);
    assert.deepEqual(out.messages.map((message) => message.role), ['user', 'assistant', 'tool', 'tool', 'assistant', 'user', 'assistant', 'tool', 'assistant', 'user']);
    assert.deepEqual([out.messages[4], out.messages[8]], [{ role: 'assistant', content: mistralToolResultsBridge }, { role: 'assistant', content: mistralToolResultsBridge }]);
    assert.deepEqual(changes, ['assistant turn between tool results and a user message']);
  });

  it('marks a trailing assistant text prefix: true; one with tool calls, with no text or already marked is left as sent', () => {
    const prefill = { model: 'm', messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [{ type: 'text', text: '{' }] }] } as ChatRequest;
    assert.deepEqual(convertToMistralRequest(prefill).request.messages[1], { role: 'assistant', content: [{ type: 'text', text: '{' }], prefix: true });
    for (const last of [{ role: 'assistant', content: '' }, { role: 'assistant', content: '{', prefix: true }, { role: 'assistant', content: null, tool_calls: [{ id: 'D681PevKs', type: 'function', function: { name: 'f', arguments: '{}' } }] }]) {
      const request = { model: 'm', messages: [{ role: 'user', content: 'a' }, last] } as ChatRequest;
      assert.equal(convertToMistralRequest(request).request, request, JSON.stringify(last));
    }
  });

  it('gives a function without parameters an empty object schema', () => {
    const request = { model: 'm', messages: [{ role: 'user', content: 'a' }], tools: [{ type: 'function', function: { name: 'now' } }, { type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] } as ChatRequest;
    const { request: out, changes } = convertToMistralRequest(request);
    assert.deepEqual(out.tools, [{ type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } }, request.tools![1]]);
    assert.equal(request.tools![0].function.parameters, undefined);
    assert.deepEqual(changes, ['empty parameters schema for functions without one']);
  });

  it('leaves a role Mistral does not know, and values it may take, for Mistral to judge', () => {
    const request = { model: 'm', messages: [{ role: 'function', name: 'f', content: 'x' }], reasoning_effort: 'turbo' } as unknown as ChatRequest;
    assert.equal(convertToMistralRequest(request).request, request);
  });
});

describe('mistralToolCallId', () => {
  it('keeps Mistral\'s own ids and maps any other to 9 letters and digits, always the same way', () => {
    assert.equal(mistralToolCallId('D681PevKs'), 'D681PevKs');
    const ids = ['call_dZgLqkQ2bm1Jr1T4aZ3vXk9h', 'toolu_01A09q90qw90lq917835lq9', 'turn1_0', '2968-LWy3uasib', 'abc', ''];
    const mapped = ids.map(mistralToolCallId);
    for (const id of mapped) assert.match(id, /^[a-zA-Z0-9]{9}$/);
    assert.equal(new Set(mapped).size, ids.length);
    assert.deepEqual(ids.map(mistralToolCallId), mapped);
  });
});
