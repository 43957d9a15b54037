import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { finalText, InterleavedConverse, type ConverseBlock } from './interleaved-converse-stand-in.ts';

/**
 * Claude on Bedrock answering in blocks whose order the canonical message has no form for (audit
 * bedrock-2, findings 1 and 3): interleaved thinking (reasoning, toolUse, reasoning, toolUse, each
 * reasoning block signed on its own) and text on both sides of a tool call. Anthropic SDK clients
 * get the blocks as Claude wrote them, whether the call is streamed or not, and their next turn
 * goes back to Bedrock block for block; OpenAI SDK clients get one message with nothing left out.
 * Through the real gateway, SigV4-signed, against a stand-in holding the request to Claude's rules.
 */

const aws = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const model = 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const tools = [
  { name: 'get_weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } },
  { name: 'get_time', input_schema: { type: 'object' as const, properties: { tz: { type: 'string' } } } },
];
const openAITools = tools.map((tool) => ({ type: 'function' as const, function: { name: tool.name, parameters: tool.input_schema } }));
const question = 'Weather and time in Paris?';

describe('bedrock provider: interleaved thinking and text around tool calls keep their blocks (official SDKs, SigV4)', () => {
  const claude = new InterleavedConverse(aws);
  let upstream: StandIn;
  let anthropic: Anthropic;
  let openai: OpenAI;
  let close: () => Promise<void>;
  let interleaved: ConverseBlock[];

  before(async () => {
    const started = await startProviderGateway(claude.handler, (upstreamUrl) => ({
      env: { AWS_ACCESS_KEY_ID: aws.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.secretAccessKey, AWS_DEFAULT_REGION: 'us-west-2', BEDROCK_BASE_URL: upstreamUrl },
    }));
    ({ upstream, close, client: openai } = started);
    anthropic = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    claude.reset();
    interleaved = [
      { reasoningContent: { reasoningText: { text: 'First thought: the weather.', signature: claude.sign('First thought: the weather.') } } },
      { toolUse: { toolUseId: 'tooluse_I1', name: 'get_weather', input: { city: 'Paris' } } },
      { reasoningContent: { reasoningText: { text: 'Second thought: the time.', signature: claude.sign('Second thought: the time.') } } },
      { toolUse: { toolUseId: 'tooluse_I2', name: 'get_time', input: { tz: 'CET' } } },
    ];
    claude.answer = interleaved;
  });
  after(() => close());

  const thinkingRequest = {
    model,
    max_tokens: 8000,
    thinking: { type: 'enabled' as const, budget_tokens: 4000 },
    tools,
    betas: ['interleaved-thinking-2025-05-14'],
  };

  /** The Anthropic blocks Claude wrote for `interleaved`. */
  const expectedBlocks = () => [
    { type: 'thinking', thinking: 'First thought: the weather.', signature: interleaved[0].reasoningContent!.reasoningText!.signature },
    { type: 'tool_use', id: 'tooluse_I1', name: 'get_weather', input: { city: 'Paris' } },
    { type: 'thinking', thinking: 'Second thought: the time.', signature: interleaved[2].reasoningContent!.reasoningText!.signature },
    { type: 'tool_use', id: 'tooluse_I2', name: 'get_time', input: { tz: 'CET' } },
  ];

  const toolResults = [
    { type: 'tool_result' as const, tool_use_id: 'tooluse_I1', content: '18°C, sunny' },
    { type: 'tool_result' as const, tool_use_id: 'tooluse_I2', content: '14:05' },
  ];

  it('messages.create: each reasoning block is its own thinking block with its own signature, in place, as messages.stream gives them', async () => {
    const message = await anthropic.beta.messages.create({ ...thinkingRequest, messages: [{ role: 'user', content: question }] });
    assert.deepEqual(message.content, expectedBlocks());
    assert.equal(message.stop_reason, 'tool_use');

    const streamed = await anthropic.beta.messages.stream({ ...thinkingRequest, messages: [{ role: 'user', content: question }] }).finalMessage();
    assert.deepEqual(streamed.content, expectedBlocks());
  });

  it('the next turn sends every thinking block back with its signature, in its place between the tool calls (non-streamed and streamed history)', async () => {
    for (const streamed of [false, true]) {
      claude.reset();
      const request = { ...thinkingRequest, messages: [{ role: 'user' as const, content: question }] };
      const first = streamed ? await anthropic.beta.messages.stream(request).finalMessage() : await anthropic.beta.messages.create(request);
      const next = await anthropic.beta.messages.create({
        ...thinkingRequest,
        messages: [
          { role: 'user', content: question },
          { role: 'assistant', content: first.content },
          { role: 'user', content: toolResults },
        ],
      });
      assert.deepEqual(next.content, [{ type: 'text', text: finalText, citations: null }], `streamed: ${streamed}`);
      assert.deepEqual(claude.bodies[1].messages[1], { role: 'assistant', content: interleaved }, `streamed: ${streamed}`);
      assert.deepEqual(claude.bodies[1].additionalModelRequestFields?.thinking, { type: 'enabled', budget_tokens: 4000 });
    }
  });

  it('a turn of several thinking blocks and text keeps the text where it was, apart from the thinking', async () => {
    const firstThinking = { type: 'thinking' as const, thinking: 'First thought: the weather.', signature: claude.sign('First thought: the weather.') };
    const secondThinking = { type: 'thinking' as const, thinking: 'Second thought: the time.', signature: claude.sign('Second thought: the time.') };
    const turn = [
      firstThinking,
      { type: 'text' as const, text: 'Checking the weather.' },
      { type: 'tool_use' as const, id: 'tooluse_I1', name: 'get_weather', input: { city: 'Paris' } },
      secondThinking,
      { type: 'text' as const, text: 'Now the time.' },
      { type: 'tool_use' as const, id: 'tooluse_I2', name: 'get_time', input: { tz: 'CET' } },
    ];
    // As if Claude had answered so: the stand-in takes back only turns it gave.
    claude.answer = [
      { reasoningContent: { reasoningText: { text: firstThinking.thinking, signature: firstThinking.signature } } },
      { text: 'Checking the weather.' },
      interleaved[1],
      { reasoningContent: { reasoningText: { text: secondThinking.thinking, signature: secondThinking.signature } } },
      { text: 'Now the time.' },
      interleaved[3],
    ];
    const message = await anthropic.beta.messages.create({ ...thinkingRequest, messages: [{ role: 'user', content: question }] });
    assert.deepEqual(
      message.content.map((block) => block.type),
      ['thinking', 'text', 'tool_use', 'thinking', 'text', 'tool_use'],
    );
    await anthropic.beta.messages.create({ ...thinkingRequest, messages: [{ role: 'user', content: question }, { role: 'assistant', content: turn }, { role: 'user', content: toolResults }] });
    assert.deepEqual(claude.bodies[1].messages[1].content, claude.answer);
  });

  it('OpenAI SDK: one message with all the reasoning text and both tool calls; sent back, the turn goes without thinking rather than with a signature for another text', async () => {
    const completion = await openai.chat.completions.create({ model, tools: openAITools, reasoning_effort: 'medium', messages: [{ role: 'user', content: question }] });
    const message = completion.choices[0].message as OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string; reasoning_signature?: string };
    assert.equal(message.reasoning_content, 'First thought: the weather.Second thought: the time.');
    assert.deepEqual(
      message.tool_calls?.map((call) => (call.type === 'function' ? [call.id, call.function.name, JSON.parse(call.function.arguments)] : [])),
      [
        ['tooluse_I1', 'get_weather', { city: 'Paris' }],
        ['tooluse_I2', 'get_time', { tz: 'CET' }],
      ],
    );
    const next = await openai.chat.completions.create({
      model,
      tools: openAITools,
      reasoning_effort: 'medium',
      messages: [
        { role: 'user', content: question },
        message as OpenAI.Chat.ChatCompletionAssistantMessageParam,
        { role: 'tool', tool_call_id: 'tooluse_I1', content: '18°C, sunny' },
        { role: 'tool', tool_call_id: 'tooluse_I2', content: '14:05' },
      ],
    });
    assert.equal(next.choices[0].message.content, finalText);
    const sent = claude.bodies[1];
    assert.deepEqual(sent.messages[1].content, [interleaved[1], interleaved[3]]);
    assert.equal(sent.additionalModelRequestFields?.thinking, undefined);
  });

  describe('text on both sides of a tool call (finding 3)', () => {
    const textToolText: ConverseBlock[] = [{ text: 'Before.' }, { toolUse: { toolUseId: 'tooluse_T1', name: 'get_weather', input: { city: 'Paris' } } }, { text: 'After.' }];
    const expected = [
      { type: 'text', text: 'Before.', citations: null },
      { type: 'tool_use', id: 'tooluse_T1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'text', text: 'After.', citations: null },
    ];

    it('Anthropic SDK: text, tool_use, text in order, streamed or not', async () => {
      claude.answer = textToolText;
      const request = { model, max_tokens: 500, tools, messages: [{ role: 'user' as const, content: question }] };
      const message = await anthropic.messages.create(request);
      assert.deepEqual(message.content, expected);
      const streamed = await anthropic.messages.stream(request).finalMessage();
      assert.deepEqual(streamed.content, expected);
    });

    it('OpenAI SDK: one content string holding both texts, and the tool call', async () => {
      claude.answer = textToolText;
      const completion = await openai.chat.completions.create({ model, tools: openAITools, messages: [{ role: 'user', content: question }] });
      assert.equal(completion.choices[0].message.content, 'Before.After.');
      assert.equal(completion.choices[0].message.tool_calls?.length, 1);
      assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    });
  });
});

describe('bedrock provider: answer blocks in order never bypass a response guardrail (pii response: redact)', () => {
  const claude = new InterleavedConverse(aws);
  let upstream: StandIn;
  let anthropic: Anthropic;
  let close: () => Promise<void>;

  before(async () => {
    const started = await startProviderGateway(claude.handler, (upstreamUrl) => ({
      config: 'plugins:\n  pii: { request: "off", response: redact }\n',
      env: { AWS_ACCESS_KEY_ID: aws.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.secretAccessKey, AWS_DEFAULT_REGION: 'us-west-2', BEDROCK_BASE_URL: upstreamUrl },
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
    claude.answer = [{ text: 'Before.' }, { toolUse: { toolUseId: 'tooluse_T1', name: 'get_weather', input: { city: 'Paris' } } }, { text: 'Mail bob.smith@example.com after.' }];
    const message = await anthropic.messages.create({ model, max_tokens: 500, tools, messages: [{ role: 'user', content: question }] });
    assert.doesNotMatch(JSON.stringify(message.content), /bob\.smith@example\.com/);
    assert.deepEqual(
      message.content.map((block) => block.type),
      ['text', 'tool_use'],
    );
    assert.match(message.content[0].type === 'text' ? message.content[0].text : '', /^Before\.Mail \[EMAIL\] after\.$/);
  });

  it('thinking rewritten by the guardrail: the blocks Claude wrote are not given (their text is not what the client may see)', async () => {
    claude.answer = [
      { reasoningContent: { reasoningText: { text: 'Write to bob.smith@example.com.', signature: claude.sign('Write to bob.smith@example.com.') } } },
      { toolUse: { toolUseId: 'tooluse_I1', name: 'get_weather', input: { city: 'Paris' } } },
      { reasoningContent: { reasoningText: { text: 'Then the time.', signature: claude.sign('Then the time.') } } },
      { toolUse: { toolUseId: 'tooluse_I2', name: 'get_time', input: { tz: 'CET' } } },
    ];
    const message = await anthropic.beta.messages.create({ model, max_tokens: 8000, thinking: { type: 'enabled', budget_tokens: 4000 }, tools, messages: [{ role: 'user', content: question }] });
    assert.doesNotMatch(JSON.stringify(message.content), /bob\.smith@example\.com/);
    assert.deepEqual(
      message.content.map((block) => block.type),
      ['thinking', 'tool_use', 'tool_use'],
    );
  });
});
