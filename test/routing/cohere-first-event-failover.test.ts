import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { controlledUpstream, type ControlledUpstream } from './upstream-control.ts';

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const messageStart = event('message-start', { id: 'c0ffee00-early', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } });

/** Cohere failing a generation before any content: a 200, message-start, then message-end with ERROR. */
const failedAfterStart = messageStart + event('message-end', { delta: { error: 'The model encountered an internal error while generating. Please try again.', finish_reason: 'ERROR', usage: { billed_units: { input_tokens: 5, output_tokens: 0 } } } });

/** An error object (no event type) right after message-start. */
const errorObjectAfterStart = messageStart + `data: ${JSON.stringify({ message: 'internal server error, this has been reported to our developers' })}\n\n`;

/**
 * Cohere reporting a failure right after message-start, before any content, fails the call like
 * the HTTP error it stands for (as Anthropic's `error` after message_start and Bedrock's exception
 * after messageStart do): the group's next target serves it, or the client gets the HTTP status.
 */
describe('a Cohere failure before the first content is an HTTP error: retries and fallbacks apply', () => {
  let cohere: StandIn;
  let steady: ControlledUpstream;
  let gateway: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let cohereBody = failedAfterStart;

  before(async () => {
    cohere = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(cohereBody);
    });
    steady = await controlledUpstream('steady');
    gateway = await startGateway(`
providers:
  co: { type: cohere, api_key: co-key, base_url: "${cohere.url}" }
  steady: { type: openai-compatible, base_url: "${steady.url}/v1" }
routing:
  health: { consecutive_failures: 0 }
models:
  cohere-only: { targets: [{ provider: co, model: command-a-03-2025 }] }
  cohere-then-steady: { targets: [{ provider: co, model: command-a-03-2025 }, { provider: steady, model: m }] }
`);
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => {
    cohere.requests.length = 0;
    steady.hits = 0;
    cohereBody = failedAfterStart;
  });
  after(async () => {
    await gateway.close();
    await Promise.all([cohere.close(), steady.standIn.close()]);
  });

  it('no fallback: message-start then message-end ERROR is HTTP 502; an error object, HTTP 500', async () => {
    await assert.rejects(openai.chat.completions.create({ model: 'cohere-only', stream: true, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof APIError, String(error));
      assert.equal(error.status, 502);
      assert.match(error.message, /internal error while generating/);
      return true;
    });
    cohereBody = errorObjectAfterStart;
    await assert.rejects(openai.responses.create({ model: 'cohere-only', stream: true, input: 'hi' }), (error: unknown) => error instanceof APIError && error.status === 500 && /internal server error/.test(error.message));
    assert.equal(steady.hits, 0);
  });

  it('group [cohere, steady]: steady answers a normal stream, for chat, Responses and Messages', async () => {
    const { data: chat, response: chatResponse } = await openai.chat.completions.create({ model: 'cohere-then-steady', stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    let text = '';
    for await (const chunk of chat) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'from steady done');
    assert.equal(chatResponse.headers.get('x-tollgate-provider'), 'steady');

    const { data: responses, response: responsesResponse } = await openai.responses.create({ model: 'cohere-then-steady', stream: true, input: 'hi' }).withResponse();
    const types: string[] = [];
    for await (const item of responses) types.push(item.type);
    assert.equal(types.at(-1), 'response.completed');
    assert.equal(responsesResponse.headers.get('x-tollgate-provider'), 'steady');

    const { data: messages, response: messagesResponse } = await anthropic.messages.create({ model: 'cohere-then-steady', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const messageTypes: string[] = [];
    for await (const item of messages) messageTypes.push(item.type);
    assert.equal(messageTypes.filter((type) => type === 'message_start').length, 1);
    assert.equal(messageTypes.at(-1), 'message_stop');
    assert.equal(messagesResponse.headers.get('x-tollgate-provider'), 'steady');

    assert.equal(cohere.requests.length, 3);
    assert.equal(steady.hits, 3);
  });
});
