import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertFromResponsesRequest } from '../../../src/formats/openai-responses/convert-from-responses-request.ts';
import { parseResponsesRequest } from '../../../src/formats/openai-responses/parse-responses-request.ts';
import { responsesEchoOf } from '../../../src/formats/openai-responses/responses-echo.ts';
import { encodeReasoningState } from '../../../src/formats/openai-responses/responses-reasoning-state.ts';

/** Requests are written as the SDK types them, so every shape here is one the SDK sends. */
function convert(body: ResponseCreateParamsNonStreaming | (Omit<ResponseCreateParamsNonStreaming, 'stream'> & { stream: true })) {
  return convertFromResponsesRequest(parseResponsesRequest(body));
}

function refusal(body: unknown): GatewayError {
  try {
    convertFromResponsesRequest(parseResponsesRequest(body));
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.type, 'invalid_request_error');
    return error;
  }
  assert.fail('expected the request to be refused');
}

const weather = { type: 'function' as const, name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: null };

describe('convertFromResponsesRequest: input', () => {
  it('a string input is one user message; instructions come first as a system message', () => {
    assert.deepEqual(convert({ model: 'echo/x', input: 'Hi', instructions: 'Be brief.' }), {
      model: 'echo/x',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('messages of every role, with and without type: message, string or part content', () => {
    const request = convert({
      model: 'm',
      input: [
        { role: 'system', content: 'sys' },
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'dev' }] },
        { role: 'user', content: [{ type: 'input_text', text: 'one' }, { type: 'input_text', text: 'two' }] },
        { type: 'message', role: 'assistant', content: 'earlier answer' },
        { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'as ', annotations: [] }, { type: 'output_text', text: 'returned', annotations: [], logprobs: [] }] },
        { type: 'message', id: 'msg_2', status: 'completed', role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot.' }] },
      ],
    });
    assert.deepEqual(request.messages, [
      { role: 'system', content: 'sys' },
      { role: 'developer', content: 'dev' },
      { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] },
      { role: 'assistant', content: 'earlier answer' },
      { role: 'assistant', content: 'as returned' },
      { role: 'assistant', content: 'I cannot.' },
    ]);
  });

  it('input_image (data: and https URLs, detail) and input_file with file_data become canonical parts', () => {
    const request = convert({
      model: 'm',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Look:' },
            { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' },
            { type: 'input_image', image_url: 'https://example.com/cat.jpg', detail: 'auto' },
            { type: 'input_image', image_url: 'https://example.com/dog.jpg', detail: 'original' },
            { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
          ],
        },
      ],
    });
    assert.deepEqual(request.messages[0].content, [
      { type: 'text', text: 'Look:' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'auto' } },
      { type: 'image_url', image_url: { url: 'https://example.com/dog.jpg', detail: 'high' } },
      { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
    ]);
  });

  it('function_call items join the assistant message before them; outputs become tool messages matched by call_id', () => {
    const request = convert({
      model: 'm',
      input: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }] },
        { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_p', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
        { type: 'function_call', call_id: 'call_r', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_p', output: '21°C' },
        { type: 'function_call_output', call_id: 'call_r', output: [{ type: 'input_text', text: '25°C' }, { type: 'input_image', image_url: 'https://example.com/sun.png', detail: 'auto' }] },
        { type: 'function_call', call_id: 'call_again', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'call_again', output: [{ type: 'input_text', text: '3°C' }] },
      ],
      tools: [weather],
    });
    assert.deepEqual(request.messages, [
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_p', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_r', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_p', content: '21°C' },
      // Tool messages hold text (chat's rule, and an Anthropic client's tool_result's shape): the image follows the outputs.
      { role: 'tool', tool_call_id: 'call_r', content: '25°C' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/sun.png', detail: 'auto' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_again', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'call_again', content: '3°C' },
    ]);
  });

  it("a function_call_output's images and files follow the run of outputs as one user message; an output of only an image says so in its text", () => {
    const request = convert({
      model: 'm',
      input: [
        { role: 'user', content: 'Chart and report?' },
        { type: 'function_call', call_id: 'call_c', name: 'get_chart', arguments: '{}' },
        { type: 'function_call', call_id: 'call_d', name: 'get_report', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_c', output: [{ type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' }] },
        { type: 'function_call_output', call_id: 'call_d', output: [{ type: 'input_text', text: 'report ' }, { type: 'input_text', text: 'attached' }, { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'r.pdf' }] },
        { role: 'user', content: 'Summarize.' },
      ],
    });
    assert.deepEqual(request.messages.slice(2), [
      { role: 'tool', tool_call_id: 'call_c', content: '[1 attachment(s) of this result in the next message]' },
      { role: 'tool', tool_call_id: 'call_d', content: 'report attached' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'r.pdf' } },
        ],
      },
      { role: 'user', content: 'Summarize.' },
    ]);
  });

  it("a reasoning item carrying the gateway's signed thinking starts the next assistant message; other reasoning items are left out", () => {
    const first = encodeReasoningState({ thinking: 'Paris first.', signature: 'sig-1' });
    const second = encodeReasoningState({ thinking: 'Now Rome.', signature: 'sig-2' });
    const request = convert({
      model: 'm',
      input: [
        { role: 'user', content: 'Weather in Paris, then Rome?' },
        // As an earlier Response wrote it; the text in content is what the client shows, the state goes back.
        { type: 'reasoning', id: 'rs_1', summary: [], content: [{ type: 'reasoning_text', text: 'Paris first.' }], encrypted_content: first },
        { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
        { type: 'function_call', call_id: 'call_p', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_p', output: '21°C' },
        // Clients that keep only the summary (and the state) still send everything needed.
        { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: second },
        { type: 'function_call', call_id: 'call_r', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_r', output: '25°C' },
        // OpenAI's own state, and a reasoning item before a user message, are left out.
        { type: 'reasoning', id: 'rs_3', summary: [], encrypted_content: 'gAAAAABoOpenAIsOwn' },
        { type: 'message', role: 'assistant', content: 'Both checked.' },
        { type: 'reasoning', id: 'rs_4', summary: [], encrypted_content: first },
        { role: 'user', content: 'Thanks.' },
      ],
    });
    assert.deepEqual(request.messages.slice(1), [
      { role: 'assistant', content: 'Checking.', reasoning_content: 'Paris first.', reasoning_signature: 'sig-1', tool_calls: [{ id: 'call_p', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_p', content: '21°C' },
      { role: 'assistant', content: null, reasoning_content: 'Now Rome.', reasoning_signature: 'sig-2', tool_calls: [{ id: 'call_r', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
      { role: 'tool', tool_call_id: 'call_r', content: '25°C' },
      { role: 'assistant', content: 'Both checked.' },
      { role: 'user', content: 'Thanks.' },
    ]);
  });

  it("a damaged encrypted_content with the gateway's mark is refused, naming it", () => {
    const damaged = encodeReasoningState({ thinking: 'x', signature: 's' }).slice(0, -6);
    const error = refusal({ model: 'm', input: [{ role: 'user', content: 'x' }, { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: damaged }, { role: 'user', content: 'y' }] });
    assert.equal(error.param, 'input[1].encrypted_content');
  });

  it('a function_call_output with no function_call before it is refused (the gateway keeps no state)', () => {
    const error = refusal({ model: 'm', input: [{ role: 'user', content: 'x' }, { type: 'function_call_output', call_id: 'call_404', output: 'done' }] });
    assert.equal(error.param, 'input[1].call_id');
    assert.match(error.message, /call_404/);
  });
});

describe('convertFromResponsesRequest: parameters', () => {
  it('maps tools (flat to nested), tool_choice, sampling, limits, text format, reasoning and identifiers', () => {
    const request = convert({
      model: 'openai/gpt-5',
      input: 'x',
      tools: [weather, { type: 'function', name: 'strict_one', parameters: null, strict: true }],
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      max_output_tokens: 300,
      text: { format: { type: 'json_schema', name: 'city', schema: { type: 'object', properties: { name: { type: 'string' } } }, strict: true, description: 'A city' }, verbosity: 'low' },
      reasoning: { effort: 'high', summary: 'auto' },
      user: 'user-1',
      safety_identifier: 'safe-1',
      service_tier: 'flex',
      prompt_cache_key: 'cache-1',
      prompt_cache_retention: '24h',
      metadata: { team: 'search' },
      store: true,
      truncation: 'auto',
      include: ['reasoning.encrypted_content'],
    });
    assert.deepEqual(request, {
      model: 'openai/gpt-5',
      messages: [{ role: 'user', content: 'x' }],
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 300,
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: weather.parameters } },
        { type: 'function', function: { name: 'strict_one', parameters: { type: 'object', properties: {} }, strict: true } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object', properties: { name: { type: 'string' } } }, strict: true, description: 'A city' } },
      verbosity: 'low',
      reasoning_effort: 'high',
      user: 'user-1',
      safety_identifier: 'safe-1',
      service_tier: 'flex',
      prompt_cache_key: 'cache-1',
      prompt_cache_retention: '24h',
    });
  });

  it('tool_choice modes, allowed_tools (only the allowed tools are sent), json_object and text formats', () => {
    assert.equal(convert({ model: 'm', input: 'x', tools: [weather], tool_choice: 'required' }).tool_choice, 'required');
    assert.equal(convert({ model: 'm', input: 'x', tools: [weather], tool_choice: 'none' }).tool_choice, 'none');
    assert.equal(convert({ model: 'm', input: 'x', tools: [weather] }).tool_choice, undefined);
    assert.equal(convert({ model: 'm', input: 'x', tool_choice: 'required' }).tool_choice, undefined, 'no tools, no choice');
    const allowed = convert({ model: 'm', input: 'x', tools: [weather, { ...weather, name: 'other' }], tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'other' }] } });
    assert.deepEqual(allowed.tools?.map((tool) => tool.function.name), ['other']);
    assert.equal(allowed.tool_choice, 'required');
    assert.deepEqual(convert({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).response_format, { type: 'json_object' });
    assert.equal(convert({ model: 'm', input: 'x', text: { format: { type: 'text' } } }).response_format, undefined);
    assert.equal(refusal({ model: 'm', input: 'x', tools: [weather], tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'nope' }] } }).param, 'tool_choice.tools');
  });

  it('stream asks for the usage chunk; logprobs follow the include entry', () => {
    const streamed = convert({ model: 'm', input: 'x', stream: true });
    assert.equal(streamed.stream, true);
    assert.deepEqual(streamed.stream_options, { include_usage: true });
    const logprobs = convert({ model: 'm', input: 'x', include: ['message.output_text.logprobs'], top_logprobs: 3 });
    assert.equal(logprobs.logprobs, true);
    assert.equal(logprobs.top_logprobs, 3);
    assert.equal(convert({ model: 'm', input: 'x', top_logprobs: 3 }).logprobs, undefined);
  });

  it("reasoning efforts beyond the canonical four go on as OpenAI spells them", () => {
    assert.equal(convert({ model: 'm', input: 'x', reasoning: { effort: 'none' } }).reasoning_effort, 'none');
    assert.equal(convert({ model: 'm', input: 'x', reasoning: { effort: 'xhigh' } }).reasoning_effort, 'xhigh');
    assert.equal(convert({ model: 'm', input: 'x', reasoning: { effort: null } }).reasoning_effort, undefined);
  });

  it('null means unset for every optional field', () => {
    const request = convert({ model: 'm', input: 'x', instructions: null, tools: [], tool_choice: 'auto', temperature: null, top_p: null, max_output_tokens: null, previous_response_id: null, conversation: null, background: false, prompt: null, reasoning: null, metadata: null, store: false, truncation: 'disabled', parallel_tool_calls: null });
    assert.deepEqual(request, { model: 'm', messages: [{ role: 'user', content: 'x' }] });
  });
});

describe('parseResponsesRequest: refusals', () => {
  const base = { model: 'm', input: 'hi' };

  it('bad shapes name the field', () => {
    assert.equal(refusal([]).param, null);
    assert.equal(refusal({ input: 'x' }).param, 'model');
    assert.equal(refusal({ ...base, model: '' }).param, 'model');
    assert.equal(refusal({ model: 'm' }).code, 'missing_required_parameter');
    assert.equal(refusal({ model: 'm' }).param, 'input');
    assert.equal(refusal({ model: 'm', input: 42 }).param, 'input');
    assert.equal(refusal({ model: 'm', input: [] }).param, 'input');
    assert.equal(refusal({ model: 'm', input: ['hi'] }).param, 'input[0]');
    assert.equal(refusal({ model: 'm', input: [{ role: 'tool', content: 'x' }] }).param, 'input[0].role');
    assert.equal(refusal({ model: 'm', input: [{ role: 'user' }] }).param, 'input[0].content');
    assert.equal(refusal({ model: 'm', input: [{ type: 'reasoning', id: 'rs_1', summary: [] }] }).param, 'input', 'reasoning alone is nothing to send');
    assert.equal(refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_text' }] }] }).param, 'input[0].content[0].text');
    assert.equal(refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', detail: 'auto' }] }] }).param, 'input[0].content[0].image_url');
    assert.equal(refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'file:///etc/passwd' }] }] }).param, 'input[0].content[0].image_url');
    assert.equal(refusal({ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f' }] }).param, 'input[0].arguments');
    assert.equal(refusal({ model: 'm', input: [{ type: 'function_call_output', call_id: 'c' }] }).param, 'input[0].output');
    assert.equal(refusal({ ...base, tools: [{ type: 'function' }] }).param, 'tools[0].name');
    assert.equal(refusal({ ...base, tool_choice: 'sometimes' }).param, 'tool_choice');
    assert.equal(refusal({ ...base, temperature: 'hot' }).param, 'temperature');
    assert.equal(refusal({ ...base, max_output_tokens: 0 }).param, 'max_output_tokens');
    assert.equal(refusal({ ...base, text: { format: { type: 'json_schema', schema: {} } } }).param, 'text.format.name');
    assert.equal(refusal({ ...base, text: { format: { type: 'json_schema', name: 'n' } } }).param, 'text.format.schema');
    assert.equal(refusal({ ...base, text: { format: { type: 'yaml' } } }).param, 'text.format.type');
    assert.equal(refusal({ ...base, reasoning: { effort: 'extreme' } }).param, 'reasoning.effort');
    assert.equal(refusal({ ...base, metadata: { n: 1 } }).param, 'metadata.n');
    assert.equal(refusal({ ...base, truncation: 'sometimes' }).param, 'truncation');
    assert.equal(refusal({ ...base, stream: 'yes' }).param, 'stream');
  });

  it('state kept by OpenAI is refused: previous_response_id, conversation, background, stored prompts, item references', () => {
    for (const [body, param, code] of [
      [{ ...base, previous_response_id: 'resp_1' }, 'previous_response_id', 'unsupported_parameter'],
      [{ ...base, conversation: 'conv_1' }, 'conversation', 'unsupported_parameter'],
      [{ ...base, conversation: { id: 'conv_1' } }, 'conversation', 'unsupported_parameter'],
      [{ ...base, background: true }, 'background', 'unsupported_value'],
      [{ ...base, prompt: { id: 'pmpt_1' } }, 'prompt', 'unsupported_parameter'],
      [{ ...base, context_management: [{ type: 'compaction' }] }, 'context_management', 'unsupported_parameter'],
      [{ ...base, moderation: { model: 'omni-moderation-latest' } }, 'moderation', 'unsupported_parameter'],
      [{ model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type', 'unsupported_value'],
    ] as const) {
      const error = refusal(body);
      assert.equal(error.param, param);
      assert.equal(error.code, code);
    }
    assert.match(refusal({ ...base, previous_response_id: 'resp_1' }).message, /stateless/);
  });

  it('built-in tools, their tool choices and their items are refused, never dropped', () => {
    for (const type of ['web_search', 'web_search_preview', 'file_search', 'computer_use_preview', 'code_interpreter', 'image_generation', 'mcp', 'local_shell', 'shell', 'custom', 'apply_patch']) {
      const error = refusal({ ...base, tools: [weather, { type }] });
      assert.equal(error.param, 'tools[1].type', type);
      assert.equal(error.code, 'unsupported_value');
      assert.match(error.message, new RegExp(`'${type}'`));
    }
    assert.equal(refusal({ ...base, tool_choice: { type: 'web_search_preview' } }).param, 'tool_choice.type');
    assert.equal(refusal({ ...base, tool_choice: { type: 'mcp', server_label: 'x' } }).param, 'tool_choice.type');
    assert.equal(refusal({ ...base, tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'file_search' }] } }).param, 'tool_choice.tools[0].type');
    for (const type of ['web_search_call', 'file_search_call', 'computer_call', 'computer_call_output', 'code_interpreter_call', 'image_generation_call', 'mcp_call', 'custom_tool_call', 'local_shell_call']) {
      const error = refusal({ model: 'm', input: [{ type, id: 'x', call_id: 'c' }] });
      assert.equal(error.param, 'input[0].type', type);
      assert.equal(error.code, 'unsupported_value');
    }
  });

  it('uploaded files and file URLs are refused clearly; content parts of the wrong side are refused', () => {
    const image = refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1', detail: 'auto' }] }] });
    assert.equal(image.param, 'input[0].content[0].file_id');
    assert.equal(image.code, 'unsupported_value');
    assert.match(image.message, /file_id/);
    assert.equal(refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-1' }] }] }).param, 'input[0].content[0].file_id');
    assert.equal(refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://example.com/a.pdf' }] }] }).param, 'input[0].content[0].file_url');
    assert.equal(refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', filename: 'a.pdf' }] }] }).param, 'input[0].content[0].file_data');
    assert.equal(refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }).param, 'input[0].content[0].type');
    assert.equal(refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'output_text', text: 'x' }] }] }).param, 'input[0].content[0].type');
    assert.equal(refusal({ model: 'm', input: [{ role: 'assistant', content: [{ type: 'input_image', image_url: 'https://example.com/a.png' }] }] }).param, 'input[0].content[0].type');
    assert.equal(refusal({ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }, { type: 'function_call_output', call_id: 'c', output: [{ type: 'input_file', file_id: 'file-1' }] }] }).param, 'input[1].output[0].file_id');
  });

  it('a parameter the gateway does not know is refused, not dropped', () => {
    const error = refusal({ ...base, frequency_penalty: 1 });
    assert.equal(error.code, 'unsupported_parameter');
    assert.equal(error.param, 'frequency_penalty');
  });

  it('accepted without effect: store, truncation auto, include, stream_options, max_tool_calls, reasoning summaries', () => {
    const body = { ...base, store: true, truncation: 'auto', include: ['reasoning.encrypted_content', 'web_search_call.results'], stream_options: { include_obfuscation: false }, max_tool_calls: 3, reasoning: { summary: 'detailed' }, prompt_cache_options: { mode: 'implicit' } };
    assert.deepEqual(convertFromResponsesRequest(parseResponsesRequest(body)), { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
  });
});

describe('responsesEchoOf', () => {
  it("repeats the client's fields, with the Responses API's defaults for the rest; store is false", () => {
    assert.deepEqual(responsesEchoOf(parseResponsesRequest({ model: 'm', input: 'x' })), {
      instructions: null,
      max_output_tokens: null,
      max_tool_calls: null,
      parallel_tool_calls: true,
      reasoning: { effort: null, summary: null },
      safety_identifier: null,
      service_tier: null,
      store: false,
      temperature: null,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_logprobs: null,
      top_p: null,
      truncation: 'disabled',
      metadata: {},
    });
    const echo = responsesEchoOf(parseResponsesRequest({ model: 'm', input: 'x', store: true, metadata: { a: 'b' }, tools: [{ type: 'function', name: 'f' }], text: { verbosity: 'high' }, user: 'u', truncation: 'auto' }));
    assert.equal(echo.store, false);
    assert.deepEqual(echo.metadata, { a: 'b' });
    assert.deepEqual(echo.tools, [{ type: 'function', name: 'f', parameters: null, strict: null }]);
    assert.deepEqual(echo.text, { format: { type: 'text' }, verbosity: 'high' });
    assert.equal(echo.user, 'u');
    assert.equal(echo.truncation, 'auto');
  });
});
