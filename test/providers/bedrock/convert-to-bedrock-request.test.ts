import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import type { BedrockToolSpec } from '../../../src/providers/bedrock/bedrock-api.ts';
import { documentName } from '../../../src/providers/bedrock/convert-to-bedrock-document.ts';
import { convertToBedrockRequest } from '../../../src/providers/bedrock/convert-to-bedrock-request.ts';

const claude = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function request(fields: Partial<ChatRequest>): ChatRequest {
  return { model: claude, messages: [{ role: 'user', content: 'Hi' }], ...fields };
}

const weather = { type: 'function' as const, function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

function refused(run: () => unknown, pattern: RegExp, param?: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.status, 400);
    assert.equal(error.type, 'invalid_request_error');
    assert.match(error.message, pattern);
    if (param !== undefined) assert.equal(error.param, param);
    return true;
  });
}

describe('convertToBedrockRequest', () => {
  it('moves system and developer text to system, maps inference parameters', () => {
    const { body, jsonToolName } = convertToBedrockRequest(
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
          { role: 'user', content: 'Hi' },
        ],
        max_completion_tokens: 300,
        max_tokens: 99,
        temperature: 0.2,
        top_p: 0.9,
        stop: ['END', ''],
      }),
      // Sonnet 4 takes temperature and top_p together (Claude 4.1 to 4.6 take one of them: convertToBedrockRequest keeps temperature).
      'anthropic.claude-sonnet-4-20250514-v1:0',
    );
    assert.equal(jsonToolName, null);
    assert.deepEqual(body, {
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      system: [{ text: 'Be brief.' }, { text: 'Answer in French.' }],
      inferenceConfig: { maxTokens: 300, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      // Claude names the stop sequence it stopped at when asked.
      additionalModelResponseFieldPaths: ['/stop_sequence'],
    });
  });

  it('a single stop string and max_tokens alone; no inferenceConfig when nothing is set', () => {
    assert.deepEqual(convertToBedrockRequest(request({ stop: 'X', max_tokens: 5 }), claude).body.inferenceConfig, { maxTokens: 5, stopSequences: ['X'] });
    assert.equal(convertToBedrockRequest(request({}), claude).body.inferenceConfig, undefined);
    assert.deepEqual(convertToBedrockRequest(request({ temperature: 1.7 }), claude).body.inferenceConfig, { temperature: 1 });
  });

  it('images from data URLs become image blocks with their format; http(s) URLs are refused', () => {
    const { body } = convertToBedrockRequest(
      request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }] }] }),
      claude,
    );
    assert.deepEqual(body.messages[0].content, [{ text: 'What is this?' }, { image: { format: 'png', source: { bytes: png } } }, { image: { format: 'jpeg', source: { bytes: '/9j/4AAQ' } } }]);
    const aliases = convertToBedrockRequest(request({ messages: [{ role: 'user', content: ['image/jpg', 'image/pjpeg', 'IMAGE/X-PNG'].map((type) => ({ type: 'image_url' as const, image_url: { url: `data:${type};base64,AAAA` } })) }] }), claude);
    assert.deepEqual(aliases.body.messages[0].content.map((block) => (block as { image: { format: string } }).image.format), ['jpeg', 'jpeg', 'png'], 'aliases under their registered names');
    refused(() => convertToBedrockRequest(request({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] }), claude), /base64 data URLs.*http\(s\) image URLs cannot be sent/, 'messages[0].content[0].image_url.url');
    refused(() => convertToBedrockRequest(request({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/tiff;base64,AAAA' } }] }] }), claude), /png, jpeg, gif and webp/);
    refused(() => convertToBedrockRequest(request({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }), claude), /'input_audio' are not supported/);
  });

  it('tool calls and results: toolUse with an object input, results merged into one user turn, toolConfig from tools', () => {
    const { body } = convertToBedrockRequest(
      request({
        tools: [weather],
        tool_choice: 'auto',
        messages: [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              { id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'tooluse_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
            ],
          },
          { role: 'tool', tool_call_id: 'tooluse_1', content: '{"temperature":21}' },
          { role: 'tool', tool_call_id: 'tooluse_2', content: [{ type: 'text', text: '18 degrees' }] },
          { role: 'user', content: 'Thanks!' },
        ],
      }),
      claude,
    );
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [{ text: 'Checking.' }, { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }, { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather', input: {} } }],
      },
      {
        role: 'user',
        content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ text: '{"temperature":21}' }] } }, { toolResult: { toolUseId: 'tooluse_2', content: [{ text: '18 degrees' }] } }, { text: 'Thanks!' }],
      },
    ]);
    assert.deepEqual(body.toolConfig, {
      tools: [{ toolSpec: { name: 'get_weather', description: 'Current weather', inputSchema: { json: weather.function.parameters } } }],
      toolChoice: { auto: {} },
    });
  });

  it('tool_choice required / named / none', () => {
    assert.deepEqual(convertToBedrockRequest(request({ tools: [weather], tool_choice: 'required' }), claude).body.toolConfig?.toolChoice, { any: {} });
    assert.deepEqual(convertToBedrockRequest(request({ tools: [weather], tool_choice: { type: 'function', function: { name: 'get_weather' } } }), claude).body.toolConfig?.toolChoice, { tool: { name: 'get_weather' } });
    assert.equal(convertToBedrockRequest(request({ tools: [weather] }), claude).body.toolConfig?.toolChoice, undefined);
    assert.equal(convertToBedrockRequest(request({ tools: [weather], tool_choice: 'none' }), claude).body.toolConfig, undefined);
    refused(() => convertToBedrockRequest(request({ tools: [weather], tool_choice: 'sometimes' as never }), claude), /tool_choice/);
  });

  it('a history with tool calls always gets a toolConfig declaring those tools (none, or no tools sent)', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'tooluse_1', content: 'cold' },
    ];
    const placeholder = { toolSpec: { name: 'get_weather', description: "The tool 'get_weather' called earlier in this conversation.", inputSchema: { json: { type: 'object' } } } };
    assert.deepEqual(convertToBedrockRequest(request({ messages }), claude).body.toolConfig, { tools: [placeholder] });
    assert.deepEqual(convertToBedrockRequest(request({ messages, tools: [weather], tool_choice: 'none' }), claude).body.toolConfig, {
      tools: [{ toolSpec: { name: 'get_weather', description: 'Current weather', inputSchema: { json: weather.function.parameters } } }],
    });
  });

  it('JSON mode is a forced tool whose schema is the requested one', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    const plan = convertToBedrockRequest(request({ response_format: { type: 'json_schema', json_schema: { name: 'person', schema } } }), claude);
    assert.equal(plan.jsonToolName, 'json_response');
    assert.deepEqual(plan.body.toolConfig, {
      tools: [{ toolSpec: { name: 'json_response', description: 'Give your final answer by calling this tool; its input is the answer as JSON.', inputSchema: { json: schema } } }],
      toolChoice: { tool: { name: 'json_response' } },
    });
    const withTools = convertToBedrockRequest(request({ response_format: { type: 'json_object' }, tools: [{ ...weather, function: { ...weather.function, name: 'json_response' } }] }), claude);
    assert.equal(withTools.jsonToolName, 'json_response_');
    assert.deepEqual(withTools.body.toolConfig?.toolChoice, { any: {} });
    assert.deepEqual((withTools.body.toolConfig?.tools[1] as BedrockToolSpec).toolSpec.inputSchema, { json: { type: 'object' } });
  });

  it('reasoning_effort turns on Claude thinking (no temperature then) within the client limit; other models that take none are told unhonoured', () => {
    const thinking = convertToBedrockRequest(request({ reasoning_effort: 'medium', temperature: 0.5, max_tokens: 10000 }), claude).body;
    assert.deepEqual(thinking.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: 4096 } });
    assert.deepEqual(thinking.inferenceConfig, { maxTokens: 10000 });
    // A limit too small for Claude's 1024-token minimum budget (at most half the limit thinks): no thinking, the limit stands.
    const small = convertToBedrockRequest(request({ reasoning_effort: 'medium', temperature: 0.5, max_tokens: 1000 }), claude).body;
    assert.equal(small.additionalModelRequestFields, undefined);
    assert.deepEqual(small.inferenceConfig, { maxTokens: 1000, temperature: 0.5 });
    assert.deepEqual(convertToBedrockRequest(request({ reasoning_effort: 'high' }), claude).body.inferenceConfig, { maxTokens: 16384 + 4096 });
    assert.deepEqual(convertToBedrockRequest(request({ reasoning_effort: 'low', max_tokens: 3000 }), claude).body.inferenceConfig, { maxTokens: 3000 });
    assert.equal(convertToBedrockRequest(request({ reasoning_effort: 'high', tool_choice: 'required', tools: [weather] }), claude).body.additionalModelRequestFields, undefined);
    assert.deepEqual(convertToBedrockRequest(request({ top_k: 40 }), claude).body.additionalModelRequestFields, { top_k: 40 });
    assert.deepEqual(convertToBedrockRequest(request({ top_k: 40, reasoning_effort: 'low' }), claude).body.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: 1024 } });
    // Nova Pro takes no reasoning (only Nova 2 Lite does), but reads top_k from its own inferenceConfig.
    const nova = convertToBedrockRequest(request({ reasoning_effort: 'medium', temperature: 0.5, top_k: 40 }), 'amazon.nova-pro-v1:0');
    assert.deepEqual(nova.body.additionalModelRequestFields, { inferenceConfig: { topK: 40 } });
    assert.deepEqual(nova.body.inferenceConfig, { temperature: 0.5 });
    assert.deepEqual(nova.unhonoured, ['reasoning_effort']);
    const llama = convertToBedrockRequest(request({ reasoning_effort: 'low', top_k: 40 }), 'meta.llama3-1-70b-instruct-v1:0');
    assert.equal(llama.body.additionalModelRequestFields, undefined);
    assert.deepEqual(llama.unhonoured, ['reasoning_effort', 'top_k']);
    const novaTwo = convertToBedrockRequest(request({ reasoning_effort: 'medium', temperature: 0.5 }), 'us.amazon.nova-2-lite-v1:0').body;
    assert.deepEqual([novaTwo.additionalModelRequestFields, novaTwo.inferenceConfig], [{ reasoningConfig: { type: 'enabled', maxReasoningEffort: 'medium' } }, { temperature: 0.5 }]);
  });

  it('JSON mode on models that cannot be forced to call a tool: an instruction, no tool, the answer read as text', () => {
    const plan = convertToBedrockRequest(request({ response_format: { type: 'json_object' }, messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'Hi' }] }), 'meta.llama3-1-70b-instruct-v1:0');
    assert.deepEqual([plan.jsonToolName, plan.jsonText], [null, true]);
    assert.equal(plan.body.toolConfig, undefined);
    assert.equal(plan.body.system?.length, 2);
    assert.match((plan.body.system?.[1] as { text: string }).text, /single JSON object/);
    // A forced tool on Claude 3+ and Nova; Claude 2 cannot call tools at all.
    const nova = convertToBedrockRequest(request({ response_format: { type: 'json_object' } }), 'us.amazon.nova-lite-v1:0');
    assert.deepEqual([nova.jsonToolName, nova.jsonText], ['json_response', false]);
    assert.equal(convertToBedrockRequest(request({ response_format: { type: 'json_object' } }), 'anthropic.claude-v2:1').jsonText, true);
  });

  it("an exact thinking budget (reasoning_budget_tokens, an Anthropic client's) goes as given with the client's limit", () => {
    const body = convertToBedrockRequest(request({ reasoning_effort: 'high', reasoning_budget_tokens: 10000, max_tokens: 12000 }), claude).body;
    assert.deepEqual([body.additionalModelRequestFields, body.inferenceConfig], [{ thinking: { type: 'enabled', budget_tokens: 10000 } }, { maxTokens: 12000 }]);
    assert.deepEqual(convertToBedrockRequest(request({ reasoning_budget_tokens: 2000 }), claude).body.inferenceConfig, { maxTokens: 2000 + 4096 });
    assert.equal(convertToBedrockRequest(request({ reasoning_budget_tokens: 2000 }), 'meta.llama3-1-70b-instruct-v1:0').body.additionalModelRequestFields, undefined);
  });

  it('tool results marked is_error carry status error on models that read it (Claude 3+, Nova), not on others', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'tooluse_1', content: 'Error: down', is_error: true },
    ];
    const resultOf = (model: string) => (convertToBedrockRequest(request({ messages }), model).body.messages[2].content[0] as { toolResult: Record<string, unknown> }).toolResult;
    assert.equal(resultOf(claude).status, 'error');
    assert.equal(resultOf('amazon.nova-pro-v1:0').status, 'error');
    assert.equal(resultOf('meta.llama3-1-70b-instruct-v1:0').status, undefined);
  });

  it('sends back signed reasoning before the text of an assistant turn', () => {
    const { body } = convertToBedrockRequest(
      request({ messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A', reasoning_content: 'thought', reasoning_signature: 'sig' }, { role: 'user', content: 'Q2' }] }),
      claude,
    );
    assert.deepEqual(body.messages[1].content, [{ reasoningContent: { reasoningText: { text: 'thought', signature: 'sig' } } }, { text: 'A' }]);
  });

  it('refuses n > 1, bad tool arguments and tool results without an id', () => {
    refused(() => convertToBedrockRequest(request({ n: 2 }), claude), /'n' must be 1/, 'n');
    assert.doesNotThrow(() => convertToBedrockRequest(request({ n: 1 }), claude));
    refused(() => convertToBedrockRequest(request({ messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '[1]' } }] }] }), claude), /JSON object/);
    refused(() => convertToBedrockRequest(request({ messages: [{ role: 'tool', content: 'x' }] }), claude), /tool_call_id/);
  });

  it('drops empty messages and merges consecutive user turns', () => {
    const { body } = convertToBedrockRequest(request({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: '' }, { role: 'user', content: 'b' }] }), claude);
    assert.deepEqual(body.messages, [{ role: 'user', content: [{ text: 'a' }, { text: 'b' }] }]);
  });

  it('files from data URLs become document blocks with a format and a name Converse accepts; file ids are refused', () => {
    const { body } = convertToBedrockRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0x', filename: 'Q3 report (final)_v2.pdf' } },
              { type: 'file', file: { file_data: 'data:text/markdown;base64,IyBIaQ==' } },
              { type: 'text', text: 'Summarise both.' },
            ],
          },
        ],
      }),
      claude,
    );
    assert.deepEqual(body.messages[0].content, [
      { document: { format: 'pdf', name: 'Q3 report (final)-v2', source: { bytes: 'JVBERi0x' } } },
      { document: { format: 'md', name: 'document-2', source: { bytes: 'IyBIaQ==' } } },
      { text: 'Summarise both.' },
    ]);
    assert.equal(documentName('a  b\tc.docx', 1), 'a b c');
    refused(() => convertToBedrockRequest(request({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }] }), claude), /file ids are not supported/);
    refused(() => convertToBedrockRequest(request({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/zip;base64,UEsD' } }] }] }), claude), /'application\/zip' is not one of them/);
  });

  it('cache hints (cache_control, from Anthropic-format clients) become cachePoint blocks after the part or tool', () => {
    const hint = { cache_control: { type: 'ephemeral' } };
    const { body } = convertToBedrockRequest(
      request({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Long instructions', ...hint }] },
          { role: 'user', content: [{ type: 'text', text: 'Long document', ...hint }, { type: 'text', text: 'Question' }] },
        ],
        tools: [{ ...weather, ...hint }],
      }),
      claude,
    );
    assert.deepEqual(body.system, [{ text: 'Long instructions' }, { cachePoint: { type: 'default' } }]);
    assert.deepEqual(body.messages[0].content, [{ text: 'Long document' }, { cachePoint: { type: 'default' } }, { text: 'Question' }]);
    assert.deepEqual(body.toolConfig?.tools[1], { cachePoint: { type: 'default' } });
  });
});
