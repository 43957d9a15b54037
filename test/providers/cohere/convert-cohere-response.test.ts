import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { billedTokens } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import type { CohereChatResponse } from '../../../src/providers/cohere/cohere-api.ts';
import { convertCohereResponse } from '../../../src/providers/cohere/convert-cohere-response.ts';
import { fixtureJson, testContext } from './fixtures.ts';

function convert(name: string) {
  return convertCohereResponse(fixtureJson<CohereChatResponse>(name), testContext());
}

describe('convertCohereResponse', () => {
  it('text: parts joined, finish stop, usage from usage.tokens', () => {
    assert.deepEqual(convert('chat-text.json'), {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'command-a-03-2025',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Bonjour ! Je suis Command — ravi de vous aider. 🌍', refusal: null }, finish_reason: 'stop', logprobs: null }],
      system_fingerprint: null,
      // The billed units price the call; the client never sees them (a symbol key).
      usage: { prompt_tokens: 71, completion_tokens: 14, total_tokens: 85, [billedTokens]: { prompt_tokens: 5, completion_tokens: 14 } },
    });
  });

  it('tool calls: OpenAI tool_calls, content null, tool plan as reasoning_content, finish tool_calls', () => {
    const [choice] = convert('chat-tool-call.json').choices;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    assert.equal(choice.message.reasoning_content, 'I will look up the weather in Paris and the local time.');
    assert.deepEqual(choice.message.tool_calls, [
      { id: 'get_weather_1byjy32y4hvq', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } },
      { id: 'get_time_9qk2r5mw0d1x', type: 'function', function: { name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' } },
    ]);
  });

  it('JSON answer with cached tokens in prompt_tokens_details', () => {
    const response = convert('chat-json.json');
    assert.deepEqual(JSON.parse(response.choices[0].message.content as string), { name: 'Ada Lovelace', born: 1815, fields: ['mathematics', 'computing'] });
    assert.deepEqual(response.usage, { prompt_tokens: 80, completion_tokens: 25, total_tokens: 105, prompt_tokens_details: { cached_tokens: 64 }, [billedTokens]: { prompt_tokens: 12, completion_tokens: 25 } });
  });

  it('MAX_TOKENS is length; without usage.tokens the billed units are the usage', () => {
    const response = convert('chat-max-tokens-billed-only.json');
    assert.equal(response.choices[0].finish_reason, 'length');
    assert.deepEqual(response.usage, { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
  });

  it('thinking parts are reasoning_content, not content', () => {
    const { message } = convert('chat-thinking.json').choices[0];
    assert.equal(message.content, '51');
    assert.equal(message.reasoning_content, 'The user wants 17 × 3. 17 × 3 = 51.');
  });

  it('finish_reason ERROR is thrown as a 502 upstream error, TIMEOUT as a 504', () => {
    assert.throws(() => convert('chat-error-finish.json'), (error: unknown) => error instanceof GatewayError && error.status === 502 && error.upstream && error.code === 'upstream_generation_error');
    assert.throws(() => convertCohereResponse({ finish_reason: 'TIMEOUT', message: {} }, testContext()), (error: unknown) => error instanceof GatewayError && error.status === 504 && error.type === 'timeout_error');
  });

  it('an empty answer is empty text; arguments given as an object are serialized', () => {
    const empty = convertCohereResponse({ finish_reason: 'COMPLETE', message: { role: 'assistant' } }, testContext());
    assert.equal(empty.choices[0].message.content, '');
    assert.equal(empty.usage, undefined);
    const objectArguments = convertCohereResponse({ finish_reason: 'TOOL_CALL', message: { tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: { x: 1 } } }] } }, testContext());
    assert.equal(objectArguments.choices[0].message.tool_calls?.[0].function.arguments, '{"x":1}');
  });
});
