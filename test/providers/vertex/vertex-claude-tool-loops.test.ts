import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { finalAnswer, ThinkingClaude, toolCall } from '../anthropic/thinking-claude-stand-in.ts';
import { GoogleStandIn, serviceAccountFile } from './google-stand-in.ts';

/**
 * Claude on Vertex AI takes the anthropic adapter's request, so the blind audit's F1 and F2 fixes
 * hold there too: reasoning_effort in the openai SDK's tool loops (a turn whose thinking did not
 * come back goes without thinking; a thinking text the signature was not given with is dropped),
 * and JSON mode with tool_choice none forcing the JSON tool. The stand-in behind rawPredict holds
 * the gateway to Anthropic's thinking rules (../anthropic/thinking-claude-stand-in.ts).
 */
describe('vertex provider: Claude with reasoning_effort in the openai SDK tool loops, and JSON mode after tools', () => {
  const google = new GoogleStandIn();
  const claude = new ThinkingClaude();
  const model = 'vertex/claude-sonnet-4-5@20250929';
  const question: ChatCompletionMessageParam = { role: 'user', content: 'What is the weather in Paris?' };
  const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    ({ client, close } = await startProviderGateway(google.handler, (url) => ({
      env: { GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile(`${url}/token`), GOOGLE_CLOUD_PROJECT: 'my-project', GOOGLE_CLOUD_LOCATION: 'us-east5', VERTEX_BASE_URL: url },
    })));
  });
  beforeEach(() => {
    google.reset();
    claude.reset();
    google.reply = claude.handler;
  });
  after(() => close());

  for (const stream of [false, true]) {
    it(`runTools (${stream ? 'streamed' : 'not streamed'}) completes: the turn after the tool call goes without thinking`, async () => {
      const runnable = { type: 'function' as const, function: { name: 'get_weather', description: 'Current weather', parameters, function: () => '18°C, sunny', parse: JSON.parse } };
      const runner = client.chat.completions.runTools({ model, messages: [question], tools: [runnable], reasoning_effort: 'low', stream } as never);
      assert.equal(await (runner as { finalContent(): Promise<string | null> }).finalContent(), finalAnswer);
      assert.deepEqual(claude.bodies.map((body) => body.thinking), [{ type: 'enabled', budget_tokens: 1024 }, undefined]);
    });
  }

  it('the .stream() helper\'s message (last reasoning fragment) goes back without its thinking block, and is answered', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters } }];
    const message = (await client.chat.completions.stream({ model, messages: [question], tools, reasoning_effort: 'low' }).finalChatCompletion()).choices[0].message;
    const answer = await client.chat.completions.create({ model, messages: [question, message as ChatCompletionMessageParam, { role: 'tool', tool_call_id: toolCall.id, content: '18°C' }], tools, reasoning_effort: 'low' });
    assert.equal(answer.choices[0].message.content, finalAnswer);
    const turn = claude.bodies[1].messages[1];
    assert.deepEqual([claude.bodies[1].thinking, Array.isArray(turn.content) && turn.content.map((block) => block.type)], [undefined, ['tool_use']]);
  });

  it('JSON mode with tools and tool_choice none forces the JSON tool: parse() gets the object', async () => {
    google.reply = (request, response) => {
      const body = request.json as { tool_choice?: { type: string; name?: string } };
      const input = { name: 'Ada', age: 36 };
      const block = body.tool_choice?.type === 'tool' ? { type: 'tool_use', id: 'toolu_01Json', name: body.tool_choice.name, input } : { type: 'text', text: 'Ada was 36.' };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'msg_01Json', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [block], stop_reason: block.type === 'tool_use' ? 'tool_use' : 'end_turn', stop_sequence: null, usage: { input_tokens: 9, output_tokens: 9 } }));
    };
    const completion = await client.chat.completions.parse({
      model,
      messages: [{ role: 'user', content: 'Who was Ada Lovelace?' }],
      tools: [zodFunction({ name: 'lookup_person', parameters: z.object({ query: z.string() }) })],
      tool_choice: 'none',
      response_format: zodResponseFormat(z.object({ name: z.string(), age: z.number().int() }), 'person'),
    });
    assert.deepEqual(completion.choices[0].message.parsed, { name: 'Ada', age: 36 });
    assert.deepEqual((google.vertexRequests()[0].json as { tool_choice?: unknown }).tool_choice, { type: 'tool', name: 'json_response' });
  });
});
