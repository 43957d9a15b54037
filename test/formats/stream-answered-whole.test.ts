import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { RateLimitError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../helpers/stand-in-server.ts';

/**
 * A provider that ignores `stream: true` and answers one JSON body (some OpenAI-compatible servers
 * do; the resilience audit's F10): a client that asked for a stream gets one, in its own format —
 * OpenAI chat and completions chunks, Anthropic's event stream, the Responses event stream —
 * holding the whole answer, from an OpenAI-format provider and from an Anthropic one alike. The
 * stand-ins answer every call with JSON, stream or not.
 */

const weather = { id: 'call_Weather01', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
const usage = { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 };

function chatCompletion(): Record<string, unknown> {
  return {
    id: 'chatcmpl-whole',
    object: 'chat.completion',
    created: 1733000000,
    model: 'llama-3.1-8b',
    system_fingerprint: 'fp_whole',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Let me check.', reasoning_content: 'The weather tool knows.', tool_calls: [weather] }, logprobs: null, finish_reason: 'tool_calls' }],
    usage,
  };
}

function textCompletion(): Record<string, unknown> {
  return { id: 'cmpl-whole', object: 'text_completion', created: 1733000000, model: 'llama-3.1-8b', choices: [{ index: 0, text: ' upon a time', logprobs: null, finish_reason: 'stop' }], usage };
}

/** Anthropic's Message: thinking, text and a tool call, as its API answers a call that is not streamed. */
const claudeMessage = {
  id: 'msg_01WholeAnswer',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [
    { type: 'thinking', thinking: 'The weather tool knows.', signature: 'EqQBCkgIBxABGAIiQNm3Jb1mXkq==' },
    { type: 'text', text: 'Let me check.', citations: null },
    { type: 'tool_use', id: 'toolu_01Weather', name: 'get_weather', input: { city: 'Paris' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 21, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
};

function json(response: ServerResponse, body: unknown, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

describe('a stream asked for, a whole JSON answer given: every client format gets a stream', () => {
  let compatible: StandIn;
  let claude: StandIn;
  let gateway: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let failing = false;

  before(async () => {
    compatible = await startStandIn((request: RecordedRequest, response) => {
      if (failing) return json(response, { error: { code: 429, message: 'Rate limit exceeded: free-models-per-min.' } });
      json(response, request.path.endsWith('/chat/completions') ? chatCompletion() : textCompletion());
    });
    claude = await startStandIn((_request, response) => json(response, claudeMessage));
    gateway = await startGateway(
      `
providers:
  up: { type: openai-compatible, base_url: "${compatible.url}/v1" }
`,
      { ANTHROPIC_API_KEY: 'anthropic-upstream-key', ANTHROPIC_BASE_URL: claude.url },
    );
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    failing = false;
    compatible.requests.length = 0;
    claude.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await compatible.close();
    await claude.close();
  });

  const question = 'Weather in Paris?';
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

  describe('from an OpenAI-format provider', () => {
    it('OpenAI chat: chunks of the whole answer (role, content, reasoning, tool call, finish), usage only when asked', async () => {
      const { data: stream, response } = await openai.chat.completions.create({ model: 'up/llama-3.1-8b', messages: [{ role: 'user', content: question }], tools, stream: true }).withResponse();
      assert.match(String(response.headers.get('content-type')), /^text\/event-stream/);
      const chunks: ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Let me check.');
      assert.equal(chunks.map((chunk) => (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '').join(''), 'The weather tool knows.');
      assert.deepEqual(chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []), [{ index: 0, ...weather }]);
      assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'tool_calls');
      assert.equal(chunks.some((chunk) => chunk.usage), false, 'no usage chunk the client did not ask for');

      const withUsage: ChatCompletionChunk[] = [];
      for await (const chunk of await openai.chat.completions.create({ model: 'up/llama-3.1-8b', messages: [{ role: 'user', content: question }], stream: true, stream_options: { include_usage: true } })) withUsage.push(chunk);
      assert.deepEqual(withUsage.at(-1)?.usage, usage);
    });

    it("OpenAI chat .stream() helper: the final completion is the provider's answer", async () => {
      const final = await openai.chat.completions.stream({ model: 'up/llama-3.1-8b', messages: [{ role: 'user', content: question }], tools }).finalChatCompletion();
      assert.equal(final.choices[0].message.content, 'Let me check.');
      assert.deepEqual(final.choices[0].message.tool_calls, [weather]);
      assert.equal(final.choices[0].finish_reason, 'tool_calls');
    });

    it('legacy completions: a stream of the text', async () => {
      let text = '';
      for await (const chunk of await openai.completions.create({ model: 'up/llama-3.1-8b', prompt: 'Once', stream: true })) text += chunk.choices[0]?.text ?? '';
      assert.equal(text, ' upon a time');
    });

    it('Anthropic SDK messages.stream: a Message with thinking, text and tool_use', async () => {
      const message = await anthropic.messages.stream({ model: 'up/llama-3.1-8b', max_tokens: 200, messages: [{ role: 'user', content: question }], tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }] }).finalMessage();
      assert.deepEqual(message.content.map((block) => block.type), ['thinking', 'text', 'tool_use']);
      assert.deepEqual(message.content[2], { type: 'tool_use', id: 'call_Weather01', name: 'get_weather', input: { city: 'Paris' } });
      assert.equal(message.stop_reason, 'tool_use');
      assert.equal(message.usage.output_tokens, 9);
    });

    it('Responses stream: the final Response holds the message and the function call', async () => {
      const final = await openai.responses.stream({ model: 'up/llama-3.1-8b', input: question, tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: null }] }).finalResponse();
      assert.deepEqual(final.output.map((item) => item.type), ['reasoning', 'message', 'function_call']);
      assert.equal(final.output_text, 'Let me check.');
      assert.equal(final.status, 'completed');
    });

    it('a 200 whose JSON is only an error fails the streamed call with its status, before any byte', async () => {
      failing = true;
      await assert.rejects(openai.chat.completions.create({ model: 'up/llama-3.1-8b', messages: [{ role: 'user', content: question }], stream: true }), RateLimitError);
    });
  });

  describe('from an Anthropic provider', () => {
    it('Anthropic SDK messages.stream (the byte passthrough): the Message as the events Anthropic streams for it', async () => {
      const events: string[] = [];
      const stream = anthropic.messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: question }] });
      stream.on('streamEvent', (event) => events.push(event.type));
      const message = await stream.finalMessage();
      const { parsed_output: _parsed, ...received } = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
      assert.deepEqual(received, claudeMessage);
      assert.deepEqual([events[0], events.at(-2), events.at(-1)], ['message_start', 'message_delta', 'message_stop']);
      assert.equal((claude.requests[0].json as { stream?: boolean }).stream, true);
    });

    it('OpenAI chat (translated): chunks of text, thinking and the tool call', async () => {
      const chunks: ChatCompletionChunk[] = [];
      for await (const chunk of await openai.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: question }], tools, stream: true })) chunks.push(chunk);
      assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Let me check.');
      assert.deepEqual(chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).map((call) => call.function?.arguments ?? '').join(''), '{"city":"Paris"}');
      assert.equal(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason, 'tool_calls');
    });

    it('Responses stream (translated): reasoning, message and function call', async () => {
      const final = await openai.responses.stream({ model: 'anthropic/claude-sonnet-4-5', input: question }).finalResponse();
      assert.deepEqual(final.output.map((item) => item.type), ['reasoning', 'message', 'function_call']);
      assert.equal(final.output_text, 'Let me check.');
    });
  });
});
