import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { checkingConverse } from './checking-bedrock-stand-in.ts';
import { encodeEventStream, type FixtureFrame } from './event-stream-fixtures.ts';

const aws = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const model = 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const signature = 'EqQBCkgIBxABGAIiQNm3Jb1mXkqvP9y0c2vQ0Yx8nC6p0oT3v1r0sZ8bL0cA==';
/** Converse's redactedContent: bytes, base64 in JSON (the encrypted reasoning). */
const redactedBytes = Buffer.from('encrypted reasoning, opaque to everyone but Claude');
const redacted = redactedBytes.toString('base64');
const usage = { inputTokens: 30, outputTokens: 60, totalTokens: 90 };

/** A Converse answer with a signed reasoning block, a redacted one and text (AWS's ReasoningContentBlock union). */
const converseAnswer = {
  output: { message: { role: 'assistant', content: [{ reasoningContent: { reasoningText: { text: 'Let me think.', signature } } }, { reasoningContent: { redactedContent: redacted } }, { text: 'The answer is 42.' }] } },
  stopReason: 'end_turn',
  usage,
  metrics: { latencyMs: 900 },
};

/** The same answer as ConverseStream events; the redacted block's bytes may come in several deltas. */
function streamFrames(redactedPieces: string[]): FixtureFrame[] {
  return [
    { eventType: 'messageStart', payload: { role: 'assistant' } },
    { eventType: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Let me think.' } } } },
    { eventType: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { reasoningContent: { signature } } } },
    { eventType: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
    ...redactedPieces.map((piece): FixtureFrame => ({ eventType: 'contentBlockDelta', payload: { contentBlockIndex: 1, delta: { reasoningContent: { redactedContent: piece } } } })),
    { eventType: 'contentBlockStop', payload: { contentBlockIndex: 1 } },
    { eventType: 'contentBlockDelta', payload: { contentBlockIndex: 2, delta: { text: 'The answer is 42.' } } },
    { eventType: 'contentBlockStop', payload: { contentBlockIndex: 2 } },
    { eventType: 'messageStop', payload: { stopReason: 'end_turn' } },
    { eventType: 'metadata', payload: { usage, metrics: { latencyMs: 900 } } },
  ];
}

const expectedContent = [
  { type: 'thinking', thinking: 'Let me think.', signature },
  { type: 'redacted_thinking', data: redacted },
  { type: 'text', text: 'The answer is 42.', citations: null },
];

/**
 * Bedrock's Claude answers with redacted reasoning (`reasoningContent.redactedContent`): an
 * Anthropic SDK client gets it as `redacted_thinking`, and sends it back with a tool-use turn's
 * history unmodified, as Anthropic requires. Also a tool result of several text blocks stays a
 * list of blocks in Converse's toolResult.
 */
describe('Anthropic Messages API clients on Bedrock: redacted thinking both ways, tool results as lists (audit F4, F3)', () => {
  let upstream: StandIn;
  let client: Anthropic;
  let close: () => Promise<void>;
  let reply: Reply = checkingConverse(() => replyWhole(200, { 'content-type': 'application/json' }, () => JSON.stringify(converseAnswer)));

  before(async () => {
    const started = await startProviderGateway((request, response) => reply(request, response), (upstreamUrl) => ({
      env: { AWS_ACCESS_KEY_ID: aws.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', BEDROCK_BASE_URL: upstreamUrl },
    }));
    ({ upstream, close } = started);
    client = new Anthropic({ baseURL: started.gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    reply = checkingConverse(() => replyWhole(200, { 'content-type': 'application/json' }, () => JSON.stringify(converseAnswer)));
  });
  after(() => close());

  const request = { model, max_tokens: 8000, thinking: { type: 'enabled' as const, budget_tokens: 4000 }, messages: [{ role: 'user' as const, content: 'What is 6 × 7?' }] };

  it('messages.create: the redacted block is a redacted_thinking block, in place', async () => {
    const message = await client.messages.create(request);
    assert.deepEqual(message.content, expectedContent);
  });

  it('messages.stream: a redacted_thinking block, whole in its content_block_start (also from pieces)', async () => {
    const half = Math.floor(redactedBytes.length / 2) + 1;
    const pieces = [redactedBytes.subarray(0, half).toString('base64'), redactedBytes.subarray(half).toString('base64')];
    for (const redactedPieces of [[redacted], pieces]) {
      reply = checkingConverse(() => replyInPieces({ 'content-type': 'application/vnd.amazon.eventstream' }, () => encodeEventStream(streamFrames(redactedPieces)), 17));
      const stream = client.messages.stream(request);
      const starts: unknown[] = [];
      stream.on('streamEvent', (event) => {
        if (event.type === 'content_block_start') starts.push(event.content_block);
      });
      const final = await stream.finalMessage();
      assert.deepEqual(final.content, expectedContent);
      assert.deepEqual(starts[1], { type: 'redacted_thinking', data: redacted });
    }
  });

  it("a tool-use turn's history goes back with its redacted reasoning, after the signed thinking, unmodified", async () => {
    await client.messages.create({
      ...request,
      tools: [{ name: 'calculator', input_schema: { type: 'object', properties: { expression: { type: 'string' } } } }],
      messages: [
        { role: 'user', content: 'What is 6 × 7?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Let me think.', signature },
            { type: 'redacted_thinking', data: redacted },
            { type: 'tool_use', id: 'toolu_01A', name: 'calculator', input: { expression: '6*7' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: '42' }] },
      ],
    });
    const sent = upstream.requests[0].json as { messages: Array<{ role: string; content: unknown[] }> };
    assert.deepEqual(sent.messages[1].content, [
      { reasoningContent: { reasoningText: { text: 'Let me think.', signature } } },
      { reasoningContent: { redactedContent: redacted } },
      { toolUse: { toolUseId: 'toolu_01A', name: 'calculator', input: { expression: '6*7' } } },
    ]);
  });

  it('F3: a tool_result of several text blocks is a toolResult of several text blocks', async () => {
    await client.messages.create({
      model,
      max_tokens: 100,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: [{ type: 'text', text: 'Result one.' }, { type: 'text', text: 'Result two.' }] }] },
      ],
    });
    const sent = upstream.requests[0].json as { messages: Array<{ role: string; content: unknown[] }> };
    assert.deepEqual(sent.messages[2].content, [{ toolResult: { toolUseId: 'toolu_01A', content: [{ text: 'Result one.' }, { text: 'Result two.' }] } }]);
  });
});
