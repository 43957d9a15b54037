import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { collect, isApiError, textBeforeError, weatherTool } from '../../helpers/openai-sdk.ts';

const finishMessage = 'Malformed function call: print(default_api.get_weather(city="Paris"';
const usageMetadata = { promptTokenCount: 12, candidatesTokenCount: 0, totalTokenCount: 12 };
/** What Gemini answers when the model wrote a function call that does not parse: no parts, Google's finishMessage. */
const malformed = { candidates: [{ finishReason: 'MALFORMED_FUNCTION_CALL', finishMessage, index: 0 }], usageMetadata };
const text = { candidates: [{ content: { role: 'model', parts: [{ text: 'Sunny in Paris.' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { ...usageMetadata, candidatesTokenCount: 4, totalTokenCount: 16 } };
const thoughts = { candidates: [{ content: { role: 'model', parts: [{ text: 'Calling the weather tool.', thought: true }] }, index: 0 }], usageMetadata };
const textThenMalformed = { candidates: [{ content: { role: 'model', parts: [{ text: 'Let me check.' }] }, finishReason: 'MALFORMED_FUNCTION_CALL', finishMessage, index: 0 }], usageMetadata };

type GeminiAnswer = { events: unknown[] } | { body: unknown };

function answerGemini(answer: GeminiAnswer | undefined, response: ServerResponse): void {
  if (answer === undefined) throw new Error('the test gave Gemini no answer for this request');
  if ('events' in answer) {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(sseBody(answer.events));
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(answer.body));
}

function answerOpenAI(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      id: 'chatcmpl-oai',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'From the backup model.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 },
    }),
  );
}

const paths = (requests: RecordedRequest[]) => requests.map((request) => request.path.replace(/\?.*$/, '').replace(/^.*:/, ':'));

/**
 * Gemini's `MALFORMED_FUNCTION_CALL` (and UNEXPECTED_TOOL_CALL, TOO_MANY_TOOL_CALLS) with nothing
 * produced is a transient model failure: a retryable 502 naming it, with Google's finishMessage,
 * retried and fallen back on like any, not an empty `stop` answer; streamed, an HTTP error before
 * the first byte, else in-stream. The finishMessage is logged. (Gemini/Vertex audit, finding 2.)
 */
describe('Gemini failed function calls through the gateway (OpenAI SDK client)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;
  const logLines: Array<Record<string, unknown>> = [];
  let geminiAnswers: GeminiAnswer[] = [];

  before(async () => {
    upstream = await startStandIn((request, response) => (request.path.startsWith('/v1beta/') ? answerGemini(geminiAnswers.shift(), response) : answerOpenAI(response)));
    gateway = await startGateway(
      `
providers:
  gemini: { type: gemini, api_key: gem-key, base_url: "${upstream.url}" }
  oai: { type: openai-compatible, api_key: sk-test, base_url: "${upstream.url}/v1" }
routing:
  retry: { backoff: { base: 1ms, max: 5ms } }
  health: { consecutive_failures: 100 }
models:
  flash-retried:
    retry: { attempts: 1 }
    targets: [{ provider: gemini, model: gemini-2.5-flash }]
  flash-then-backup:
    strategy: priority
    targets:
      - { provider: gemini, model: gemini-2.5-flash }
      - { provider: oai, model: gpt-4o }
`,
      {},
      { logLines },
    );
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    logLines.length = 0;
    geminiAnswers = [];
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const ask = (model: string) => client.chat.completions.create({ model, tools: [weatherTool], messages: [{ role: 'user', content: 'Weather in Paris?' }] });
  const askStreamed = (model: string) => client.chat.completions.create({ model, tools: [weatherTool], stream: true, messages: [{ role: 'user', content: 'Weather in Paris?' }] });

  it('with nothing left to try: a 502 naming MALFORMED_FUNCTION_CALL, with Google finishMessage, which is also logged', async () => {
    geminiAnswers = [{ body: malformed }];
    const error = await ask('gemini/gemini-2.5-flash').then(
      () => assert.fail('expected an error, not an empty answer'),
      (caught: unknown) => caught,
    );
    isApiError(502, 'malformed_function_call', 'upstream_error')(error);
    assert.ok(error instanceof APIError);
    assert.match(error.message, /Provider 'gemini' ended the answer with finishReason MALFORMED_FUNCTION_CALL and no content: Malformed function call: print\(default_api/);
    const logged = logLines.find((line) => line.finishReason === 'MALFORMED_FUNCTION_CALL');
    assert.equal(logged?.finishMessage, finishMessage);
    assert.equal(logged?.provider, 'gemini');
  });

  it('retried per the route retry policy: the second attempt answers', async () => {
    geminiAnswers = [{ body: malformed }, { body: text }];
    const completion = await ask('flash-retried');
    assert.equal(completion.choices[0].message.content, 'Sunny in Paris.');
    assert.deepEqual(paths(upstream.requests), [':generateContent', ':generateContent']);
  });

  it('falls back to the next target of the group', async () => {
    geminiAnswers = [{ body: malformed }];
    const completion = await ask('flash-then-backup');
    assert.equal(completion.choices[0].message.content, 'From the backup model.');
    assert.deepEqual(paths(upstream.requests), [':generateContent', '/v1/chat/completions']);
  });

  it('streamed, as the first event: an HTTP error before the first byte, and a fallback still applies', async () => {
    geminiAnswers = [{ events: [malformed] }];
    await assert.rejects(askStreamed('gemini/gemini-2.5-flash'), isApiError(502, 'malformed_function_call', 'upstream_error'));
    geminiAnswers = [{ events: [malformed] }];
    const chunks = await collect(await askStreamed('flash-then-backup'));
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'From the backup model.');
  });

  it('streamed after the stream started (thoughts sent): an in-stream error', async () => {
    geminiAnswers = [{ events: [thoughts, malformed] }];
    const before = await textBeforeError(await askStreamed('gemini/gemini-2.5-flash'), (error) => {
      assert.ok(error instanceof APIError, String(error));
      assert.match(error.message, /MALFORMED_FUNCTION_CALL.*Malformed function call/);
      return true;
    });
    assert.equal(before, '');
  });

  it('a candidate that produced text before the failed call keeps the documented mapping: its text, finish_reason stop', async () => {
    geminiAnswers = [{ body: textThenMalformed }];
    const completion = await ask('gemini/gemini-2.5-flash');
    assert.equal(completion.choices[0].message.content, 'Let me check.');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(logLines.find((line) => line.finishReason === 'MALFORMED_FUNCTION_CALL')?.finishMessage, finishMessage);
  });
});
