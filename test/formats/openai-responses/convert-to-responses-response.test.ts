import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Response as SdkResponse } from 'openai/resources/responses/responses';
import type { ChatResponse } from '../../../src/canonical/chat.ts';
import { convertToResponsesResponse } from '../../../src/formats/openai-responses/convert-to-responses-response.ts';
import { parseResponsesRequest } from '../../../src/formats/openai-responses/parse-responses-request.ts';
import type { ResponsesResponse } from '../../../src/formats/openai-responses/responses-api.ts';
import { responsesClientEncoder } from '../../../src/formats/openai-responses/responses-client-encoder.ts';
import { responsesEchoOf, responsesRequestState } from '../../../src/formats/openai-responses/responses-echo.ts';
import { decodeReasoningState } from '../../../src/formats/openai-responses/responses-reasoning-state.ts';

/** Compiles only if the gateway's Response fits the SDK's type (the SDK adds output_text itself). */
function asSdkResponse(response: ResponsesResponse): SdkResponse {
  return { ...response, usage: response.usage ?? undefined, output_text: '' };
}

function answer(message: ChatResponse['choices'][number]['message'], finish: ChatResponse['choices'][number]['finish_reason'] = 'stop', extra: Partial<ChatResponse['choices'][number]> = {}): ChatResponse {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1700000000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message, finish_reason: finish, ...extra }],
    usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28, prompt_tokens_details: { cached_tokens: 5 }, completion_tokens_details: { reasoning_tokens: 3 }, cache_creation_tokens: 2 },
  };
}

const request = parseResponsesRequest({
  model: 'openai/gpt-4o-mini',
  input: 'x',
  instructions: 'Be brief.',
  tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: false, description: 'Weather' }],
  tool_choice: 'auto',
  temperature: 0.3,
  max_output_tokens: 100,
  text: { format: { type: 'json_object' } },
  reasoning: { effort: 'low' },
  metadata: { team: 'search' },
  store: true,
  truncation: 'auto',
  user: 'u-1',
});
const echo = responsesEchoOf(request);

describe('convertToResponsesResponse', () => {
  it('a text answer: one message item, status completed, usage in Responses terms and the echoed request', () => {
    const response = convertToResponsesResponse(answer({ role: 'assistant', content: 'Hello.' }), echo);
    assert.match(response.id, /^resp_[0-9a-f]{32}$/);
    const message = response.output[0];
    assert.match(message.id, /^msg_[0-9a-f]{32}$/);
    assert.deepEqual(response, {
      id: response.id,
      object: 'response',
      created_at: 1700000000,
      status: 'completed',
      background: false,
      error: null,
      incomplete_details: null,
      instructions: 'Be brief.',
      max_output_tokens: 100,
      max_tool_calls: null,
      model: 'gpt-4o-mini-2024-07-18',
      output: [{ type: 'message', id: message.id, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello.', annotations: [], logprobs: [] }] }],
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: 'low', summary: null },
      safety_identifier: null,
      service_tier: null,
      store: false,
      temperature: 0.3,
      text: { format: { type: 'json_object' } },
      tool_choice: 'auto',
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object' }, strict: false }],
      top_logprobs: null,
      top_p: null,
      truncation: 'auto',
      usage: { input_tokens: 20, input_tokens_details: { cached_tokens: 5, cache_write_tokens: 2 }, output_tokens: 8, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 28 },
      user: 'u-1',
      metadata: { team: 'search' },
    });
    asSdkResponse(response);
  });

  it('reasoning, text and tool calls become a reasoning item, a message item and function_call items', () => {
    const response = convertToResponsesResponse(
      answer(
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'Checking.' }],
          reasoning_content: 'The user wants weather.',
          tool_calls: [
            { id: 'call_p', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_r', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        'tool_calls',
      ),
      echo,
    );
    assert.equal(response.status, 'completed');
    const [reasoning, message, paris, rome] = response.output;
    assert.match(reasoning.id, /^rs_/);
    assert.deepEqual(reasoning, { type: 'reasoning', id: reasoning.id, summary: [], content: [{ type: 'reasoning_text', text: 'The user wants weather.' }], status: 'completed' });
    assert.equal(message.type, 'message');
    assert.match(paris.id, /^fc_/);
    assert.deepEqual(paris, { type: 'function_call', id: paris.id, call_id: 'call_p', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' });
    assert.equal(rome.type === 'function_call' && rome.call_id, 'call_r');
    asSdkResponse(response);
  });

  it("signed reasoning (Claude's thinking) also carries its text and signature in encrypted_content, asked for or not", () => {
    const signed = convertToResponsesResponse(answer({ role: 'assistant', content: null, reasoning_content: 'Weather needs a tool.', reasoning_signature: 'EqQBsig==', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'tool_calls'), echo);
    const [reasoning] = signed.output;
    assert.ok(reasoning.type === 'reasoning' && typeof reasoning.encrypted_content === 'string');
    assert.deepEqual(reasoning.content, [{ type: 'reasoning_text', text: 'Weather needs a tool.' }]);
    assert.deepEqual(decodeReasoningState(reasoning.encrypted_content, 'x'), { thinking: 'Weather needs a tool.', signature: 'EqQBsig==' });
    asSdkResponse(signed);
    // A signature over empty thinking still needs its block back: it gets an item.
    const [empty] = convertToResponsesResponse(answer({ role: 'assistant', content: 'ok', reasoning_content: '', reasoning_signature: 'sig' }, 'stop'), echo).output;
    assert.ok(empty.type === 'reasoning');
    assert.deepEqual(decodeReasoningState(empty.encrypted_content, 'x'), { thinking: '', signature: 'sig' });
    // Unsigned reasoning (Gemini's thought summaries, DeepSeek) has nothing to send back.
    const [unsigned] = convertToResponsesResponse(answer({ role: 'assistant', content: 'ok', reasoning_content: 'hm' }, 'stop'), echo).output;
    assert.ok(unsigned.type === 'reasoning' && !('encrypted_content' in unsigned));
  });

  it('only tool calls: no empty message item', () => {
    const response = convertToResponsesResponse(answer({ role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'tool_calls'), echo);
    assert.deepEqual(
      response.output.map((item) => item.type),
      ['function_call'],
    );
  });

  it('a refusal is a refusal part; an empty answer is an empty output_text', () => {
    const refused = convertToResponsesResponse(answer({ role: 'assistant', content: null, refusal: "I can't help with that." }), echo);
    assert.deepEqual((refused.output[0] as { content: unknown }).content, [{ type: 'refusal', refusal: "I can't help with that." }]);
    const empty = convertToResponsesResponse(answer({ role: 'assistant', content: '' }), echo);
    assert.deepEqual((empty.output[0] as { content: unknown }).content, [{ type: 'output_text', text: '', annotations: [], logprobs: [] }]);
  });

  it('length and content_filter make the response incomplete, with the reason', () => {
    const cut = convertToResponsesResponse(answer({ role: 'assistant', content: 'Once upon a' }, 'length'), echo);
    assert.equal(cut.status, 'incomplete');
    assert.deepEqual(cut.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(cut.output[0].status, 'incomplete');
    const filtered = convertToResponsesResponse(answer({ role: 'assistant', content: '' }, 'content_filter'), echo);
    assert.deepEqual(filtered.incomplete_details, { reason: 'content_filter' });
  });

  it('service_tier is the tier that served the call (the answer says), not the one asked for', () => {
    const flexEcho = responsesEchoOf(parseResponsesRequest({ model: 'openai/gpt-4o-mini', input: 'x', service_tier: 'flex' }));
    assert.equal(convertToResponsesResponse({ ...answer({ role: 'assistant', content: 'hi' }), service_tier: 'default' }, flexEcho).service_tier, 'default');
    assert.equal(convertToResponsesResponse(answer({ role: 'assistant', content: 'hi' }), flexEcho).service_tier, 'flex', 'the answer says nothing: the request is echoed');
  });

  it('an answer cut short in a tool call: its last function_call is incomplete (its arguments may be partial), as the stream says', () => {
    const calls = [
      { id: 'call_1', type: 'function' as const, function: { name: 'f', arguments: '{"a":1}' } },
      { id: 'call_2', type: 'function' as const, function: { name: 'g', arguments: '{"city":"Pa' } },
    ];
    const cut = convertToResponsesResponse(answer({ role: 'assistant', content: null, tool_calls: calls }, 'length'), echo);
    assert.equal(cut.status, 'incomplete');
    assert.deepEqual(cut.output.map((item) => item.status), ['completed', 'incomplete']);
    const whole = convertToResponsesResponse(answer({ role: 'assistant', content: null, tool_calls: calls }, 'tool_calls'), echo);
    assert.deepEqual(whole.output.map((item) => item.status), ['completed', 'completed']);
  });

  it('logprobs of the choice go on the output_text part; no usage reads as null', () => {
    const entry = { token: 'Hi', logprob: -0.2, bytes: [72, 105], top_logprobs: [] };
    const withLogprobs = convertToResponsesResponse({ ...answer({ role: 'assistant', content: 'Hi' }, 'stop', { logprobs: { content: [entry] } }), usage: undefined }, echo);
    assert.deepEqual((withLogprobs.output[0] as { content: Array<{ logprobs: unknown }> }).content[0].logprobs, [entry]);
    assert.equal(withLogprobs.usage, null);
  });
});

describe('responsesClientEncoder', () => {
  it("reads the echo from the request context's state; wants the usage chunk; streams and answers alike", () => {
    const encoder = responsesClientEncoder({ model: 'openai/gpt-4o-mini', messages: [] }, responsesRequestState(request));
    assert.equal(encoder.wantsUsage, true);
    const answered = encoder.response(answer({ role: 'assistant', content: 'Hi' })) as ResponsesResponse;
    assert.equal(answered.instructions, 'Be brief.');
    assert.deepEqual(answered.metadata, { team: 'search' });
    const text = encoder.chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] }) + encoder.end();
    assert.match(text, /^event: response\.created\ndata: \{"type":"response\.created","sequence_number":0,/);
    assert.match(text, /event: response\.completed\ndata: .*"instructions":"Be brief\."/);

    const bare = responsesClientEncoder({ model: 'm', messages: [] }, new Map()).response(answer({ role: 'assistant', content: 'Hi' })) as ResponsesResponse;
    assert.equal(bare.instructions, null, 'a context without the echo gets the defaults');
    assert.equal(bare.tool_choice, 'auto');
  });
});
