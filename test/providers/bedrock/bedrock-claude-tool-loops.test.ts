import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { isApiError } from '../../helpers/openai-sdk.ts';
import { finalAnswer, thought, ThinkingConverse, toolUse } from './thinking-converse-stand-in.ts';

/**
 * Claude on Bedrock with reasoning_effort in the openai SDK's own tool loops (blind audit F1),
 * against a Converse stand-in that holds the gateway to Claude's thinking rules and checks each
 * reasoning block's signature against its text (thinking-converse-stand-in.ts): a turn whose
 * thinking did not come back (runTools) goes without thinking; a text the signature was not given
 * with (the `.stream()` helper keeps the last fragment) is dropped; a message sent back whole keeps
 * its reasoning with Bedrock's own signature. Anthropic-format clients get and send Bedrock's own
 * signature, as before.
 */
describe('bedrock provider: Claude with reasoning_effort in the openai SDK tool loops (F1)', () => {
  const claude = new ThinkingConverse();
  const model = 'aws/anthropic.claude-sonnet-4-5-20250929-v1:0';
  const question: ChatCompletionMessageParam = { role: 'user', content: 'What is the weather in Paris?' };
  const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters } }];
  const toolResult: ChatCompletionMessageParam = { role: 'tool', tool_call_id: toolUse.toolUseId, content: '18°C, sunny' };
  let client: OpenAI;
  let anthropic: Anthropic;
  let close: () => Promise<void>;

  before(async () => {
    const started = await startProviderGateway(claude.handler, (url) => ({
      config: `
providers:
  aws: { type: bedrock, api_key: bedrock-key, base_url: "${url}", options: { region: us-east-1 } }
  aws-strict: { type: bedrock, api_key: bedrock-key, base_url: "${url}", strict_params: true, options: { region: us-east-1 } }
`,
    }));
    ({ client, close } = started);
    anthropic = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => claude.reset());
  after(() => close());

  /** The first block of the assistant turn request `index` sent. */
  function firstAssistantBlock(index: number): Record<string, unknown> {
    const turn = claude.bodies[index].messages.find((message) => message.role === 'assistant');
    assert.ok(turn);
    return turn.content[0] as Record<string, unknown>;
  }

  for (const stream of [false, true]) {
    it(`runTools (${stream ? 'streamed' : 'not streamed'}) completes: the turn after the tool call goes without thinking`, async () => {
      const runnable = { type: 'function' as const, function: { name: 'get_weather', description: 'Current weather', parameters, function: () => '18°C, sunny', parse: JSON.parse } };
      const runner = client.chat.completions.runTools({ model, messages: [question], tools: [runnable], reasoning_effort: 'low', stream } as never);
      assert.equal(await (runner as { finalContent(): Promise<string | null> }).finalContent(), finalAnswer);
      assert.deepEqual(claude.bodies.map((body) => body.additionalModelRequestFields?.thinking), [{ type: 'enabled', budget_tokens: 1024 }, undefined]);
      assert.ok('toolUse' in firstAssistantBlock(1));
    });
  }

  it('the .stream() helper\'s message (last reasoning fragment) goes back without its reasoning, and is answered', async () => {
    const message = (await client.chat.completions.stream({ model, messages: [question], tools, reasoning_effort: 'low' }).finalChatCompletion()).choices[0].message;
    assert.notEqual((message as { reasoning_content?: string }).reasoning_content, thought, 'the SDK helper keeps the last fragment');
    const answer = await client.chat.completions.create({ model, messages: [question, message as ChatCompletionMessageParam, toolResult], tools, reasoning_effort: 'low' });
    assert.equal(answer.choices[0].message.content, finalAnswer);
    assert.equal(claude.bodies[1].additionalModelRequestFields?.thinking, undefined);
    assert.ok('toolUse' in firstAssistantBlock(1));
  });

  it('a message sent back as the gateway gave it keeps its reasoning, with Bedrock\'s own signature, and thinking stays on', async () => {
    for (const stream of [false, true]) {
      claude.reset();
      const message = stream
        ? (await client.chat.completions.stream({ model, messages: [question], tools, reasoning_effort: 'low' }).finalChatCompletion()).choices[0].message
        : (await client.chat.completions.create({ model, messages: [question], tools, reasoning_effort: 'low' })).choices[0].message;
      // The streamed message is rebuilt from its reasoning deltas, as a client reading the whole stream has it.
      if (stream) Object.assign(message, { reasoning_content: thought });
      assert.match(String((message as { reasoning_signature?: string }).reasoning_signature), /^tg1\./);
      const answer: OpenAI.Chat.Completions.ChatCompletion = await client.chat.completions.create({ model, messages: [question, message as ChatCompletionMessageParam, toolResult], tools, reasoning_effort: 'low' });
      assert.equal(answer.choices[0].message.content, finalAnswer);
      assert.deepEqual(claude.bodies[1].additionalModelRequestFields?.thinking, { type: 'enabled', budget_tokens: 1024 });
      const reasoning = (firstAssistantBlock(1).reasoningContent as { reasoningText: { text: string; signature: string } }).reasoningText;
      assert.equal(reasoning.text, thought);
      assert.ok(String((message as { reasoning_signature?: string }).reasoning_signature).endsWith(`.${reasoning.signature}`), 'Bedrock\'s own signature, unwrapped');
    }
  });

  it('under strict_params, the turn that cannot think is refused (400 unsupported_parameter) before any upstream call', async () => {
    const toolTurn = { role: 'assistant' as const, content: null, tool_calls: [{ id: toolUse.toolUseId, type: 'function' as const, function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] };
    await assert.rejects(client.chat.completions.create({ model: 'aws-strict/anthropic.claude-sonnet-4-5-20250929-v1:0', messages: [question, toolTurn, toolResult], tools, reasoning_effort: 'low' }), isApiError(400, 'unsupported_parameter', 'invalid_request_error'));
    assert.equal(claude.bodies.length, 0);
  });

  it('Anthropic-format clients get Bedrock\'s own signature and send it back, thinking on (unchanged)', async () => {
    const anthropicTools = [{ name: 'get_weather', input_schema: parameters as Anthropic.Tool.InputSchema }];
    const thinking = { type: 'enabled' as const, budget_tokens: 1024 };
    const first = await anthropic.messages.create({ model, max_tokens: 4096, thinking, tools: anthropicTools, messages: [{ role: 'user', content: 'What is the weather in Paris?' }] });
    const block = first.content[0];
    assert.equal(block.type, 'thinking');
    assert.ok(block.type === 'thinking' && !block.signature.startsWith('tg1.'));
    const answer = await anthropic.messages.create({
      model,
      max_tokens: 4096,
      thinking,
      tools: anthropicTools,
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.toolUseId, content: '18°C, sunny' }] },
      ],
    });
    assert.deepEqual(answer.content.map((part) => part.type), ['text']);
    assert.ok(claude.bodies[1].additionalModelRequestFields?.thinking);
  });
});
