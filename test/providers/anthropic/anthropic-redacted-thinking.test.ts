import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessage, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { GoogleStandIn, serviceAccountFile } from '../vertex/google-stand-in.ts';
import { finalAnswer, redactedData, RedactedClaude, thought, toolCall } from './redacted-thinking-claude-stand-in.ts';

/**
 * Claude's redacted thinking (`redacted_thinking`) for OpenAI chat clients on Anthropic and on
 * Vertex AI (both through the anthropic adapter): it comes back as the message's
 * `reasoning_redacted` (an extension field beside reasoning_content and reasoning_signature; a run
 * of redacted blocks as one stream delta), and goes back to Claude as redacted_thinking blocks
 * after the thinking block, so a tool loop keeps its thinking on. The stand-in refuses a loop turn
 * whose thinking blocks are missing or changed, as Claude does.
 */
describe('anthropic adapter: redacted thinking both ways for OpenAI chat clients (Anthropic, Vertex AI)', () => {
  const claude = new RedactedClaude();
  const google = new GoogleStandIn();
  let anthropic: StandIn;
  let vertex: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;

  before(async () => {
    anthropic = await startStandIn(claude.handler);
    vertex = await startStandIn(google.handler);
    gateway = await startGateway('{}', {
      ANTHROPIC_API_KEY: 'anthropic-upstream-key',
      ANTHROPIC_BASE_URL: anthropic.url,
      GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile(`${vertex.url}/token`),
      GOOGLE_CLOUD_PROJECT: 'my-project',
      GOOGLE_CLOUD_LOCATION: 'us-east5',
      VERTEX_BASE_URL: vertex.url,
    });
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    claude.reset();
    google.reset();
    google.reply = claude.handler;
  });
  after(async () => {
    await gateway.close();
    await anthropic.close();
    await vertex.close();
  });

  const question: ChatCompletionMessageParam = { role: 'user', content: 'What is the weather in Paris?' };
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
  const toolResult: ChatCompletionMessageParam = { role: 'tool', tool_call_id: toolCall.id, content: '18°C, sunny' };
  type Extended = ChatCompletionMessage & { reasoning_content?: string; reasoning_signature?: string; reasoning_redacted?: string[] };

  /** The loop turn's blocks as Claude got them on the last call, and whether thinking was on. */
  function lastTurn(): { thinking: unknown; types: string[]; redacted: string[] } {
    const body = claude.bodies.at(-1)!;
    const turn = body.messages.at(-2)!;
    const blocks = Array.isArray(turn.content) ? turn.content : [];
    return { thinking: body.thinking, types: blocks.map((block) => block.type), redacted: blocks.filter((block) => block.type === 'redacted_thinking').map((block) => String(block.data)) };
  }

  for (const target of [
    { name: 'anthropic', model: 'anthropic/claude-sonnet-4-5' },
    { name: 'vertex', model: 'vertex/claude-sonnet-4-5@20250929' },
  ]) {
    it(`${target.name}: redacted thinking alone comes back as reasoning_redacted, and the next turn of the loop sends it first, thinking still on`, async () => {
      const first = await client.chat.completions.create({ model: target.model, messages: [question], tools, reasoning_effort: 'low' });
      const message = first.choices[0].message as Extended;
      assert.deepEqual(message.reasoning_redacted, [redactedData[0]]);
      assert.equal(message.tool_calls?.[0]?.id, toolCall.id);
      const second = await client.chat.completions.create({ model: target.model, messages: [question, message as ChatCompletionMessageParam, toolResult], tools, reasoning_effort: 'low' });
      assert.equal(second.choices[0].message.content, finalAnswer);
      assert.deepEqual(lastTurn(), { thinking: { type: 'enabled', budget_tokens: 1024 }, types: ['redacted_thinking', 'tool_use'], redacted: [redactedData[0]] });
    });

    it(`${target.name}: thinking and redacted thinking go back in Claude's order (thinking, redacted, tool_use)`, async () => {
      claude.mode = 'both';
      const first = await client.chat.completions.create({ model: target.model, messages: [question], tools, reasoning_effort: 'low' });
      const message = first.choices[0].message as Extended;
      assert.equal(message.reasoning_content, thought);
      assert.deepEqual(message.reasoning_redacted, redactedData);
      await client.chat.completions.create({ model: target.model, messages: [question, message as ChatCompletionMessageParam, toolResult], tools, reasoning_effort: 'low' });
      assert.deepEqual(lastTurn(), { thinking: { type: 'enabled', budget_tokens: 1024 }, types: ['thinking', 'redacted_thinking', 'redacted_thinking', 'tool_use'], redacted: redactedData });
    });
  }

  it('a stream gives a run of redacted blocks as one reasoning_redacted delta, so the openai SDK stream helper keeps them all', async () => {
    claude.mode = 'both';
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [question], tools, reasoning_effort: 'low', stream: true })) chunks.push(chunk);
    const redactedDeltas = chunks.map((chunk) => (chunk.choices[0]?.delta as { reasoning_redacted?: string[] } | undefined)?.reasoning_redacted).filter((value) => value !== undefined);
    assert.deepEqual(redactedDeltas, [redactedData]);
    const message = (await client.chat.completions.stream({ model: 'anthropic/claude-sonnet-4-5', messages: [question], tools, reasoning_effort: 'low' }).finalChatCompletion()).choices[0].message as Extended;
    assert.deepEqual(message.reasoning_redacted, redactedData);
  });

  it("the stream helper's message: with redacted thinking alone the loop keeps thinking on; with a truncated thinking text the turn's thinking all stays out, thinking off", async () => {
    const alone = (await client.chat.completions.stream({ model: 'anthropic/claude-sonnet-4-5', messages: [question], tools, reasoning_effort: 'low' }).finalChatCompletion()).choices[0].message;
    const answer = await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [question, alone as ChatCompletionMessageParam, toolResult], tools, reasoning_effort: 'low' });
    assert.equal(answer.choices[0].message.content, finalAnswer);
    assert.deepEqual(lastTurn().types, ['redacted_thinking', 'tool_use']);

    claude.reset();
    claude.mode = 'both';
    // The helper keeps only the last reasoning fragment: Claude would refuse that thinking, and redacted thinking without it is not the run Claude wrote.
    const truncated = (await client.chat.completions.stream({ model: 'anthropic/claude-sonnet-4-5', messages: [question], tools, reasoning_effort: 'low' }).finalChatCompletion()).choices[0].message as Extended;
    assert.notEqual(truncated.reasoning_content, thought);
    const again = await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [question, truncated as ChatCompletionMessageParam, toolResult], tools, reasoning_effort: 'low' });
    assert.equal(again.choices[0].message.content, finalAnswer);
    assert.deepEqual(lastTurn(), { thinking: undefined, types: ['tool_use'], redacted: [] });
  });
});
