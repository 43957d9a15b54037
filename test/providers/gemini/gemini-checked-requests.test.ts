import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { RecordedRequest, StandIn } from '../../helpers/stand-in-server.ts';
import { sseBody } from '../../helpers/stand-in-server.ts';
import { startProviderGateway, type GatewaySetup } from '../../helpers/provider-gateway.ts';
import { collect } from '../../helpers/openai-sdk.ts';
import { googleRefusal, writeGoogleRefusal } from './checking-google-stand-in.ts';

/**
 * Requests Google refused, or answered with less than asked, found by the provider-fidelity audit:
 * `data:image/jpg` images, tools together with response_format on Gemini 2.x, and logprobs.
 * Through the real gateway with the openai SDK, against a stand-in that refuses what Google refuses
 * (checking-google-stand-in.ts).
 */

const model = 'gemini/gemini-2.5-flash';
const zeroConfig: GatewaySetup = (upstreamUrl) => ({ env: { GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: upstreamUrl } });

type Body = Record<string, unknown>;
type Answer = (request: RecordedRequest) => Body;

const usageMetadata = { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 };

function partsAnswer(parts: Body[], extra: Body = {}): Body {
  return { candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0, ...extra }], usageMetadata };
}

const textAnswer = partsAnswer([{ text: 'A cat.' }]);

/** Google's answer as one JSON body, or as the SSE stream of streamGenerateContent (one event a candidate update). */
function write(request: RecordedRequest, response: ServerResponse, answer: Body | Body[]): void {
  if (request.path.includes(':streamGenerateContent')) {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(sseBody(Array.isArray(answer) ? answer : [answer]));
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(Array.isArray(answer) ? answer[0] : answer));
}

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', strict: true, parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
};
const answerSchema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
const jsonSchemaFormat = { type: 'json_schema' as const, json_schema: { name: 'answer', strict: true, schema: answerSchema } };

describe('gemini: requests Google refuses, through the gateway (OpenAI SDK, checking stand-in)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;
  let answer: Answer | Body[] = () => textAnswer;

  before(async () => {
    ({ upstream, client, close } = await startProviderGateway((request, response) => {
      const refused = googleRefusal(request.json as never, request.path);
      if (refused !== null) return writeGoogleRefusal(response, refused);
      write(request, response, typeof answer === 'function' ? answer(request) : answer);
    }, zeroConfig));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    answer = () => textAnswer;
  });
  after(() => close());

  const sent = (): Body => upstream.requests.at(-1)!.json as Body;
  const declarations = (body: Body) => (body.tools as Array<{ functionDeclarations: Body[] }>)[0].functionDeclarations;

  it('data:image/jpg, image/pjpeg and IMAGE/PNG images go up as image/jpeg and image/png, which Google takes', async () => {
    const image = (url: string) => ({ type: 'image_url' as const, image_url: { url } });
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what?' }, image('data:image/jpg;base64,/9j/4AAQSkZJRgABAQ=='), image('data:image/pjpeg;base64,/9j/4AAQ'), image('data:IMAGE/PNG;base64,iVBORw0KGgo=')] }],
    });
    assert.equal(completion.choices[0].message.content, 'A cat.');
    assert.deepEqual((sent().contents as Array<{ parts: Body[] }>)[0].parts, [
      { text: 'what?' },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQSkZJRgABAQ==' } },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
    ]);
  });

  it("tools with json_schema on Gemini 2.5: a forced json_response tool (mode ANY) instead of responseMimeType; its arguments are the content, finish_reason stop, streamed or not (chat.completions.parse)", async () => {
    answer = () => partsAnswer([{ functionCall: { name: 'json_response', args: { answer: 'Sunny in Rome' } } }]);
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Rome, as JSON' }];
    const parsed = await client.chat.completions.parse({ model, messages, tools: [weatherTool], response_format: jsonSchemaFormat });
    const message = parsed.choices[0].message;
    assert.deepEqual([message.content, message.parsed, message.tool_calls, parsed.choices[0].finish_reason], ['{"answer":"Sunny in Rome"}', { answer: 'Sunny in Rome' }, undefined, 'stop']);
    const body = sent();
    assert.deepEqual(declarations(body).map((declaration) => declaration.name), ['get_weather', 'json_response']);
    assert.deepEqual(declarations(body)[1].parametersJsonSchema, answerSchema);
    assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY' } });
    assert.equal(body.generationConfig, undefined, 'no responseMimeType beside the functions');

    const chunks = await collect(await client.chat.completions.create({ model, messages, tools: [weatherTool], response_format: jsonSchemaFormat, stream: true }));
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), '{"answer":"Sunny in Rome"}');
    assert.equal(chunks.some((chunk) => chunk.choices[0]?.delta.tool_calls !== undefined), false);
    assert.equal(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0].finish_reason, 'stop');
  });

  it("under JSON mode a real call still comes back as a tool call; tool_choice none lets only json_response be called (json_object: any object); a named choice stays", async () => {
    answer = () => partsAnswer([{ functionCall: { name: 'get_weather', args: { city: 'Rome' } } }]);
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Rome? Answer in JSON.' }];
    const call = await client.chat.completions.create({ model, messages, tools: [weatherTool], response_format: { type: 'json_object' } });
    assert.equal(call.choices[0].finish_reason, 'tool_calls');
    assert.equal((call.choices[0].message.tool_calls?.[0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall).function.arguments, '{"city":"Rome"}');
    assert.deepEqual(declarations(sent())[1], { name: 'json_response', description: 'Give your final answer by calling this tool; its input is the answer as JSON.', parametersJsonSchema: { type: 'object' } });

    answer = () => partsAnswer([{ functionCall: { name: 'json_response', args: { city: 'Rome', sky: 'clear' } } }]);
    const final = await client.chat.completions.create({ model, messages, tools: [weatherTool], tool_choice: 'none', response_format: { type: 'json_object' } });
    assert.deepEqual(JSON.parse(final.choices[0].message.content ?? ''), { city: 'Rome', sky: 'clear' });
    assert.deepEqual(sent().toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['json_response'] } });

    answer = () => partsAnswer([{ functionCall: { name: 'get_weather', args: { city: 'Rome' } } }]);
    await client.chat.completions.create({ model, messages, tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } }, response_format: jsonSchemaFormat });
    assert.deepEqual(sent().toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
  });

  it('Gemini 3 takes structured output beside functions: responseMimeType and the schema go up with the tools as sent; no tools, no change', async () => {
    answer = () => partsAnswer([{ text: '{"answer":"Sunny"}' }]);
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Rome, as JSON' }];
    const completion = await client.chat.completions.create({ model: 'gemini/gemini-3-flash-preview', messages, tools: [weatherTool], response_format: jsonSchemaFormat });
    assert.equal(completion.choices[0].message.content, '{"answer":"Sunny"}');
    assert.deepEqual(declarations(sent()).map((declaration) => declaration.name), ['get_weather']);
    assert.equal(sent().toolConfig, undefined);
    assert.deepEqual(sent().generationConfig, { responseMimeType: 'application/json', responseJsonSchema: answerSchema });

    await client.chat.completions.create({ model, messages, response_format: jsonSchemaFormat });
    assert.deepEqual(sent().generationConfig, { responseMimeType: 'application/json', responseJsonSchema: answerSchema });
    assert.equal(sent().tools, undefined);
  });

  it("logprobs and top_logprobs go up as responseLogprobs and logprobs; Gemini's logprobsResult comes back as OpenAI's choices[].logprobs, streamed or not", async () => {
    const token = (text: string, logProbability?: number) => ({ token: text, tokenId: text.length, ...(logProbability === undefined ? {} : { logProbability }) });
    const step = (chosen: Body, ...top: Body[]) => ({ chosen, top: { candidates: top } });
    const steps = [step(token('Hé', -0.25), token('Hé', -0.25), token('Hi', -1.5)), step(token('!'), token('!'), token('.', -4))];
    const logprobsResult = (of: typeof steps) => ({ chosenCandidates: of.map((item) => item.chosen), topCandidates: of.map((item) => item.top), logProbabilitySum: -0.25 });
    answer = () => partsAnswer([{ text: 'Hé!' }], { logprobsResult: logprobsResult(steps), avgLogprobs: -0.125 });
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], logprobs: true, top_logprobs: 2 });
    assert.deepEqual(sent().generationConfig, { responseLogprobs: true, logprobs: 2 });
    const expected = [
      { token: 'Hé', logprob: -0.25, bytes: [72, 195, 169], top_logprobs: [{ token: 'Hé', logprob: -0.25, bytes: [72, 195, 169] }, { token: 'Hi', logprob: -1.5, bytes: [72, 105] }] },
      { token: '!', logprob: 0, bytes: [33], top_logprobs: [{ token: '!', logprob: 0, bytes: [33] }, { token: '.', logprob: -4, bytes: [46] }] },
    ];
    assert.deepEqual(completion.choices[0].logprobs, { content: expected, refusal: null });

    // Streamed, each event carries the tokens of its own text.
    const event = (text: string, of: typeof steps, finish?: string) => ({ candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0, logprobsResult: logprobsResult(of), ...(finish ? { finishReason: finish } : {}) }], usageMetadata });
    answer = [event('Hé', steps.slice(0, 1)), event('!', steps.slice(1), 'STOP')];
    const chunks = await collect(await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], logprobs: true, top_logprobs: 2, stream: true }));
    const withLogprobs = chunks.filter((chunk) => chunk.choices[0]?.logprobs);
    assert.deepEqual(withLogprobs.map((chunk) => [chunk.choices[0].delta.content, chunk.choices[0].logprobs?.content]), [['Hé', expected.slice(0, 1)], ['!', expected.slice(1)]]);

    // Without logprobs nothing is asked for, and none come back.
    answer = () => textAnswer;
    const plain = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(sent().generationConfig, undefined);
    assert.equal(plain.choices[0].logprobs, null);
  });
});
