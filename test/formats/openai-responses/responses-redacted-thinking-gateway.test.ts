import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { Response as SdkResponse, ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { finalAnswer, redactedData, RedactedClaude, thought, toolCall } from '../../providers/anthropic/redacted-thinking-claude-stand-in.ts';
import { RedactedConverse } from '../../providers/bedrock/redacted-thinking-converse-stand-in.ts';

/**
 * Responses API tool loops with `reasoning.effort` on Claude when its thinking comes back redacted
 * (the blind Responses audit's F1): the reasoning item carries the redacted thinking in its
 * `encrypted_content` (beside a signed thinking block, or alone), and `...response.output` sent
 * back puts it first in the loop's turn, so Claude, which refuses that turn without its thinking
 * blocks ("Expected `thinking` or `redacted_thinking`, but found `tool_use`"), answers. On
 * Anthropic (the shared RedactedClaude stand-in) and on Bedrock (Converse's
 * `reasoningContent.redactedContent`, RedactedConverse).
 */

const weatherTool = { type: 'function' as const, name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: null };

describe('Responses API: redacted thinking in tool loops on Claude (Anthropic and Bedrock stand-ins that enforce the thinking rule)', () => {
  const claude = new RedactedClaude();
  const converse = new RedactedConverse();
  let anthropic: StandIn;
  let bedrock: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;

  before(async () => {
    anthropic = await startStandIn(claude.handler);
    bedrock = await startStandIn(converse.handler);
    gateway = await startGateway('{}', {
      ANTHROPIC_API_KEY: 'anthropic-upstream-key',
      ANTHROPIC_BASE_URL: anthropic.url,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'us-west-2',
      BEDROCK_BASE_URL: bedrock.url,
    });
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    claude.reset();
    converse.reset();
  });
  after(async () => {
    await gateway.close();
    await anthropic.close();
    await bedrock.close();
  });

  const targets = [
    { name: 'anthropic', model: 'anthropic/claude-sonnet-4-5', setMode: (mode: 'redacted' | 'both') => (claude.mode = mode) },
    { name: 'bedrock', model: 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0', setMode: (mode: 'redacted' | 'both') => (converse.mode = mode) },
  ];

  /** The loop turn's thinking as the provider got it on the last call: ['redacted:<data>' | 'thinking:<text>', ...]. */
  function sentThinking(target: string): string[] {
    if (target === 'anthropic') {
      const turn = claude.bodies.at(-1)!.messages.at(-2)!;
      const blocks = Array.isArray(turn.content) ? turn.content : [];
      return blocks.filter((block) => block.type !== 'tool_use').map((block) => (block.type === 'redacted_thinking' ? `redacted:${block.data}` : `${block.type}:${block.thinking}`));
    }
    const turn = converse.bodies.at(-1)!.messages.at(-2)!;
    return turn.content.filter((block) => block.reasoningContent !== undefined).map((block) => (block.reasoningContent?.redactedContent !== undefined ? `redacted:${block.reasoningContent.redactedContent}` : `thinking:${block.reasoningContent?.reasoningText?.text}`));
  }

  async function firstTurn(model: string, stream: boolean): Promise<SdkResponse> {
    const request = { model, tools: [weatherTool], reasoning: { effort: 'medium' as const }, input: [{ role: 'user' as const, content: 'Weather in Paris?' }] };
    if (!stream) return client.responses.create(request);
    const events: ResponseStreamEvent[] = [];
    const running = client.responses.stream(request);
    for await (const event of running) events.push(event);
    const final = await running.finalResponse();
    const done = events.find((event) => event.type === 'response.output_item.done' && event.item.type === 'reasoning') as Extract<ResponseStreamEvent, { type: 'response.output_item.done' }>;
    assert.deepEqual(done.item, final.output[0], 'the reasoning item is whole when it is done, as in the final Response');
    return final;
  }

  for (const target of targets) {
    for (const stream of [false, true]) {
      const how = stream ? ', streamed' : '';
      it(`${target.name}${how}: redacted thinking alone is a reasoning item with encrypted_content, and the loop's second turn sends it back first`, async () => {
        const first = await firstTurn(target.model, stream);
        assert.deepEqual(first.output.map((item) => item.type), ['reasoning', 'function_call']);
        const [reasoning, call] = first.output;
        assert.ok(reasoning.type === 'reasoning' && call.type === 'function_call');
        assert.match(String(reasoning.encrypted_content), /^tollgate\.reasoning\.v1:/);
        const output = { type: 'function_call_output' as const, call_id: call.call_id, output: '{"temp":18}' };
        const second = await client.responses.create({ model: target.model, tools: [weatherTool], reasoning: { effort: 'medium' }, input: [{ role: 'user', content: 'Weather in Paris?' }, ...(first.output as ResponseInputItem[]), output] });
        assert.equal(second.output_text, finalAnswer);
        assert.deepEqual(sentThinking(target.name), [`redacted:${redactedData[0]}`]);
      });

      it(`${target.name}${how}: a signed thinking block and redacted thinking share the reasoning item and go back in Claude's order`, async () => {
        target.setMode('both');
        const first = await firstTurn(target.model, stream);
        assert.deepEqual(first.output.map((item) => item.type), ['reasoning', 'function_call']);
        const [reasoning, call] = first.output;
        assert.ok(reasoning.type === 'reasoning' && call.type === 'function_call');
        assert.deepEqual(reasoning.content, [{ type: 'reasoning_text', text: thought }]);
        const output = { type: 'function_call_output' as const, call_id: call.call_id, output: '{"temp":18}' };
        // A client that keeps only the item's id, summary and encrypted_content loses nothing.
        const bare = { type: 'reasoning' as const, id: reasoning.id, summary: [], encrypted_content: reasoning.encrypted_content };
        const second = await client.responses.create({ model: target.model, tools: [weatherTool], reasoning: { effort: 'medium' }, input: [{ role: 'user', content: 'Weather in Paris?' }, bare, call as ResponseInputItem, output] });
        assert.equal(second.output_text, finalAnswer);
        assert.deepEqual(sentThinking(target.name), [`thinking:${thought}`, ...redactedData.map((data) => `redacted:${data}`)]);
      });
    }
  }

  it('an encrypted_content written before redacted thinking was carried (thinking and signature only) still goes back as the thinking block', async () => {
    const signature = Buffer.from(`sig:${thought}`).toString('base64');
    const earlier = `tollgate.reasoning.v1:${Buffer.from(JSON.stringify({ thinking: thought, signature })).toString('base64url')}`;
    const answer = await client.responses.create({
      model: 'anthropic/claude-sonnet-4-5',
      tools: [weatherTool],
      reasoning: { effort: 'medium' },
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'reasoning', id: 'rs_earlier', summary: [], encrypted_content: earlier },
        { type: 'function_call', call_id: toolCall.id, name: toolCall.name, arguments: JSON.stringify(toolCall.input) },
        { type: 'function_call_output', call_id: toolCall.id, output: '{"temp":18}' },
      ],
    });
    assert.equal(answer.output_text, finalAnswer);
    assert.deepEqual(sentThinking('anthropic'), [`thinking:${thought}`]);
  });
});
