import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { RecordedRequest, StandIn } from '../../helpers/stand-in-server.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { fixtureBytes as geminiFixture } from '../gemini/fixtures.ts';
import { googleRefusal } from '../gemini/checking-google-stand-in.ts';

/**
 * Gemini on Vertex AI through the real gateway (OpenAI SDK), for what Vertex checks more strictly
 * than the Gemini API: fileData needs a mimeType, a function name must start with a letter or an
 * underscore; and free-form tool schemas, Gemini's call ids, image/jpg data URLs, tools beside
 * response_format and logprobs, which go the same way as on the Gemini API (the stand-in refuses
 * what Google refuses: ../gemini/checking-google-stand-in.ts). Auth is an access token as api_key
 * (the token paths are vertex-gateway.test.ts's).
 */

const gemini = 'vertex/gemini-2.5-flash';
const generatePath = '/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent';

type Body = Record<string, unknown>;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}

/** Vertex's own refusals for what these tests send: a fileData without mimeType, a function name it does not take. */
function vertexRefusal(body: Body): string | undefined {
  for (const [index, content] of ((body.contents ?? []) as Array<{ parts: Body[] }>).entries()) {
    for (const [position, part] of content.parts.entries()) {
      const fileData = part.fileData as Body | undefined;
      if (fileData && typeof fileData.mimeType !== 'string') return `contents[${index}].parts[${position}].file_data.mime_type: required`;
    }
  }
  for (const declaration of ((body.tools ?? []) as Array<{ functionDeclarations: Array<{ name: string; parameters?: unknown }> }>)[0]?.functionDeclarations ?? []) {
    if (!/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/.test(declaration.name)) return `function_declarations.name '${declaration.name}': Must start with a letter or an underscore`;
    if (declaration.parameters !== undefined) return 'this test expects parametersJsonSchema';
  }
  return undefined;
}

describe('Gemini on Vertex: requests Vertex checks strictly (OpenAI SDK, access token as api_key)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;
  let answer: (request: RecordedRequest) => Body = () => JSON.parse(geminiFixture('generate-text.json').toString('utf8')) as Body;

  before(async () => {
    ({ upstream, client, close } = await startProviderGateway(
      (request, response) => {
        const refused = vertexRefusal(request.json as Body) ?? googleRefusal(request.json as never, request.path) ?? undefined;
        if (refused) return json(response, 400, { error: { code: 400, message: refused, status: 'INVALID_ARGUMENT' } });
        json(response, 200, answer(request));
      },
      (url) => ({ config: `providers:\n  vertex:\n    type: vertex\n    api_key: ya29.test-token\n    base_url: "${url}"\n    options: { project: p1, location: us-central1 }\n` }),
    ));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    answer = () => JSON.parse(geminiFixture('generate-text.json').toString('utf8')) as Body;
  });
  after(() => close());

  const sent = (): Body => {
    assert.equal(upstream.requests.at(-1)?.path, generatePath);
    assert.equal(upstream.requests.at(-1)?.headers.authorization, 'Bearer ya29.test-token');
    return upstream.requests.at(-1)?.json as Body;
  };

  it('an image URL without a file extension gets a mimeType: image/jpeg (the extension, when there is one, decides)', async () => {
    await client.chat.completions.create({
      model: gemini,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'describe' },
            { type: 'image_url', image_url: { url: 'https://images.example.com/photo/12345' } },
            { type: 'image_url', image_url: { url: 'https://images.example.com/photo/12345.webp?w=200' } },
            { type: 'image_url', image_url: { url: 'gs://bucket/scan.pdf' } },
          ],
        },
      ],
    });
    assert.deepEqual((sent().contents as Array<{ parts: Body[] }>)[0].parts, [
      { text: 'describe' },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://images.example.com/photo/12345' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://images.example.com/photo/12345.webp?w=200' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'gs://bucket/scan.pdf' } },
    ]);
  });

  it('a free-form object parameter goes up as parametersJsonSchema', async () => {
    const parameters = { type: 'object', properties: { options: { type: 'object' }, name: { type: 'string' } }, required: ['name'] };
    await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'configure', parameters } }] });
    assert.deepEqual((sent().tools as Array<{ functionDeclarations: Body[] }>)[0].functionDeclarations, [{ name: 'configure', parametersJsonSchema: parameters }]);
  });

  it('a function name starting with a digit is renamed for Vertex and comes back as the client named it; its call id goes back', async () => {
    answer = (request) => {
      const declared = ((request.json as Body).tools as Array<{ functionDeclarations: Array<{ name: string }> }>)[0].functionDeclarations[0].name;
      return { candidates: [{ content: { role: 'model', parts: [{ functionCall: { id: 'vc-1', name: declared, args: { code: '1' } } }] }, finishReason: 'STOP', index: 0 }] };
    };
    const tools = [{ type: 'function' as const, function: { name: '2fa_check', parameters: { type: 'object', properties: { code: { type: 'string' } } } } }];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'check' }];
    const completion = await client.chat.completions.create({ model: gemini, messages, tools });
    assert.equal((sent().tools as Array<{ functionDeclarations: Array<{ name: string }> }>)[0].functionDeclarations[0].name, '_2fa_check');
    const message = completion.choices[0].message;
    const [call] = message.tool_calls as OpenAI.Chat.ChatCompletionMessageFunctionToolCall[];
    assert.deepEqual([call.id, call.function.name], ['vc-1', '2fa_check']);

    answer = () => JSON.parse(geminiFixture('generate-text.json').toString('utf8')) as Body;
    await client.chat.completions.create({ model: gemini, tools, messages: [...messages, message, { role: 'tool', tool_call_id: call.id, content: 'ok' }] });
    const contents = sent().contents as Array<{ parts: Body[] }>;
    assert.deepEqual(contents[1].parts[0].functionCall, { id: 'vc-1', name: '_2fa_check', args: { code: '1' } });
    assert.deepEqual(contents[2].parts[0].functionResponse, { id: 'vc-1', name: '_2fa_check', response: { result: 'ok' } });
  });

  it('a data:image/jpg image goes up as image/jpeg, which Vertex takes', async () => {
    await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/jpg;base64,/9j/4AAQSkZJRgABAQ==' } }] }] });
    assert.deepEqual((sent().contents as Array<{ parts: Body[] }>)[0].parts, [{ inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQSkZJRgABAQ==' } }]);
  });

  it("tools with response_format on Gemini 2.5: the forced json_response tool, whose arguments come back as the content", async () => {
    answer = () => ({ candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'json_response', args: { answer: 'yes' } } }] }, finishReason: 'STOP', index: 0 }] });
    const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } } }];
    const completion = await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'JSON please' }], tools, response_format: { type: 'json_object' } });
    assert.deepEqual([completion.choices[0].message.content, completion.choices[0].finish_reason], ['{"answer":"yes"}', 'stop']);
    const body = sent();
    assert.deepEqual((body.tools as Array<{ functionDeclarations: Body[] }>)[0].functionDeclarations.map((declaration) => declaration.name), ['lookup', 'json_response']);
    assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY' } });
    assert.equal(body.generationConfig, undefined);
  });

  it("logprobs reach Gemini on Vertex (responseLogprobs, logprobs) and its logprobsResult comes back", async () => {
    answer = () => ({ candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0, logprobsResult: { chosenCandidates: [{ token: 'ok', logProbability: -0.5 }], topCandidates: [{ candidates: [{ token: 'ok', logProbability: -0.5 }] }] } }] });
    const completion = await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'hi' }], logprobs: true, top_logprobs: 1 });
    assert.deepEqual(sent().generationConfig, { responseLogprobs: true, logprobs: 1 });
    assert.deepEqual(completion.choices[0].logprobs?.content, [{ token: 'ok', logprob: -0.5, bytes: [111, 107], top_logprobs: [{ token: 'ok', logprob: -0.5, bytes: [111, 107] }] }]);
  });
});
