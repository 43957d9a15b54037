import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { GoogleStandIn, serviceAccountFile } from '../vertex/google-stand-in.ts';
import { finalText, InterleavedClaude, type Block } from './interleaved-claude-stand-in.ts';

/**
 * Claude answering in blocks whose order the canonical message has no form for: interleaved
 * thinking (thinking, tool_use, thinking, tool_use, each thinking block signed on its own) and text
 * on both sides of a tool call, on the re-encoded path (an Anthropic SDK client whose request the
 * pii plugin masked, so the answer goes through the canonical model rather than as bytes). The
 * client gets the blocks as Claude wrote them, streamed or not, and its next turn goes back to
 * Claude block for block, every signature in its place; OpenAI SDK clients get one message with
 * nothing left out. Through the real gateway, against a stand-in holding requests to Claude's rules.
 */

const model = 'anthropic/claude-sonnet-4-5';
const tools = [
  { name: 'get_weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } },
  { name: 'get_time', input_schema: { type: 'object' as const, properties: { tz: { type: 'string' } } } },
];
const openAITools = tools.map((tool) => ({ type: 'function' as const, function: { name: tool.name, parameters: tool.input_schema } }));
/** The e-mail address pii masks, so the request is re-encoded. */
const question = 'My email is ann.lee@example.com. What are the weather and time in Paris?';
const toolResults = [
  { type: 'tool_result' as const, tool_use_id: 'toolu_I1', content: '18°C, sunny' },
  { type: 'tool_result' as const, tool_use_id: 'toolu_I2', content: '14:05' },
];
const thinkingRequest = {
  max_tokens: 8000,
  thinking: { type: 'enabled' as const, budget_tokens: 4000 },
  tools,
  betas: ['interleaved-thinking-2025-05-14'],
};

/** What Claude writes with interleaved thinking. */
function interleavedAnswer(claude: InterleavedClaude): Block[] {
  return [
    { type: 'thinking', thinking: 'First thought: the weather.', signature: claude.sign('First thought: the weather.') },
    { type: 'tool_use', id: 'toolu_I1', name: 'get_weather', input: { city: 'Paris' } },
    { type: 'thinking', thinking: 'Second thought: the time.', signature: claude.sign('Second thought: the time.') },
    { type: 'tool_use', id: 'toolu_I2', name: 'get_time', input: { tz: 'CET' } },
  ];
}

/** The blocks an Anthropic SDK client gets for `answer` (text blocks carry `citations: null`). */
function asClientBlocks(answer: Block[]): Block[] {
  return answer.map((block) => (block.type === 'text' ? { ...block, citations: null } : block));
}

const textToolText: Block[] = [
  { type: 'text', text: 'Before.' },
  { type: 'tool_use', id: 'toolu_T1', name: 'get_weather', input: { city: 'Paris' } },
  { type: 'text', text: 'After.' },
];

/** The checks every Messages endpoint for Claude shares (Anthropic's API, Claude on Vertex AI). */
function interleavedChecks(modelName: string, setUp: () => { claude: InterleavedClaude; anthropic: () => Anthropic }): void {
  const firstTurn = () => ({ ...thinkingRequest, model: modelName, messages: [{ role: 'user' as const, content: question }] });

  it('messages.create: each thinking block with its own signature, in place between the tool calls', async () => {
    const { claude, anthropic } = setUp();
    claude.answer = interleavedAnswer(claude);
    const message = await anthropic().beta.messages.create(firstTurn());
    assert.match(JSON.stringify(claude.bodies[0].messages[0]), /<EMAIL_1>/, 'the request was re-encoded (pii masked it)');
    assert.doesNotMatch(JSON.stringify(claude.bodies[0]), /ann\.lee@example\.com/);
    assert.equal(claude.betas[0], 'interleaved-thinking-2025-05-14');
    assert.deepEqual(message.content, claude.answer);
    assert.equal(message.stop_reason, 'tool_use');
  });

  it('messages.stream gives the same blocks', async () => {
    const { claude, anthropic } = setUp();
    claude.answer = interleavedAnswer(claude);
    const streamed = await anthropic().beta.messages.stream(firstTurn()).finalMessage();
    assert.match(JSON.stringify(claude.bodies[0].messages[0]), /<EMAIL_1>/, 'the request was re-encoded (pii masked it)');
    assert.deepEqual(streamed.content, claude.answer);
  });

  for (const streamed of [false, true]) {
    it(`the next turn sends every thinking block back with its own signature, in its place (first turn ${streamed ? 'streamed' : 'not streamed'})`, async () => {
      const { claude, anthropic } = setUp();
      claude.answer = interleavedAnswer(claude);
      const first = streamed ? await anthropic().beta.messages.stream(firstTurn()).finalMessage() : await anthropic().beta.messages.create(firstTurn());
      const next = await anthropic().beta.messages.create({
        ...thinkingRequest,
        model: modelName,
        messages: [
          { role: 'user', content: question },
          { role: 'assistant', content: first.content },
          { role: 'user', content: toolResults },
        ],
      });
      assert.deepEqual(next.content, [{ type: 'text', text: finalText, citations: null }]);
      assert.deepEqual(claude.bodies[1].messages[1], { role: 'assistant', content: claude.answer });
      assert.deepEqual(claude.bodies[1].thinking, { type: 'enabled', budget_tokens: 4000 });
    });
  }

  for (const streamed of [false, true]) {
    it(`text, tool_use, text keep their order (${streamed ? 'messages.stream' : 'messages.create'})`, async () => {
      const { claude, anthropic } = setUp();
      claude.answer = textToolText;
      const request = { model: modelName, max_tokens: 500, tools, messages: [{ role: 'user' as const, content: question }] };
      const message = streamed ? await anthropic().messages.stream(request).finalMessage() : await anthropic().messages.create(request);
      assert.deepEqual(message.content, asClientBlocks(textToolText));
    });
  }
}

describe('anthropic provider: interleaved thinking and text around tool calls keep their blocks on the re-encoded path (official SDKs, pii mask)', () => {
  const claude = new InterleavedClaude();
  let upstream: StandIn;
  let anthropic: Anthropic;
  let openai: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    const started = await startProviderGateway(claude.handler, (upstreamUrl) => ({
      config: 'plugins:\n  pii: { request: mask }\n',
      env: { ANTHROPIC_API_KEY: 'upstream-key', ANTHROPIC_BASE_URL: upstreamUrl },
    }));
    ({ upstream, close, client: openai } = started);
    anthropic = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    claude.reset();
  });
  after(() => close());

  interleavedChecks(model, () => ({ claude, anthropic: () => anthropic }));

  it("a placeholder in Claude's text is restored inside the ordered blocks", async () => {
    claude.answer = [
      { type: 'text', text: 'Before.' },
      { type: 'tool_use', id: 'toolu_T1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'text', text: 'I will write to <EMAIL_1>.' },
    ];
    const message = await anthropic.messages.create({ model, max_tokens: 500, tools, messages: [{ role: 'user', content: question }] });
    assert.doesNotMatch(JSON.stringify(message.content), /<EMAIL_1>/);
    const texts = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : []));
    assert.equal(texts.join(''), 'Before.I will write to ann.lee@example.com.');
    assert.deepEqual(
      message.content.find((block) => block.type === 'tool_use'),
      { type: 'tool_use', id: 'toolu_T1', name: 'get_weather', input: { city: 'Paris' } },
    );
  });

  it('OpenAI SDK: one message with all the thinking text and both tool calls (as before); sent back, the turn goes without thinking rather than with a signature for another text', async () => {
    claude.answer = interleavedAnswer(claude);
    const completion = await openai.chat.completions.create({ model, tools: openAITools, reasoning_effort: 'medium', messages: [{ role: 'user', content: question }] });
    const message = completion.choices[0].message as OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string; reasoning_signature?: string };
    assert.equal(message.reasoning_content, 'First thought: the weather.Second thought: the time.');
    assert.match(String(message.reasoning_signature), /^tg1\./);
    assert.deepEqual(
      message.tool_calls?.map((call) => (call.type === 'function' ? [call.id, call.function.name, JSON.parse(call.function.arguments)] : [])),
      [
        ['toolu_I1', 'get_weather', { city: 'Paris' }],
        ['toolu_I2', 'get_time', { tz: 'CET' }],
      ],
    );
    const next = await openai.chat.completions.create({
      model,
      tools: openAITools,
      reasoning_effort: 'medium',
      messages: [
        { role: 'user', content: question },
        message as OpenAI.Chat.ChatCompletionAssistantMessageParam,
        { role: 'tool', tool_call_id: 'toolu_I1', content: '18°C, sunny' },
        { role: 'tool', tool_call_id: 'toolu_I2', content: '14:05' },
      ],
    });
    assert.equal(next.choices[0].message.content, finalText);
    const sent = claude.bodies[1];
    assert.deepEqual(
      (sent.messages[1].content as Block[]).map((block) => block.type),
      ['tool_use', 'tool_use'],
    );
    assert.equal(sent.thinking, undefined);
  });

  it('OpenAI SDK: text on both sides of a tool call is one content string holding both texts, and the tool call', async () => {
    claude.answer = textToolText;
    const completion = await openai.chat.completions.create({ model, tools: openAITools, messages: [{ role: 'user', content: question }] });
    assert.equal(completion.choices[0].message.content, 'Before.After.');
    assert.equal(completion.choices[0].message.tool_calls?.length, 1);
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
  });
});

describe('anthropic provider: answer blocks in order never bypass a response guardrail (pii response: redact)', () => {
  const claude = new InterleavedClaude();
  let upstream: StandIn;
  let anthropic: Anthropic;
  let close: () => Promise<void>;

  before(async () => {
    const started = await startProviderGateway(claude.handler, (upstreamUrl) => ({
      config: 'plugins:\n  pii: { request: mask, response: redact }\n',
      env: { ANTHROPIC_API_KEY: 'upstream-key', ANTHROPIC_BASE_URL: upstreamUrl },
    }));
    ({ upstream, close } = started);
    anthropic = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    claude.reset();
  });
  after(() => close());

  it('text rewritten by the guardrail: its text stands where the first text was, the tool call after it, the original nowhere', async () => {
    claude.answer = [
      { type: 'text', text: 'Before.' },
      { type: 'tool_use', id: 'toolu_T1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'text', text: 'Mail bob.smith@example.com after.' },
    ];
    const message = await anthropic.messages.create({ model, max_tokens: 500, tools, messages: [{ role: 'user', content: question }] });
    assert.doesNotMatch(JSON.stringify(message.content), /bob\.smith@example\.com/);
    assert.deepEqual(
      message.content.map((block) => block.type),
      ['text', 'tool_use'],
    );
    assert.equal(message.content[0].type === 'text' ? message.content[0].text : '', 'Before.Mail [EMAIL] after.');
  });

  for (const reencoded of [true, false]) {
    it(`a tool input rewritten by the guardrail: the blocks keep their order, the rewritten input in its place (${reencoded ? 're-encoded request' : 'request passed through as bytes'})`, async () => {
      const answer = interleavedAnswer(claude);
      answer[1] = { type: 'tool_use', id: 'toolu_I1', name: 'get_weather', input: { city: 'Paris', notify: 'bob.smith@example.com' } };
      claude.answer = answer;
      const content = reencoded ? question : 'What are the weather and time in Paris?';
      const message = await anthropic.beta.messages.create({ ...thinkingRequest, model, messages: [{ role: 'user', content }] });
      assert.equal(JSON.stringify(claude.bodies[0].messages[0]).includes('<EMAIL_1>'), reencoded);
      assert.doesNotMatch(JSON.stringify(message.content), /bob\.smith@example\.com/);
      assert.deepEqual(message.content, [answer[0], { ...answer[1], input: { city: 'Paris', notify: '[EMAIL]' } }, answer[2], answer[3]]);
    });
  }

  it('thinking rewritten by the guardrail: the blocks Claude wrote are not given (their text is not what the client may see)', async () => {
    claude.answer = [
      { type: 'thinking', thinking: 'Write to bob.smith@example.com.', signature: claude.sign('Write to bob.smith@example.com.') },
      { type: 'tool_use', id: 'toolu_I1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'thinking', thinking: 'Then the time.', signature: claude.sign('Then the time.') },
      { type: 'tool_use', id: 'toolu_I2', name: 'get_time', input: { tz: 'CET' } },
    ];
    const message = await anthropic.beta.messages.create({ ...thinkingRequest, model, messages: [{ role: 'user', content: question }] });
    assert.doesNotMatch(JSON.stringify(message.content), /bob\.smith@example\.com/);
    assert.deepEqual(
      message.content.map((block) => block.type),
      ['thinking', 'tool_use', 'tool_use'],
    );
  });
});

describe('vertex provider: Claude on Vertex AI keeps interleaved blocks on the re-encoded path too (it shares the anthropic adapter)', () => {
  const claude = new InterleavedClaude();
  const google = new GoogleStandIn();
  let anthropic: Anthropic;
  let close: () => Promise<void>;

  before(async () => {
    const started = await startProviderGateway(google.handler, (url) => ({
      config: 'plugins:\n  pii: { request: mask }\n',
      env: { GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile(`${url}/token`), GOOGLE_CLOUD_PROJECT: 'my-project', GOOGLE_CLOUD_LOCATION: 'us-east5', VERTEX_BASE_URL: url },
    }));
    close = started.close;
    anthropic = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
    google.reply = claude.handler;
  });
  beforeEach(() => {
    google.reset();
    google.reply = claude.handler;
    claude.reset();
  });
  after(() => close());

  interleavedChecks('vertex/claude-sonnet-4-5@20250929', () => ({ claude, anthropic: () => anthropic }));
});
