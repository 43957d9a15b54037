import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { encodeEventStream, type FixtureFrame } from '../providers/bedrock/event-stream-fixtures.ts';
import { controlledUpstream, type ControlledUpstream } from './upstream-control.ts';

const messageStart: FixtureFrame = { eventType: 'messageStart', payload: { role: 'assistant' } };

function exception(exceptionType: string, message: string): FixtureFrame {
  return { messageType: 'exception', exceptionType, payload: { message } };
}

const throttling = exception('throttlingException', 'Too many tokens, please wait before trying again.');

/** Bedrock under load: a 200, messageStart, then a throttlingException before any content. */
const throttledAfterStart = [messageStart, throttling];

/** A whole answer, then what the test adds after its first text (an exception mid-answer). */
function answer(text: string): FixtureFrame[] {
  return [
    messageStart,
    { eventType: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text } } },
    { eventType: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
    { eventType: 'messageStop', payload: { stopReason: 'end_turn' } },
    { eventType: 'metadata', payload: { usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 }, metrics: { latencyMs: 10 } } },
  ];
}

const midwayFailure: FixtureFrame[] = [
  messageStart,
  { eventType: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'The first part' } } },
  exception('modelStreamErrorException', 'The model encountered an error while streaming the response.'),
];

/**
 * Bedrock's ConverseStream reporting a failure right after its messageStart frame (throttling
 * under load), before any content, fails the call like the HTTP error it stands for, as
 * Anthropic's `error` after message_start does: the group's next target serves it, or the client
 * gets the HTTP status, for every client format. An exception after content stays in-stream.
 */
describe('a Bedrock exception before the first content is an HTTP error: retries and fallbacks apply', () => {
  let bedrock: StandIn;
  let steady: ControlledUpstream;
  let gateway: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let frames: FixtureFrame[] = throttledAfterStart;

  before(async () => {
    bedrock = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-bedrock-early' });
      response.end(encodeEventStream(frames));
    });
    steady = await controlledUpstream('steady');
    gateway = await startGateway(`
providers:
  bed: { type: bedrock, api_key: bedrock-key, base_url: "${bedrock.url}", options: { region: us-east-1 } }
  steady: { type: openai-compatible, base_url: "${steady.url}/v1" }
routing:
  health: { consecutive_failures: 0, rate_limit_cooldown: 1ms }
models:
  bedrock-only: { targets: [{ provider: bed, model: "anthropic.claude-sonnet-4-5-20250929-v1:0" }] }
  bedrock-then-steady: { targets: [{ provider: bed, model: "anthropic.claude-sonnet-4-5-20250929-v1:0" }, { provider: steady, model: m }] }
`);
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => {
    bedrock.requests.length = 0;
    steady.hits = 0;
    frames = throttledAfterStart;
  });
  after(async () => {
    await gateway.close();
    await Promise.all([bedrock.close(), steady.standIn.close()]);
  });

  function servedBySteady(headers: Headers, what: string): void {
    assert.equal(headers.get('x-tollgate-provider'), 'steady', what);
    assert.equal(headers.get('x-tollgate-attempts'), '2', what);
    assert.equal(bedrock.requests.length, 1, what);
    assert.equal(steady.hits, 1, what);
  }

  it('no fallback: messageStart then throttlingException is HTTP 429 (RateLimitError) for chat, Responses and Messages', async () => {
    await assert.rejects(openai.chat.completions.create({ model: 'bedrock-only', stream: true, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.RateLimitError, String(error));
      assert.equal(error.type, 'rate_limit_error');
      assert.match(error.message, /Too many tokens/);
      return true;
    });
    await assert.rejects(openai.responses.create({ model: 'bedrock-only', stream: true, input: 'hi' }), (error: unknown) => error instanceof OpenAI.RateLimitError && /Too many tokens/.test(error.message));
    await assert.rejects(anthropic.messages.create({ model: 'bedrock-only', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof Anthropic.RateLimitError);
    assert.equal(bedrock.requests.length, 3);
    assert.equal(steady.hits, 0);
  });

  it('no fallback: each exception before content gets the status it gets as a first frame', async () => {
    const cases = [
      { type: 'serviceUnavailableException', status: 503 },
      { type: 'modelStreamErrorException', status: 502 },
      { type: 'internalServerException', status: 500 },
      { type: 'validationException', status: 400 },
    ];
    for (const { type, status } of cases) {
      for (const sent of [[exception(type, `${type} happened`)], [messageStart, exception(type, `${type} happened`)]]) {
        frames = sent;
        await assert.rejects(openai.chat.completions.create({ model: 'bedrock-only', stream: true, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
          assert.ok(error instanceof APIError, `${type}: ${String(error)}`);
          assert.equal(error.status, status, `${type} after ${sent.length - 1} frame(s)`);
          assert.match(error.message, new RegExp(`${type} happened`));
          return true;
        });
      }
    }
  });

  it('group [bedrock, steady], chat completions: steady answers, the client sees a normal stream', async () => {
    const { data: stream, response } = await openai.chat.completions.create({ model: 'bedrock-then-steady', stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(response.status, 200);
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'from steady done');
    servedBySteady(response.headers, 'chat');
  });

  it('group [bedrock, steady], Responses: steady answers, response.completed and no response.failed', async () => {
    const { data: stream, response } = await openai.responses.create({ model: 'bedrock-then-steady', stream: true, input: 'hi' }).withResponse();
    let text = '';
    const types: string[] = [];
    for await (const item of stream) {
      types.push(item.type);
      if (item.type === 'response.output_text.delta') text += item.delta;
    }
    assert.equal(text, 'from steady done');
    assert.ok(types.includes('response.completed'));
    assert.ok(!types.includes('response.failed'));
    servedBySteady(response.headers, 'responses');
  });

  it('group [bedrock, steady], Anthropic Messages: steady answers, one message_start', async () => {
    const { data: stream, response } = await anthropic.messages.create({ model: 'bedrock-then-steady', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const types: string[] = [];
    let text = '';
    for await (const item of stream) {
      types.push(item.type);
      if (item.type === 'content_block_delta' && item.delta.type === 'text_delta') text += item.delta.text;
    }
    assert.equal(text, 'from steady done');
    assert.equal(types.filter((type) => type === 'message_start').length, 1);
    assert.ok(!types.includes('error'));
    servedBySteady(response.headers, 'messages');
  });

  it('a stream that starts normally is served by Bedrock: the role chunk still comes first', async () => {
    frames = answer('hello there');
    const chunks = [];
    for await (const chunk of await openai.chat.completions.create({ model: 'bedrock-then-steady', stream: true, messages: [{ role: 'user', content: 'hi' }] })) chunks.push(chunk);
    assert.deepEqual(chunks[0]?.choices[0]?.delta, { role: 'assistant', content: '' });
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'hello there');
    assert.equal(steady.hits, 0);
  });

  it('an exception after content still ends the stream in-stream, with the text before it; no fallback', async () => {
    frames = midwayFailure;
    const { data: stream, response } = await openai.chat.completions.create({ model: 'bedrock-then-steady', stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(response.status, 200);
    let text = '';
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
      (error: unknown) => error instanceof APIError && /error while streaming the response/.test(error.message),
    );
    assert.equal(text, 'The first part');

    const failed = await openai.responses.create({ model: 'bedrock-then-steady', stream: true, input: 'hi' });
    const types: string[] = [];
    for await (const item of failed) types.push(item.type);
    assert.equal(types.at(-1), 'response.failed');
    assert.equal(steady.hits, 0);
  });
});
