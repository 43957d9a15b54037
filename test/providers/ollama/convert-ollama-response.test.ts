import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertOllamaResponse } from '../../../src/providers/ollama/convert-ollama-response.ts';
import type { OllamaChatResponse } from '../../../src/providers/ollama/ollama-api.ts';
import { fixtureJson, testContext } from './fixtures.ts';

const convert = (name: string) => convertOllamaResponse(fixtureJson<OllamaChatResponse>(name), testContext());

test('text: content, finish stop, usage from prompt_eval_count and eval_count', () => {
  const response = convert('chat-text.json');
  assert.deepEqual(response, {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'llama3.2',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Bonjour ! Je suis Llama — ravi de vous aider. 🌍', refusal: null }, finish_reason: 'stop', logprobs: null }],
    system_fingerprint: null,
    usage: { prompt_tokens: 26, completion_tokens: 17, total_tokens: 43 },
  });
});

test('done_reason length is finish_reason length', () => {
  assert.equal(convert('chat-length.json').choices[0].finish_reason, 'length');
});

test('tool calls: arguments as JSON strings, made ids in order, content null, finish tool_calls', () => {
  const { choices, usage } = convert('chat-tool-call.json');
  assert.equal(choices[0].finish_reason, 'tool_calls');
  assert.equal(choices[0].message.content, null);
  assert.deepEqual(choices[0].message.tool_calls, [
    { id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } },
    { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' } },
  ]);
  assert.deepEqual(usage, { prompt_tokens: 122, completion_tokens: 33, total_tokens: 155 });
});

test("a tool call id Ollama gives (newer servers) is kept", () => {
  const response = convertOllamaResponse({ message: { role: 'assistant', content: '', tool_calls: [{ id: 'call_srv1', function: { index: 0, name: 'f', arguments: {} } }] }, done: true, done_reason: 'stop' }, testContext());
  assert.equal(response.choices[0].message.tool_calls?.[0].id, 'call_srv1');
  assert.equal(response.choices[0].message.tool_calls?.[0].function.arguments, '{}');
  assert.equal(response.usage, undefined, 'no counts: no usage (the gateway estimates)');
});

test('thinking becomes reasoning_content beside the answer', () => {
  const { choices, usage } = convert('chat-thinking.json');
  assert.equal(choices[0].message.content, 'There are 3 letters "r" in "strawberry".');
  assert.equal(choices[0].message.reasoning_content, "Let me spell it: s-t-r-a-w-b-e-r-r-y. The r's are at positions 3, 8 and 9, so three.");
  assert.deepEqual(usage, { prompt_tokens: 18, completion_tokens: 96, total_tokens: 114 });
});

test('JSON format: the JSON text comes back as content', () => {
  assert.deepEqual(JSON.parse(convert('chat-json-format.json').choices[0].message.content as string), { name: 'Ada Lovelace', born: 1815, fields: ['mathematics', 'computing'] });
});
