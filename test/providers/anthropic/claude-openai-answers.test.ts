import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { APIError } from 'openai';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { collect, weatherTool } from '../../helpers/openai-sdk.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import type { Reply } from '../../helpers/provider-replies.ts';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';
import { GoogleStandIn, serviceAccountFile } from '../vertex/google-stand-in.ts';
import { anthropicMessage, checkingAnthropic } from './checking-anthropic-stand-in.ts';

/**
 * What an OpenAI SDK client gets from Claude where Anthropic's Messages API and OpenAI differ, on
 * both ways to Claude that take the anthropic adapter's request and answer (Anthropic's API and
 * Vertex AI's rawPredict): a conversation ending with an assistant message is a prefill, which
 * Claude refuses when it ends in whitespace; an answer with no text and no tool call is
 * `content: ""`, as OpenAI answers (null only beside tool calls); a 429 has OpenAI's code.
 */

type Body = { messages: Array<{ role: string; content: Array<{ type: string; text?: string }> }> };

/** A Message with the given content blocks and stop reason. */
function message(content: unknown[], stopReason: string): Record<string, unknown> {
  return { ...anthropicMessage(''), content, stop_reason: stopReason };
}

function answerJson(status: number, body: unknown): Reply {
  return (_request: RecordedRequest, response: ServerResponse) => {
    response.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '3' } : {}) });
    response.end(JSON.stringify(body));
  };
}

/** The stream Anthropic sends for an answer with no content block (`end_turn` at once). */
function emptyStream(): Reply {
  const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const { content: _content, ...start } = message([], 'end_turn');
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    response.end(
      event('message_start', { message: { ...start, stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } }) +
        event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }) +
        event('message_stop', {}),
    );
  };
}

const prefill: ChatCompletionMessageParam[] = [
  { role: 'user', content: 'Hello! ' },
  { role: 'assistant', content: 'Hi there. ' },
  { role: 'user', content: 'Is tea or coffee better at breakfast?' },
  { role: 'assistant', content: 'Coffee is better because \n' },
];

interface ClaudeRoute {
  name: string;
  model: string;
  start: () => Promise<{ client: OpenAI; close: () => Promise<void>; setReply: (reply: Reply) => void; bodies: () => Body[] }>;
}

const routes: ClaudeRoute[] = [
  {
    name: "Anthropic's API",
    model: 'anthropic/claude-sonnet-4-5',
    start: async () => {
      let reply: Reply = checkingAnthropic;
      const { upstream, client, close } = await startProviderGateway(
        (request, response) => reply(request, response),
        (url) => ({ env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: url } }),
      );
      return {
        client,
        close,
        setReply: (next) => {
          upstream.requests.length = 0;
          reply = next;
        },
        bodies: () => upstream.requests.map((request) => request.json as Body),
      };
    },
  },
  {
    name: 'Claude on Vertex AI',
    model: 'vertex/claude-sonnet-4-5@20250929',
    start: async () => {
      const google = new GoogleStandIn();
      const { client, close } = await startProviderGateway(google.handler, (url) => ({
        env: { GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile(`${url}/token`), GOOGLE_CLOUD_PROJECT: 'my-project', GOOGLE_CLOUD_LOCATION: 'us-east5', VERTEX_BASE_URL: url },
      }));
      return {
        client,
        close,
        setReply: (next) => {
          google.reset();
          google.reply = next;
        },
        bodies: () => google.vertexRequests().map((request) => request.json as Body),
      };
    },
  },
];

for (const route of routes) {
  describe(`Claude through ${route.name}: answers as an OpenAI client reads them (OpenAI SDK client)`, () => {
    let client: OpenAI;
    let close: () => Promise<void>;
    let setReply: (reply: Reply) => void;
    let bodies: () => Body[];

    before(async () => {
      ({ client, close, setReply, bodies } = await route.start());
    });
    beforeEach(() => setReply(checkingAnthropic));
    after(() => close());

    it('a final assistant message ending in whitespace goes up as a prefill without it; earlier turns keep theirs', async () => {
      const completion = await client.chat.completions.create({ model: route.model, messages: prefill });
      assert.equal(completion.choices[0].message.content, 'ok, done');
      const [sent] = bodies();
      assert.deepEqual(
        sent.messages.map((turn) => turn.content.map((block) => block.text)),
        [['Hello! '], ['Hi there. '], ['Is tea or coffee better at breakfast?'], ['Coffee is better because']],
      );

      setReply(checkingAnthropic);
      const chunks = await collect(await client.chat.completions.create({ model: route.model, messages: prefill, stream: true }));
      assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'ok, done');
      assert.equal(bodies()[0].messages.at(-1)?.content.at(-1)?.text, 'Coffee is better because');
    });

    it('an answer with no text and no tool call is content "" (as OpenAI answers), streamed or not; null only beside tool calls', async () => {
      setReply(answerJson(200, message([], 'end_turn')));
      const empty = await client.chat.completions.create({ model: route.model, messages: [{ role: 'user', content: 'Say nothing.' }] });
      assert.equal(empty.choices[0].message.content, '');
      assert.equal(empty.choices[0].message.tool_calls, undefined);
      assert.equal(empty.choices[0].finish_reason, 'stop');

      setReply(emptyStream());
      const chunks = await collect(await client.chat.completions.create({ model: route.model, messages: [{ role: 'user', content: 'Say nothing.' }], stream: true }));
      assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
      assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'stop');

      setReply(answerJson(200, message([{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } }], 'tool_use')));
      const toolCall = await client.chat.completions.create({ model: route.model, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool] });
      assert.equal(toolCall.choices[0].message.content, null);
      assert.equal(toolCall.choices[0].message.tool_calls?.length, 1);
    });

    it("Claude's 429 reaches the client with OpenAI's code, rate_limit_exceeded, as from every other provider", async () => {
      setReply(answerJson(429, { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }));
      const error = await client.chat.completions.create({ model: route.model, messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
      assert.ok(error instanceof APIError, String(error));
      assert.equal(error.status, 429);
      assert.equal(error.code, 'rate_limit_exceeded');
      assert.equal((error.error as { type?: string }).type, 'rate_limit_error');
      assert.equal(error.headers?.get('retry-after'), '3');
    });
  });
}
