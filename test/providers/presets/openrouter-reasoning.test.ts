import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

/**
 * OpenRouter's reasoning tokens (openrouter.ai/docs, "Reasoning Tokens"): the model's reasoning is
 * in each message's `reasoning` field (a string, beside `reasoning_details`), and in
 * `delta.reasoning` when streaming, where DeepSeek-style servers say `reasoning_content`.
 * Anthropic Messages and Responses API clients get it as a thinking block / reasoning item (the
 * provider-endpoints audit's F4, the Responses audit's F9); OpenAI chat clients get OpenRouter's
 * bytes as they were sent.
 */

const reasoning = 'The user greets me; a short greeting back fits.';
const answer = 'Hello from openrouter';
const head = { id: 'gen-1733-reasoning', provider: 'DeepSeek', model: 'deepseek/deepseek-r1', created: 1733000000 };
const usage = { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32, completion_tokens_details: { reasoning_tokens: 14 } };

function chunk(delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> {
  return { ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish, native_finish_reason: finish, logprobs: null }] };
}

/** OpenRouter answering as its docs show: `reasoning` and `reasoning_details` beside the content. */
function answerAsOpenRouter(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { stream?: boolean };
  const details = [{ type: 'reasoning.text', text: reasoning, format: 'unknown', index: 0 }];
  if (body.stream !== true) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ...head, object: 'chat.completion', choices: [{ index: 0, logprobs: null, finish_reason: 'stop', native_finish_reason: 'stop', message: { role: 'assistant', content: answer, refusal: null, reasoning, reasoning_details: details } }], usage }));
    return;
  }
  const events = [
    chunk({ role: 'assistant', content: '', reasoning: reasoning.slice(0, 20), reasoning_details: [{ ...details[0], text: reasoning.slice(0, 20) }] }),
    chunk({ role: 'assistant', content: '', reasoning: reasoning.slice(20), reasoning_details: [{ ...details[0], text: reasoning.slice(20) }] }),
    chunk({ role: 'assistant', content: answer, reasoning: null }),
    chunk({ role: 'assistant', content: '' }, 'stop'),
    { ...chunk({ role: 'assistant', content: '' }), choices: [], usage },
  ];
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(`${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`);
}

describe('OpenRouter reasoning (`reasoning`) for Anthropic and Responses clients; OpenAI clients get the bytes', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let anthropic: Anthropic;
  let openai: OpenAI;
  const model = 'openrouter/deepseek/deepseek-r1';

  before(async () => {
    upstream = await startStandIn(answerAsOpenRouter);
    gateway = await startGateway(`
providers:
  openrouter: { type: openrouter, api_key: or-key, base_url: "${upstream.url}/api/v1" }
`);
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const thinking = { type: 'enabled' as const, budget_tokens: 2048 };

  it('Anthropic SDK messages.create: a thinking block before the text', async () => {
    const message = await anthropic.messages.create({ model, max_tokens: 4096, thinking, messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(message.content.map((block) => [block.type, block.type === 'thinking' ? block.thinking : block.type === 'text' ? block.text : '']), [['thinking', reasoning], ['text', answer]]);
  });

  it('Anthropic SDK messages.stream: the same blocks', async () => {
    const message = await anthropic.messages.stream({ model, max_tokens: 4096, thinking, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    assert.deepEqual(message.content.map((block) => [block.type, block.type === 'thinking' ? block.thinking : block.type === 'text' ? block.text : '']), [['thinking', reasoning], ['text', answer]]);
  });

  for (const stream of [false, true]) {
    it(`Responses API${stream ? ' (streamed)' : ''}: a reasoning item with the text, then the message`, async () => {
      const response = stream ? await openai.responses.stream({ model, input: 'hi', reasoning: { effort: 'low' } }).finalResponse() : await openai.responses.create({ model, input: 'hi', reasoning: { effort: 'low' } });
      assert.deepEqual(response.output.map((item) => item.type), ['reasoning', 'message']);
      const [item] = response.output;
      assert.ok(item.type === 'reasoning');
      assert.deepEqual(item.content, [{ type: 'reasoning_text', text: reasoning }]);
      assert.equal(response.output_text, answer);
    });
  }

  it('OpenAI chat clients get OpenRouter\'s fields as sent (reasoning, reasoning_details; no reasoning_content added)', async () => {
    const completion = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    const message = completion.choices[0].message as unknown as Record<string, unknown>;
    assert.equal(message.reasoning, reasoning);
    assert.ok(Array.isArray(message.reasoning_details));
    assert.equal('reasoning_content' in message, false);
    const deltas: Array<Record<string, unknown>> = [];
    for await (const part of await openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })) if (part.choices[0]) deltas.push(part.choices[0].delta as Record<string, unknown>);
    assert.equal(deltas.map((delta) => (typeof delta.reasoning === 'string' ? delta.reasoning : '')).join(''), reasoning);
    assert.equal(deltas.some((delta) => 'reasoning_content' in delta), false);
  });
});
