import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { isApiError } from '../../helpers/openai-sdk.ts';
import { decodeReasoningState } from '../../../src/formats/openai-responses/responses-reasoning-state.ts';
import { finalAnswer, thought, ThinkingClaude, toolCall } from './thinking-claude-stand-in.ts';

/**
 * Claude with reasoning_effort and tools in the openai SDK's own tool loops (blind audit F1),
 * against a stand-in that holds the gateway to Anthropic's thinking rules and checks each thinking
 * block's signature against its text (thinking-claude-stand-in.ts):
 * - `runTools` rebuilds the assistant message from its typed fields, so the thinking does not come
 *   back: the gateway then sends that turn without thinking (what Anthropic's error says to do);
 * - the `.stream()` helper keeps only the last fragment of `reasoning_content` beside a whole
 *   signature: the signature an OpenAI chat client gets carries a digest of the text, so such a
 *   block is dropped instead of failing with "Invalid signature";
 * - a message sent back as the gateway gave it keeps its thinking, with Anthropic's own signature.
 */

const model = 'anthropic/claude-sonnet-4-5';
const question: ChatCompletionMessageParam = { role: 'user', content: 'What is the weather in Paris?' };
const weatherTool: ChatCompletionTool = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
const runnableWeather = { type: 'function' as const, function: { name: 'get_weather', description: 'Current weather', parameters: weatherTool.function.parameters!, function: () => '18°C, sunny', parse: JSON.parse } };

type SentBlock = { type: string; thinking?: string; signature?: string };

describe('anthropic provider: reasoning_effort in the openai SDK tool loops (F1)', () => {
  const claude = new ThinkingClaude();
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    ({ client, close } = await startProviderGateway(claude.handler, (url) => ({
      config: `
providers:
  anthropic: { type: anthropic, api_key: test-key, base_url: "${url}" }
  claude-strict: { type: anthropic, api_key: test-key, base_url: "${url}", strict_params: true }
`,
    })));
  });
  beforeEach(() => claude.reset());
  after(() => close());

  /** The blocks of the assistant turn the second request sent back. */
  function assistantTurnSent(requestIndex = 1): SentBlock[] {
    const turn = claude.bodies[requestIndex].messages.find((message) => message.role === 'assistant');
    assert.ok(turn && Array.isArray(turn.content));
    return turn.content as SentBlock[];
  }

  for (const stream of [false, true]) {
    it(`runTools (${stream ? 'streamed' : 'not streamed'}): the turn after the tool call goes without thinking, and the loop completes`, async () => {
      const runner = client.chat.completions.runTools({ model, messages: [question], tools: [runnableWeather], reasoning_effort: 'low', stream } as never);
      assert.equal(await (runner as { finalContent(): Promise<string | null> }).finalContent(), finalAnswer);
      assert.equal(claude.bodies.length, 2);
      assert.deepEqual(claude.bodies[0].thinking, { type: 'enabled', budget_tokens: 1024 });
      assert.equal(claude.bodies[1].thinking, undefined);
      assert.deepEqual(assistantTurnSent().map((block) => block.type), ['tool_use']);
    });
  }

  it('runTools on an adaptive-thinking model: no thinking and no effort on the turn after the call', async () => {
    const runner = client.chat.completions.runTools({ model: 'anthropic/claude-opus-4-8', messages: [question], tools: [runnableWeather], reasoning_effort: 'medium', stream: true });
    assert.equal(await runner.finalContent(), finalAnswer);
    assert.deepEqual([claude.bodies[0].thinking, claude.bodies[0].output_config], [{ type: 'adaptive' }, { effort: 'medium' }]);
    assert.deepEqual([claude.bodies[1].thinking, claude.bodies[1].output_config], [undefined, undefined]);
  });

  it('the .stream() helper (last reasoning fragment beside a whole signature): the thinking block is dropped, the turn goes without thinking', async () => {
    const completion = await client.chat.completions.stream({ model, messages: [question], tools: [weatherTool], reasoning_effort: 'low' }).finalChatCompletion();
    const message = completion.choices[0].message as typeof completion.choices[0]['message'] & { reasoning_content?: string; reasoning_signature?: string };
    // What the SDK helper does with unknown delta fields (the case this covers): each fragment replaces the last.
    assert.notEqual(message.reasoning_content, thought);
    assert.ok(thought.endsWith(String(message.reasoning_content)));
    const answer = await client.chat.completions.create({
      model,
      messages: [question, message as ChatCompletionMessageParam, { role: 'tool', tool_call_id: toolCall.id, content: '18°C, sunny' }],
      tools: [weatherTool],
      reasoning_effort: 'low',
    });
    assert.equal(answer.choices[0].message.content, finalAnswer);
    assert.equal(claude.bodies[1].thinking, undefined);
    assert.deepEqual(assistantTurnSent().map((block) => block.type), ['tool_use']);
  });

  it('a message sent back as the gateway gave it (not streamed) keeps its thinking, with Anthropic\'s own signature', async () => {
    const first = await client.chat.completions.create({ model, messages: [question], tools: [weatherTool], reasoning_effort: 'low' });
    const message = first.choices[0].message as typeof first.choices[0]['message'] & { reasoning_content?: string; reasoning_signature?: string };
    assert.equal(message.reasoning_content, thought);
    // The client's signature carries a digest of the text; Anthropic's own is inside it, whole.
    assert.match(String(message.reasoning_signature), /^tg1\.[A-Za-z0-9_-]{16}\./);
    const answer = await client.chat.completions.create({
      model,
      messages: [question, message as ChatCompletionMessageParam, { role: 'tool', tool_call_id: toolCall.id, content: '18°C, sunny' }],
      tools: [weatherTool],
      reasoning_effort: 'low',
    });
    assert.equal(answer.choices[0].message.content, finalAnswer);
    assert.deepEqual(claude.bodies[1].thinking, { type: 'enabled', budget_tokens: 1024 });
    const [thinking, toolUse] = assistantTurnSent();
    assert.deepEqual([thinking.type, thinking.thinking, toolUse.type], ['thinking', thought, 'tool_use']);
    assert.ok(String(message.reasoning_signature).endsWith(`.${thinking.signature}`));
    assert.equal(claude.refusal(claude.bodies[1]), null);
  });

  it('a stream read whole by the client (every reasoning fragment joined) keeps its thinking too', async () => {
    const stream = await client.chat.completions.create({ model, messages: [question], tools: [weatherTool], reasoning_effort: 'low', stream: true });
    let reasoning = '';
    let signature = '';
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as (typeof chunk.choices)[0]['delta'] & { reasoning_content?: string; reasoning_signature?: string };
      if (!delta) continue;
      reasoning += delta.reasoning_content ?? '';
      if (delta.reasoning_signature) signature = delta.reasoning_signature;
      for (const call of delta.tool_calls ?? []) {
        if (call.id) calls[call.index] = { id: call.id, name: String(call.function?.name), arguments: '' };
        calls[call.index].arguments += call.function?.arguments ?? '';
      }
    }
    const message = { role: 'assistant', content: null, reasoning_content: reasoning, reasoning_signature: signature, tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })) };
    const answer = await client.chat.completions.create({ model, messages: [question, message as never, { role: 'tool', tool_call_id: toolCall.id, content: '18°C, sunny' }], tools: [weatherTool], reasoning_effort: 'low' });
    assert.equal(answer.choices[0].message.content, finalAnswer);
    assert.deepEqual(claude.bodies[1].thinking, { type: 'enabled', budget_tokens: 1024 });
    assert.deepEqual(assistantTurnSent().map((block) => [block.type, block.thinking]), [['thinking', thought], ['tool_use', undefined]]);
  });

  it("a raw Anthropic signature (a client that kept Anthropic's own) goes back as it came", async () => {
    const message = { role: 'assistant', content: null, reasoning_content: thought, reasoning_signature: claude.sign(thought), tool_calls: [{ id: toolCall.id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] };
    const answer = await client.chat.completions.create({ model, messages: [question, message as never, { role: 'tool', tool_call_id: toolCall.id, content: '18°C, sunny' }], tools: [weatherTool], reasoning_effort: 'low' });
    assert.equal(answer.choices[0].message.content, finalAnswer);
    assert.deepEqual(claude.bodies[0].thinking, { type: 'enabled', budget_tokens: 1024 });
    assert.deepEqual(assistantTurnSent(0)[0], { type: 'thinking', thinking: thought, signature: message.reasoning_signature });
  });

  it('under strict_params, the turn that cannot think is refused (400 unsupported_parameter reasoning_effort) before any upstream call', async () => {
    const toolTurn = { role: 'assistant', content: null, tool_calls: [{ id: toolCall.id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] };
    await assert.rejects(
      client.chat.completions.create({ model: 'claude-strict/claude-sonnet-4-5', messages: [question, toolTurn as never, { role: 'tool', tool_call_id: toolCall.id, content: '18°C' }], tools: [weatherTool], reasoning_effort: 'low' }),
      (error: unknown) => isApiError(400, 'unsupported_parameter', 'invalid_request_error')(error) && (error as { param?: string }).param === 'reasoning_effort',
    );
    assert.equal(claude.bodies.length, 0);
  });

  it('a finished tool loop (the last assistant turn is text) thinks again on the next question', async () => {
    const messages = [question, { role: 'assistant', content: null, tool_calls: [{ id: toolCall.id, type: 'function', function: { name: 'get_weather', arguments: '{}' } }] }, { role: 'tool', tool_call_id: toolCall.id, content: '18°C' }, { role: 'assistant', content: finalAnswer }, { role: 'user', content: 'And in Lyon?' }];
    await client.chat.completions.create({ model, messages: messages as never, tools: [weatherTool], reasoning_effort: 'low' });
    assert.deepEqual(claude.bodies[0].thinking, { type: 'enabled', budget_tokens: 1024 });
  });

  it('Responses API clients keep getting and sending Anthropic\'s own signature (in encrypted_content)', async () => {
    const response = await client.responses.create({ model, input: 'What is the weather in Paris?', tools: [{ type: 'function', name: 'get_weather', parameters: weatherTool.function.parameters!, strict: false }], reasoning: { effort: 'low' } });
    const reasoning = response.output.find((item) => item.type === 'reasoning');
    const state = decodeReasoningState(reasoning?.encrypted_content, 'encrypted_content');
    assert.equal(state?.thinking, thought);
    assert.equal(claude.refusal({ messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: thought, signature: state?.signature }] }] }), null, 'the signature is the one Anthropic gave');
  });
});
