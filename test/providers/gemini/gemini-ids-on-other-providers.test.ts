import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { RecordedRequest, StandIn } from '../../helpers/stand-in-server.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { collect, weatherTool } from '../../helpers/openai-sdk.ts';

/** A Gemini 3 thought signature as long as real ones (hundreds of bytes), with `+`, `/` and padding. */
const signature = Buffer.from(Array.from({ length: 301 }, (_, index) => (index * 37 + 251) % 256)).toString('base64');

type GeminiAnswer = 'tool-call' | 'text' | 'overloaded';

function geminiReply(answer: GeminiAnswer, response: ServerResponse): void {
  if (answer === 'overloaded') {
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }));
    return;
  }
  const parts = answer === 'tool-call' ? [{ functionCall: { id: 'fc-1', name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }, thoughtSignature: signature }] : [{ text: 'Sunny in Paris.' }];
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 6, totalTokenCount: 18 } }));
}

type OpenAIMessage = { role: string; tool_calls?: Array<{ id: string }>; tool_call_id?: string };

/** OpenAI's own check: a tool-call id over 40 characters is refused with 400 string_above_max_length. */
function openAIReply(request: RecordedRequest, response: ServerResponse): void {
  const messages = (request.json as { messages: OpenAIMessage[] }).messages;
  for (const [index, message] of messages.entries()) {
    const ids = [...(message.tool_calls ?? []).map((call) => call.id), ...(message.tool_call_id === undefined ? [] : [message.tool_call_id])];
    const long = ids.find((id) => id.length > 40);
    if (long !== undefined) {
      response.writeHead(400, { 'content-type': 'application/json' });
      const message = `Invalid 'messages[${index}].tool_calls[0].id': string too long. Expected a string with maximum length 40, but got a string with length ${long.length} instead.`;
      response.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: `messages[${index}].tool_calls[0].id`, code: 'string_above_max_length' } }));
      return;
    }
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      id: 'chatcmpl-oai',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'It is sunny in Paris.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 20, completion_tokens: 6, total_tokens: 26 },
    }),
  );
}

/** The tool-call ids of a request an OpenAI-format provider got: each call's and each result's. */
function idsSent(request: RecordedRequest): { calls: string[]; results: string[] } {
  const messages = (request.json as { messages: OpenAIMessage[] }).messages;
  return { calls: messages.flatMap((message) => (message.tool_calls ?? []).map((call) => call.id)), results: messages.flatMap((message) => (message.tool_call_id === undefined ? [] : [message.tool_call_id])) };
}

/**
 * A tool conversation begun on Gemini 3 (its thought signature folded into the tool-call id) and
 * continued on an OpenAI-format provider, by the client or by the gateway's own failover: the
 * provider gets ids it takes (at most 40 characters, OpenAI's limit; no signature), the same in
 * the call and its result, and the signature still reaches Gemini when the conversation goes back.
 * (Gemini/Vertex audit, finding 1.)
 */
describe('Gemini 3 tool-call ids on OpenAI-format providers (OpenAI and Anthropic SDK clients)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let anthropic: Anthropic;
  let close: () => Promise<void>;
  let gemini: GeminiAnswer = 'tool-call';

  before(async () => {
    const started = await startProviderGateway(
      (request, response) => (request.path.startsWith('/v1beta/') ? geminiReply(gemini, response) : openAIReply(request, response)),
      (upstreamUrl) => ({
        config: `
providers:
  gemini: { type: gemini, api_key: gem-key, base_url: "${upstreamUrl}" }
  oai: { type: openai-compatible, api_key: sk-test, base_url: "${upstreamUrl}/v1" }
models:
  mix:
    strategy: priority
    targets:
      - { provider: gemini, model: gemini-3-pro-preview }
      - { provider: oai, model: gpt-4o }
`,
      }),
    );
    ({ upstream, client, close } = started);
    anthropic = new Anthropic({ baseURL: started.gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    gemini = 'tool-call';
  });
  after(() => close());

  /** Gemini 3's tool call, as the OpenAI client got it, and the conversation with its result. */
  async function conversationFromGemini(): Promise<{ id: string; history: ChatCompletionMessageParam[] }> {
    const first = await client.chat.completions.create({ model: 'gemini/gemini-3-pro-preview', tools: [weatherTool], messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const message = first.choices[0].message;
    const call = message.tool_calls![0];
    assert.ok(call.id.startsWith('fc-1__ts_') && call.id.length > 300, 'the signature travels in the id the client holds');
    const history: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }, message, { role: 'tool', tool_call_id: call.id, content: '{"sky":"sunny"}' }];
    return { id: call.id, history };
  }

  function assertShortMatchingIds(request: RecordedRequest): string {
    const { calls, results } = idsSent(request);
    assert.equal(calls.length, 1);
    assert.deepEqual(results, calls, 'the call and its result keep the same id');
    assert.ok(calls[0].length <= 40, `id of ${calls[0].length} characters`);
    assert.ok(!calls[0].includes('__ts_'), 'no Gemini signature leaves for another provider');
    assert.match(calls[0], /^fc-1_[0-9a-f]{12}$/);
    return calls[0];
  }

  it('a conversation continued on an OpenAI-compatible model: short ids, the same in call and result, and every time', async () => {
    const { history } = await conversationFromGemini();
    upstream.requests.length = 0;
    const answer = await client.chat.completions.create({ model: 'oai/gpt-4o', tools: [weatherTool], messages: history });
    assert.equal(answer.choices[0].message.content, 'It is sunny in Paris.');
    const first = assertShortMatchingIds(upstream.requests[0]);
    // The next turn, streamed: the stand-in answers JSON, which the gateway streams all the same.
    await collect(await client.chat.completions.create({ model: 'oai/gpt-4o', tools: [weatherTool], stream: true, messages: [...history, { role: 'assistant', content: 'It is sunny.' }, { role: 'user', content: 'And tomorrow?' }] }));
    assert.equal(assertShortMatchingIds(upstream.requests[1]), first, 'the next turn (streamed) maps the id the same way');
  });

  it('back on Gemini, the same history carries the original id and thought signature', async () => {
    const { history } = await conversationFromGemini();
    upstream.requests.length = 0;
    gemini = 'text';
    await client.chat.completions.create({ model: 'gemini/gemini-3-pro-preview', tools: [weatherTool], messages: history });
    const contents = (upstream.requests[0].json as { contents: Array<{ role: string; parts: Array<Record<string, unknown>> }> }).contents;
    const callPart = contents[1].parts[0] as { functionCall: { id: string }; thoughtSignature: string };
    assert.equal(callPart.functionCall.id, 'fc-1');
    assert.equal(callPart.thoughtSignature, signature);
    assert.equal((contents[2].parts[0] as { functionResponse: { id: string } }).functionResponse.id, 'fc-1');
  });

  it('the gateway failing over from Gemini (503) to the OpenAI target sends ids it takes: the client gets the answer, not a 400', async () => {
    const { history } = await conversationFromGemini();
    upstream.requests.length = 0;
    gemini = 'overloaded';
    const answer = await client.chat.completions.create({ model: 'mix', tools: [weatherTool], messages: history });
    assert.equal(answer.choices[0].message.content, 'It is sunny in Paris.');
    assert.deepEqual(
      upstream.requests.map((request) => request.path),
      ['/v1beta/models/gemini-3-pro-preview:generateContent', '/v1/chat/completions'],
    );
    assertShortMatchingIds(upstream.requests[1]);
  });

  it('an Anthropic SDK client: tool_use ids from Gemini 3 reach the OpenAI-compatible model short and paired', async () => {
    const tools = [{ name: 'get_weather', description: 'Current weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];
    const first = await anthropic.messages.create({ model: 'gemini/gemini-3-pro-preview', max_tokens: 256, tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    assert.ok(toolUse && toolUse.id.length > 300);
    upstream.requests.length = 0;
    const answer = await anthropic.messages.create({
      model: 'oai/gpt-4o',
      max_tokens: 256,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny' }] },
      ],
    });
    assert.equal(answer.content[0].type === 'text' ? answer.content[0].text : '', 'It is sunny in Paris.');
    assertShortMatchingIds(upstream.requests[0]);
  });
});
