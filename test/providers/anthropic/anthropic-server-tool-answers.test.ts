import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { answers, claudeMessage, contactContent, otherToolsContent, serverToolClaude, webSearchContent } from './server-tool-claude-stand-in.ts';

/**
 * An Anthropic SDK client whose request a plugin changed (prompt-decorator, pii), so Claude's answer
 * comes back through the canonical model rather than as bytes, gets what the byte passthrough gives:
 * every block in its place (server tool calls and results as sent, each text block with its
 * citations), the stop reason (`pause_turn`, `stop_sequence` and the sequence,
 * `model_context_window_exceeded`) and the usage (`cache_creation`, `server_tool_use`,
 * `service_tier`), streamed and not. An OpenAI chat client of the same answers gets what it got
 * before. Through the real gateway, against a stand-in answering as Anthropic does.
 */

type Message = Anthropic.Messages.Message;

/** The same request to each route: the byte passthrough, and re-encoded because a plugin changed it. */
const direct = 'claude/claude-sonnet-4-5';
const decorated = 'decorated';
/** pii masks the address: the request is re-encoded, and the answer's stream goes through pii's rewriter (which holds back the end of the text). */
const masked = 'masked';
const redacted = 'redacted';

describe('anthropic provider: an Anthropic client on the re-encoded path gets the blocks, stop reason and usage of the passthrough', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let anthropic: Anthropic;
  let openai: OpenAI;

  before(async () => {
    upstream = await startStandIn(serverToolClaude);
    const route = (name: string, plugins: string) => [`  - match: { model: "${name}" }`, `    model: ${direct}`, `    plugins: { ${plugins} }`];
    gateway = await startGateway(
      [
        'providers:',
        `  claude: { type: anthropic, api_key: ant-key, base_url: "${upstream.url}" }`,
        'routes:',
        ...route(decorated, 'prompt-decorator: { prepend: [{ role: system, content: "Cite your sources." }] }'),
        ...route(masked, 'pii: { request: mask, entities: { email: { action: mask } } }'),
        ...route(redacted, 'pii: { request: mask, response: redact }'),
      ].join('\n'),
    );
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const tools = [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }] as unknown as Anthropic.Messages.ToolUnion[];

  async function ask(model: string, scenario: string, streamed: boolean, text = 'When was Claude Shannon born?'): Promise<Message> {
    const request = { model, max_tokens: 1024, tools, stop_sequences: ['END'], messages: [{ role: 'user' as const, content: `${text} [[${scenario}]]` }] };
    return streamed ? anthropic.messages.stream(request).finalMessage() : anthropic.messages.create(request);
  }

  /** The same through the beta client, whose stream reads MCP tool calls' input too (MCP blocks are a beta's). */
  async function askBeta(model: string, scenario: string, streamed: boolean): Promise<Anthropic.Beta.BetaMessage> {
    const request = { model, max_tokens: 1024, betas: ['mcp-client-2025-04-04'], messages: [{ role: 'user' as const, content: `Go. [[${scenario}]]` }] };
    return streamed ? anthropic.beta.messages.stream(request).finalMessage() : anthropic.beta.messages.create(request);
  }

  /** The request went up re-encoded (the decorator's system prompt in it), not as the client's bytes. */
  function assertReencoded(): void {
    assert.equal(upstream.requests.length, 1);
    assert.deepEqual((upstream.requests[0]!.json as { system?: unknown }).system, [{ type: 'text', text: 'Cite your sources.' }]);
  }

  for (const streamed of [false, true]) {
    const how = streamed ? 'messages.stream' : 'messages.create';

    it(`a web search turn: every block in its place, the server tool's blocks as sent, each text with its citations, the usage whole (${how})`, async () => {
      const passthrough = await ask(direct, 'websearch', streamed);
      // The passthrough gives Anthropic's answer as it is: the comparisons are against it.
      if (!streamed) assert.deepEqual(passthrough, claudeMessage('websearch'));
      upstream.requests.length = 0;
      const message = await ask(decorated, 'websearch', streamed);
      assertReencoded();
      assert.deepEqual(message.content, webSearchContent);
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.stop_sequence, null);
      assert.deepEqual(message.usage, answers.websearch!.usage);
      assert.deepEqual(message, passthrough);
    });

    it(`pause_turn comes back with the server tool call it paused on, so the agent loop goes on (${how})`, async () => {
      const passthrough = await ask(direct, 'pause', streamed);
      upstream.requests.length = 0;
      const message = await ask(decorated, 'pause', streamed);
      assertReencoded();
      assert.equal(message.stop_reason, 'pause_turn');
      assert.deepEqual(message.content, answers.pause!.content);
      assert.deepEqual(message, passthrough);
    });

    it(`the stop sequence that matched, and model_context_window_exceeded (${how})`, async () => {
      const stopped = await ask(decorated, 'stop', streamed);
      assert.equal(stopped.stop_reason, 'stop_sequence');
      assert.equal(stopped.stop_sequence, 'END');
      assert.deepEqual(stopped, await ask(direct, 'stop', streamed));
      const exceeded = await ask(decorated, 'context', streamed);
      assert.equal(exceeded.stop_reason, 'model_context_window_exceeded');
      assert.deepEqual(exceeded, await ask(direct, 'context', streamed));
    });

    it(`web fetch, code execution and MCP blocks come back as sent, in their order (${how})`, async () => {
      const message = await askBeta(decorated, 'othertools', streamed);
      assert.deepEqual(message.content, otherToolsContent);
      assert.deepEqual(message.usage, answers.othertools!.usage);
      assert.deepEqual(message, await askBeta(direct, 'othertools', streamed));
    });

    it(`pii masking (its stream holds back the end of each text): the blocks still in their places, each text with its citations (${how})`, async () => {
      const message = await ask(masked, 'websearch', streamed, 'I am ann.lee@example.com. When was Claude Shannon born?');
      assert.match(upstream.requests[0]!.body, /<EMAIL_1>/, 'the request was masked');
      assert.deepEqual(message.content, webSearchContent);
      assert.equal(message.stop_reason, 'end_turn');
    });

    it(`a text a response guardrail rewrote wins: no citation of it, the original nowhere; the server tool's blocks stay (${how})`, async () => {
      const message = await ask(redacted, 'contact', streamed, 'How do I reach support?');
      assert.doesNotMatch(JSON.stringify(message), /bob\.smith@example\.com/);
      const texts = message.content.flatMap((block) => (block.type === 'text' ? [block] : []));
      assert.equal(texts.map((block) => block.text).join(''), 'Searching the directory.You can write to [EMAIL] for support.');
      assert.ok(texts.every((block) => block.citations === null), 'the citations of the rewritten text are left out');
      assert.deepEqual(
        message.content.filter((block) => block.type !== 'text'),
        contactContent.slice(1, 3),
      );
    });
  }

  it('OpenAI chat client: the same web search answer gives the one message it gave before (texts joined, no server blocks, no extension fields)', async () => {
    const completion = await openai.chat.completions.create({ model: decorated, messages: [{ role: 'user', content: 'When was Claude Shannon born? [[websearch]]' }] });
    assert.deepEqual(completion.choices, [
      {
        index: 0,
        message: { role: 'assistant', content: "I'll search for when Claude Shannon was born.Claude Shannon was born on April 30, 1916, in Petoskey, Michigan.", refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ]);
    assert.deepEqual(completion.usage, {
      prompt_tokens: 5100,
      completion_tokens: 180,
      total_tokens: 5280,
      prompt_tokens_details: { cached_tokens: 0 },
      cache_creation_tokens: 3000,
      cache_creation_1h_tokens: 3000,
    });
  });

  it('OpenAI chat client, streamed: the same chunks as before (text deltas, finish_reason stop, usage)', async () => {
    const stream = await openai.chat.completions.create({ model: decorated, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'When was Claude Shannon born? [[websearch]]' }] });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = webSearchContent.flatMap((block) => (block.type === 'text' ? [String(block.text)] : []));
    const fragments = text.flatMap((part) => part.match(/[^]{1,7}/gu) ?? []);
    assert.deepEqual(
      chunks.map((chunk) => chunk.choices),
      [
        [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }],
        ...fragments.map((content) => [{ index: 0, delta: { content }, finish_reason: null, logprobs: null }]),
        [{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }],
        [],
      ],
    );
    assert.equal(chunks.at(-1)!.usage?.prompt_tokens, 5100);
  });

  it('OpenAI chat client: pause_turn is stop and model_context_window_exceeded is length, as before; a matched stop sequence is named beside stop', async () => {
    const finish = async (scenario: string) => (await openai.chat.completions.create({ model: decorated, stop: ['END'], messages: [{ role: 'user', content: `Go. [[${scenario}]]` }] })).choices[0]!;
    const paused = await finish('pause');
    assert.equal(paused.finish_reason, 'stop');
    assert.deepEqual(Object.keys(paused).sort(), ['finish_reason', 'index', 'logprobs', 'message']);
    assert.equal(paused.message.content, 'Let me search for that.');
    const exceeded = await finish('context');
    assert.equal(exceeded.finish_reason, 'length');
    assert.deepEqual(Object.keys(exceeded).sort(), ['finish_reason', 'index', 'logprobs', 'message']);
    const stopped = await finish('stop');
    assert.equal(stopped.finish_reason, 'stop');
    assert.equal((stopped as typeof stopped & { stop_sequence?: string }).stop_sequence, 'END', 'as for Bedrock and Cohere');
  });
});
