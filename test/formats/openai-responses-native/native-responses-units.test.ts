import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readNativeResponsesRequest } from '../../../src/formats/openai-responses/read-native-responses-request.ts';
import { mapFromResponsesUsage } from '../../../src/formats/openai-responses/map-from-responses-usage.ts';
import { ResponsesStreamTracker } from '../../../src/formats/openai-responses/responses-stream-tracker.ts';
import { azureResponsesEndpoint, openAIResponsesEndpoint } from '../../../src/providers/native-responses/native-responses-url.ts';

describe('native Responses: endpoints, the readable view, usage', () => {
  it('OpenAI and Azure Responses URLs', () => {
    assert.equal(openAIResponsesEndpoint('https://api.openai.com/v1/').url(''), 'https://api.openai.com/v1/responses');
    assert.equal(openAIResponsesEndpoint('https://api.openai.com/v1').url('/resp_1/input_items', 'limit=2'), 'https://api.openai.com/v1/responses/resp_1/input_items?limit=2');
    assert.equal(azureResponsesEndpoint('https://r.openai.azure.com/openai', '2024-10-21').url(''), 'https://r.openai.azure.com/openai/v1/responses');
    assert.equal(azureResponsesEndpoint('https://r.openai.azure.com', 'v1').url('/resp_1'), 'https://r.openai.azure.com/openai/v1/responses/resp_1');
    assert.equal(azureResponsesEndpoint('https://r.openai.azure.com', '2025-04-01-preview').url('/resp_1', 'a=b'), 'https://r.openai.azure.com/openai/responses/resp_1?api-version=2025-04-01-preview&a=b');
    assert.equal(azureResponsesEndpoint('https://r.openai.azure.com', 'preview').url(''), 'https://r.openai.azure.com/openai/v1/responses?api-version=preview');
  });

  it('the readable view holds the text guardrails can read, and nothing it cannot', () => {
    const view = readNativeResponsesRequest({
      model: 'm',
      instructions: 'be brief',
      previous_response_id: 'resp_1',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'hello' }, { type: 'input_image', file_id: 'file_1' }] },
        { type: 'web_search_call', id: 'ws_1', status: 'completed' },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a":1}' },
        { type: 'function_call_output', call_id: 'c1', output: 'result text' },
      ],
      max_output_tokens: 50,
      stream: true,
    });
    assert.deepEqual(view.messages, [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'result text' },
    ]);
    assert.equal(view.max_completion_tokens, 50);
    assert.equal(view.stream, true);
    assert.throws(() => readNativeResponsesRequest({ input: 'x', tools: [{ type: 'web_search' }] }), /model/);
  });

  it('a Response usage in canonical terms; a stream tracker reads the final event', () => {
    assert.deepEqual(mapFromResponsesUsage({ input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 6, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 16 }, 'flex'), {
      prompt_tokens: 10,
      completion_tokens: 6,
      total_tokens: 16,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 2 },
      service_tier: 'flex',
    });
    const tracker = new ResponsesStreamTracker();
    const events = [
      `event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"usage":null}}\n\n`,
      `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":1,"delta":"\\"sequence_number\\":99"}\n\n`,
      `event: response.completed\ndata: {"type":"response.completed","sequence_number":2,"response":{"usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4}}}\n\n`,
    ].join('');
    const bytes = Buffer.from(events);
    tracker.push(bytes.subarray(0, 70));
    tracker.push(bytes.subarray(70));
    tracker.end();
    assert.equal(tracker.finished, true);
    assert.equal(tracker.outputEvents, 1);
    assert.equal(tracker.lastSequenceNumber, 2);
    assert.deepEqual(tracker.usage, { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });
  });
});
