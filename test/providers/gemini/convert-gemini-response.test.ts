import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertGeminiResponse } from '../../../src/providers/gemini/convert-gemini-response.ts';
import type { GeminiGenerateContentResponse } from '../../../src/providers/gemini/gemini-api.ts';
import { decodeToolCallId } from '../../../src/providers/gemini/gemini-tool-call-id.ts';
import { mapGeminiFinishReason } from '../../../src/providers/gemini/map-gemini-finish-reason.ts';
import { mapGeminiUsage } from '../../../src/providers/gemini/gemini-usage.ts';
import { fixtureJson, recordedSignature, testContext } from './fixtures.ts';

const convert = (name: string) => convertGeminiResponse(fixtureJson<GeminiGenerateContentResponse>(name), testContext());

test('text answer: content, stop, usage with thoughts counted in completion tokens', () => {
  const response = convert('generate-text.json');
  assert.equal(response.object, 'chat.completion');
  assert.equal(response.model, 'gemini-2.5-flash');
  assert.deepEqual(response.choices, [
    { index: 0, message: { role: 'assistant', content: 'Bonjour ! Je suis Gemini — ravi de vous aider. 🌍', refusal: null }, finish_reason: 'stop', logprobs: null },
  ]);
  assert.deepEqual(response.usage, { prompt_tokens: 9, completion_tokens: 39, total_tokens: 48, completion_tokens_details: { reasoning_tokens: 25 } });
});

test('thought parts become reasoning_content; cached tokens are reported', () => {
  const response = convert('generate-thinking.json');
  assert.equal(response.choices[0].message.content, '2 + 2 = 4.');
  assert.match(String(response.choices[0].message.reasoning_content), /Adding the numbers/);
  assert.deepEqual(response.usage, { prompt_tokens: 12, completion_tokens: 140, total_tokens: 152, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 132 } });
});

test('function calls become tool_calls with generated ids, the thought signature folded into the id', () => {
  const response = convert('generate-tool-call.json');
  const choice = response.choices[0];
  assert.equal(choice.finish_reason, 'tool_calls');
  assert.equal(choice.message.content, null);
  const calls = choice.message.tool_calls!;
  assert.equal(calls.length, 2);
  assert.deepEqual(decodeToolCallId(calls[0].id), { id: 'call_0', signature: recordedSignature });
  assert.match(calls[0].id, /^[A-Za-z0-9_-]+$/);
  assert.equal(calls[1].id, 'call_1');
  assert.deepEqual(calls.map((call) => [call.function.name, JSON.parse(call.function.arguments)]), [
    ['get_weather', { city: 'Paris', unit: 'celsius' }],
    ['get_time', { timezone: 'Europe/Paris' }],
  ]);
});

test('a blocked prompt is a 400 content_filter error (as Azure OpenAI answers a filtered prompt)', () => {
  assert.throws(
    () => convert('generate-prompt-blocked.json'),
    (error: unknown) =>
      error instanceof GatewayError && error.status === 400 && error.code === 'content_filter' && error.upstream && /PROHIBITED_CONTENT/.test(error.message),
  );
});

test('a candidate stopped for safety is content_filter; MAX_TOKENS is length', () => {
  const safety = convert('generate-safety-candidate.json');
  assert.equal(safety.choices[0].finish_reason, 'content_filter');
  assert.equal(safety.choices[0].message.content, null);
  const cut = convert('generate-max-tokens.json');
  assert.equal(cut.choices[0].finish_reason, 'length');
  assert.equal(cut.choices[0].message.content, 'Once upon a time, in a');
});

test('several candidates become several choices', () => {
  const response = convertGeminiResponse(
    {
      candidates: [
        { content: { role: 'model', parts: [{ text: 'A' }] }, finishReason: 'STOP', index: 0 },
        { content: { role: 'model', parts: [{ text: 'B' }] }, finishReason: 'STOP', index: 1 },
      ],
    },
    testContext(),
  );
  assert.deepEqual(response.choices.map((choice) => [choice.index, choice.message.content]), [[0, 'A'], [1, 'B']]);
  assert.equal(response.usage, undefined);
});

test('finish reasons', () => {
  assert.equal(mapGeminiFinishReason('STOP', false), 'stop');
  assert.equal(mapGeminiFinishReason('STOP', true), 'tool_calls');
  assert.equal(mapGeminiFinishReason('MAX_TOKENS', true), 'length');
  for (const reason of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']) assert.equal(mapGeminiFinishReason(reason, false), 'content_filter');
  assert.equal(mapGeminiFinishReason('MALFORMED_FUNCTION_CALL', false), 'stop');
  assert.equal(mapGeminiFinishReason(undefined, false), 'stop');
});

test('usage: tool-use prompt tokens count as prompt; totals add up', () => {
  assert.deepEqual(mapGeminiUsage({ promptTokenCount: 10, toolUsePromptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 18 }), { prompt_tokens: 15, completion_tokens: 3, total_tokens: 18 });
  assert.equal(mapGeminiUsage(undefined), undefined);
});
