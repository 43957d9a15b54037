import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertToGeminiRequest } from '../../../src/providers/gemini/convert-to-gemini-request.ts';
import { guessMimeType } from '../../../src/providers/gemini/convert-to-gemini-contents.ts';
import { encodeToolCallId, skipSignatureValidator } from '../../../src/providers/gemini/gemini-tool-call-id.ts';
import { recordedSignature } from './fixtures.ts';

const model = 'gemini-2.5-flash';

test('system and developer messages become systemInstruction; roles map to user/model', () => {
  const body = convertToGeminiRequest(
    {
      model,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Salut' },
        { role: 'user', content: 'Ça va ?' },
      ],
    },
    model,
  );
  assert.deepEqual(body.systemInstruction, { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] });
  assert.deepEqual(body.contents, [
    { role: 'user', parts: [{ text: 'Hi' }] },
    { role: 'model', parts: [{ text: 'Salut' }] },
    { role: 'user', parts: [{ text: 'Ça va ?' }] },
  ]);
  assert.equal(body.generationConfig, undefined);
  assert.equal(body.tools, undefined);
});

test('consecutive same-role turns are merged', () => {
  const body = convertToGeminiRequest({ model, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'assistant', content: 'c' }, { role: 'assistant', content: 'd' }] }, model);
  assert.deepEqual(body.contents, [
    { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
    { role: 'model', parts: [{ text: 'c' }, { text: 'd' }] },
  ]);
});

test('a system-only prompt is sent as the user turn', () => {
  const body = convertToGeminiRequest({ model, messages: [{ role: 'system', content: 'Say hi' }] }, model);
  assert.equal(body.systemInstruction, undefined);
  assert.deepEqual(body.contents, [{ role: 'user', parts: [{ text: 'Say hi' }] }]);
});

test('images: data URLs become inlineData, http URLs fileData with a guessed MIME type', () => {
  const body = convertToGeminiRequest(
    {
      model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.JPG?size=large', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/render' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          ],
        },
      ],
    },
    model,
  );
  assert.deepEqual(body.contents[0].parts, [
    { text: 'Compare' },
    { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
    { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.JPG?size=large' } },
    { fileData: { fileUri: 'https://example.com/render' } },
    { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
    { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
  ]);
  assert.equal(guessMimeType('https://x/y.webp'), 'image/webp');
  // Vertex requires the type: an image without an extension is sent as image/jpeg, a YouTube link as video/mp4.
  const vertex = convertToGeminiRequest(
    {
      model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'https://example.com/render' } },
            { type: 'image_url', image_url: { url: 'https://cdn.example.com/p/1.png?sig=x' } },
            { type: 'image_url', image_url: { url: 'https://www.youtube.com/watch?v=9hE5-98ZeCg' } },
          ],
        },
      ],
    },
    model,
    { fileMimeTypeRequired: true },
  );
  assert.deepEqual(vertex.contents[0].parts, [
    { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/render' } },
    { fileData: { mimeType: 'image/png', fileUri: 'https://cdn.example.com/p/1.png?sig=x' } },
    { fileData: { mimeType: 'video/mp4', fileUri: 'https://www.youtube.com/watch?v=9hE5-98ZeCg' } },
  ]);
  assert.equal(guessMimeType('gs://bucket/doc.pdf'), 'application/pdf');
});

test('a non-base64 data URL is re-encoded as base64', () => {
  const body = convertToGeminiRequest({ model, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/svg+xml,%3Csvg%2F%3E' } }] }] }, model);
  assert.deepEqual(body.contents[0].parts, [{ inlineData: { mimeType: 'image/svg+xml', data: Buffer.from('<svg/>').toString('base64') } }]);
});

test('uploaded OpenAI file ids are refused with a 400', () => {
  assert.throws(
    () => convertToGeminiRequest({ model, messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }] }, model),
    (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'messages[0].content[0]',
  );
});

test('tool calls become functionCall parts; tool results functionResponse parts named after their call, each with the call id', () => {
  const signedId = encodeToolCallId('call_a', recordedSignature);
  const request: ChatRequest = {
    model,
    messages: [
      { role: 'user', content: 'Weather in Paris and the time?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: signedId, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: signedId, content: '{"temp":21}' },
      { role: 'tool', tool_call_id: 'call_b', content: '14:05' },
      { role: 'user', content: 'Thanks' },
    ],
  };
  const body = convertToGeminiRequest(request, model);
  assert.deepEqual(body.contents, [
    { role: 'user', parts: [{ text: 'Weather in Paris and the time?' }] },
    {
      role: 'model',
      parts: [
        { functionCall: { id: 'call_a', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: recordedSignature },
        { functionCall: { id: 'call_b', name: 'get_time', args: {} } },
      ],
    },
    {
      role: 'user',
      parts: [
        { functionResponse: { id: 'call_a', name: 'get_weather', response: { temp: 21 } } },
        { functionResponse: { id: 'call_b', name: 'get_time', response: { result: '14:05' } } },
      ],
    },
    // The answers to the calls are a turn of their own: Gemini 3 refuses (or answers empty) a
    // function-response turn that holds the user's text too.
    { role: 'user', parts: [{ text: 'Thanks' }] },
  ]);
});

test("ids the gateway made up for Gemini's calls are not sent back; Gemini's own are, on the call and its result", () => {
  const gatewayId = encodeToolCallId('call_0123456789abcdef_0', recordedSignature);
  const body = convertToGeminiRequest(
    {
      model,
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          tool_calls: [
            { id: gatewayId, type: 'function', function: { name: 'a', arguments: '{}' } },
            { id: 'fc-abc123', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
          ],
        },
        { role: 'tool', tool_call_id: gatewayId, content: '1' },
        { role: 'tool', tool_call_id: 'fc-abc123', content: '2' },
      ],
    },
    model,
  );
  assert.deepEqual(body.contents[1].parts.map((part) => part.functionCall), [
    { name: 'a', args: {} },
    { id: 'fc-abc123', name: 'a', args: { x: 1 } },
  ]);
  assert.deepEqual(body.contents[2].parts.map((part) => part.functionResponse), [
    { name: 'a', response: { result: 1 } },
    { id: 'fc-abc123', name: 'a', response: { result: 2 } },
  ]);
});

test('non-object tool results are wrapped as {result}', () => {
  const call = (content: string) =>
    convertToGeminiRequest(
      { model, messages: [{ role: 'assistant', tool_calls: [{ id: 'x', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'x', content }] },
      model,
    ).contents[1].parts[0].functionResponse?.response;
  assert.deepEqual(call('[1,2]'), { result: [1, 2] });
  assert.deepEqual(call('42'), { result: 42 });
  assert.deepEqual(call('"ok"'), { result: 'ok' });
  assert.deepEqual(call('not json'), { result: 'not json' });
  assert.deepEqual(call('{"a":{"b":1}}'), { a: { b: 1 } });
});

test('calls without a signature (another model made them) get the documented bypass signature on the first call', () => {
  const body = convertToGeminiRequest(
    {
      model: 'gemini-3-pro-preview',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'a', arguments: '{}' } }, { id: 'call_2', type: 'function', function: { name: 'b', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'x' },
        { role: 'tool', tool_call_id: 'call_2', content: 'y' },
      ],
    },
    'gemini-3-pro-preview',
  );
  assert.equal(body.contents[1].parts[0].thoughtSignature, skipSignatureValidator);
  assert.equal(body.contents[1].parts[1].thoughtSignature, undefined);
});

test("Google's extra_content.google.thought_signature is accepted too", () => {
  const body = convertToGeminiRequest(
    { model, messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'a', arguments: '{}' }, extra_content: { google: { thought_signature: 'c2ln' } } } as never] }] },
    model,
  );
  assert.equal(body.contents[0].parts[0].thoughtSignature, 'c2ln');
});

test('a tool message answering no known call is a 400', () => {
  assert.throws(
    () => convertToGeminiRequest({ model, messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'nope', content: '1' }] }, model),
    (error: unknown) => error instanceof GatewayError && error.status === 400 && /nope/.test(error.message),
  );
});

test('tools become functionDeclarations with a JSON Schema; tool_choice maps to functionCallingConfig', () => {
  const tools: ChatRequest['tools'] = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather for a city',
        strict: true,
        parameters: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false, properties: { city: { type: 'string', format: 'uri' }, extra: { type: 'object' } }, required: ['city'] },
      },
    },
    { type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {}, additionalProperties: false } } },
    { type: 'function', function: { name: 'anything', parameters: { type: 'object', additionalProperties: true } } },
  ];
  const base = { model, messages: [{ role: 'user' as const, content: 'x' }], tools };
  const body = convertToGeminiRequest(base, model);
  assert.deepEqual(body.tools, [
    {
      functionDeclarations: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          parametersJsonSchema: { type: 'object', additionalProperties: false, properties: { city: { type: 'string', format: 'uri' }, extra: { type: 'object' } }, required: ['city'] },
        },
        { name: 'ping' },
        { name: 'anything', parametersJsonSchema: { type: 'object', additionalProperties: true } },
      ],
    },
  ]);
  assert.equal(body.toolConfig, undefined);
  assert.deepEqual(convertToGeminiRequest({ ...base, tool_choice: 'auto' }, model).toolConfig, { functionCallingConfig: { mode: 'AUTO' } });
  assert.deepEqual(convertToGeminiRequest({ ...base, tool_choice: 'none' }, model).toolConfig, { functionCallingConfig: { mode: 'NONE' } });
  assert.deepEqual(convertToGeminiRequest({ ...base, tool_choice: 'required' }, model).toolConfig, { functionCallingConfig: { mode: 'ANY' } });
  assert.deepEqual(convertToGeminiRequest({ ...base, tool_choice: { type: 'function', function: { name: 'ping' } } }, model).toolConfig, {
    functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['ping'] },
  });
});

test('function names Google refuses go up renamed everywhere: declarations, tool_choice, earlier calls and results', () => {
  const body = convertToGeminiRequest(
    {
      model,
      tools: [{ type: 'function', function: { name: '2fa_check', parameters: { type: 'object', properties: { code: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: '2fa_check' } },
      messages: [
        { role: 'user', content: 'check' },
        { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: '2fa_check', arguments: '{"code":"1"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      ],
    },
    model,
  );
  assert.equal(body.tools?.[0].functionDeclarations[0].name, '_2fa_check');
  assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['_2fa_check'] } });
  assert.equal(body.contents[1].parts[0].functionCall?.name, '_2fa_check');
  assert.equal(body.contents[2].parts[0].functionResponse?.name, '_2fa_check');
});

test('sampling parameters, stop, seed, n, penalties, logprobs and the top_k extension map into generationConfig', () => {
  const body = convertToGeminiRequest(
    { model, messages: [{ role: 'user', content: 'x' }], temperature: 0.2, top_p: 0.9, top_k: 20, max_tokens: 100, max_completion_tokens: 200, stop: 'END', seed: 7, n: 2, presence_penalty: 0.5, frequency_penalty: -0.5, logprobs: true, top_logprobs: 3, user: 'u1' },
    model,
  );
  assert.deepEqual(body.generationConfig, { temperature: 0.2, topP: 0.9, topK: 20, maxOutputTokens: 200, stopSequences: ['END'], seed: 7, candidateCount: 2, presencePenalty: 0.5, frequencyPenalty: -0.5, responseLogprobs: true, logprobs: 3 });
  // top_logprobs counts only beside logprobs: true, as Gemini's logprobs beside responseLogprobs.
  assert.equal(convertToGeminiRequest({ model, messages: [{ role: 'user', content: 'x' }], logprobs: false, top_logprobs: 3 }, model).generationConfig, undefined);
  assert.deepEqual(convertToGeminiRequest({ model, messages: [{ role: 'user', content: 'x' }], max_tokens: 50, stop: ['a', 'b'], n: 1 }, model).generationConfig, { maxOutputTokens: 50, stopSequences: ['a', 'b'] });
});

test('response_format: json_object sets the JSON MIME type; json_schema adds responseJsonSchema', () => {
  const messages = [{ role: 'user' as const, content: 'x' }];
  assert.deepEqual(convertToGeminiRequest({ model, messages, response_format: { type: 'json_object' } }, model).generationConfig, { responseMimeType: 'application/json' });
  const body = convertToGeminiRequest(
    {
      model,
      messages,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'person', strict: true, schema: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, age: { type: ['integer', 'null'] }, data: { type: 'object' } }, required: ['name', 'age'] } },
      },
    },
    model,
  );
  assert.deepEqual(body.generationConfig, {
    responseMimeType: 'application/json',
    responseJsonSchema: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, age: { type: ['integer', 'null'] }, data: { type: 'object' } }, required: ['name', 'age'] },
  });
  assert.equal(convertToGeminiRequest({ model, messages, response_format: { type: 'text' } }, model).generationConfig, undefined);
});

test('JSON mode beside functions before Gemini 3: a forced JSON tool, named apart from the client functions (as written and as Gemini sees them)', () => {
  const messages = [{ role: 'user' as const, content: 'x' }];
  const tool = (name: string) => ({ type: 'function' as const, function: { name, parameters: { type: 'object', properties: { a: { type: 'string' } } } } });
  const names = (body: ReturnType<typeof convertToGeminiRequest>) => body.tools?.[0].functionDeclarations.map((declaration) => declaration.name);
  assert.deepEqual(names(convertToGeminiRequest({ model, messages, tools: [tool('json_response')], response_format: { type: 'json_object' } }, model)), ['json_response', 'json_response_']);
  assert.deepEqual(names(convertToGeminiRequest({ model, messages, tools: [tool('json response')], response_format: { type: 'json_object' } }, model)), ['json_response', 'json_response_']);
  const described = convertToGeminiRequest({ model, messages, tools: [tool('f')], response_format: { type: 'json_schema', json_schema: { name: 'n', description: 'The weather', schema: { properties: { t: { type: 'number' } } } } } }, 'gemini-2.0-flash');
  assert.deepEqual(described.tools?.[0].functionDeclarations[1], { name: 'json_response', description: 'The weather', parametersJsonSchema: { type: 'object', properties: { t: { type: 'number' } } } });
  assert.equal(described.generationConfig, undefined);
  // Gemini 3 takes both; a name that says no generation gets the forced tool, which every model takes.
  assert.equal(convertToGeminiRequest({ model, messages, tools: [tool('f')], response_format: { type: 'json_object' } }, 'gemini-3.1-pro-preview').generationConfig?.responseMimeType, 'application/json');
  assert.deepEqual(names(convertToGeminiRequest({ model, messages, tools: [tool('f')], response_format: { type: 'json_object' } }, 'gemini-flash-latest')), ['f', 'json_response']);
});

test('reasoning_effort becomes a thinking level (Gemini 3) or budget (Gemini 2.5), with thought summaries', () => {
  const messages = [{ role: 'user' as const, content: 'x' }];
  assert.deepEqual(convertToGeminiRequest({ model, messages, reasoning_effort: 'high' }, 'gemini-3-pro-preview').generationConfig?.thinkingConfig, { includeThoughts: true, thinkingLevel: 'high' });
  assert.deepEqual(convertToGeminiRequest({ model, messages, reasoning_effort: 'low' }, 'gemini-2.5-flash').generationConfig?.thinkingConfig, { includeThoughts: true, thinkingBudget: 1024 });
  assert.deepEqual(convertToGeminiRequest({ model, messages, reasoning_effort: 'minimal' }, 'gemini-2.5-flash').generationConfig?.thinkingConfig, { thinkingBudget: 0 });
  assert.deepEqual(convertToGeminiRequest({ model, messages, reasoning_effort: 'minimal' }, 'gemini-2.5-pro').generationConfig?.thinkingConfig, { includeThoughts: true, thinkingBudget: 128 });
  assert.deepEqual(convertToGeminiRequest({ model, messages, reasoning_effort: 'none' as never }, 'gemini-2.5-flash').generationConfig?.thinkingConfig, { thinkingBudget: 0 });
});

test('safety settings from the provider options are sent as they are', () => {
  const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }];
  assert.deepEqual(convertToGeminiRequest({ model, messages: [{ role: 'user', content: 'x' }] }, model, { safetySettings }).safetySettings, safetySettings);
});
