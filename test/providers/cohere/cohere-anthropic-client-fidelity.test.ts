import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';

const usage = { billed_units: { input_tokens: 5, output_tokens: 3 }, tokens: { input_tokens: 40, output_tokens: 3 } };

/** Cohere v2's answer that a stop sequence ended (the matched sequence is not in the text, and Cohere does not name it). */
const stoppedAnswer = { id: 'c1', finish_reason: 'STOP_SEQUENCE', message: { role: 'assistant', content: [{ type: 'text', text: '1. Paris\n2. Rome\n' }] }, usage };

/** The same as Cohere v2 streams it (its documented event types). */
function stoppedStream(): string {
  const events: Array<[string, unknown]> = [
    ['message-start', { id: 'c1', type: 'message-start', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } }],
    ['content-start', { type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } }],
    ['content-delta', { type: 'content-delta', index: 0, delta: { message: { content: { text: '1. Paris\n2. Rome\n' } } } }],
    ['content-end', { type: 'content-end', index: 0 }],
    ['message-end', { type: 'message-end', delta: { finish_reason: 'STOP_SEQUENCE', usage } }],
  ];
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join('');
}

/**
 * An Anthropic SDK client on Cohere v2: a STOP_SEQUENCE finish is Anthropic's `stop_sequence`
 * (naming the sequence when only one was sent), and system blocks and a tool result's blocks reach
 * Cohere as lines, not glued.
 */
describe('Anthropic Messages API clients on Cohere (audit findings F3, F10)', () => {
  let upstream: StandIn;
  let client: Anthropic;
  let close: () => Promise<void>;

  before(async () => {
    const started = await startProviderGateway(
      (request, response) => {
        const streamed = (request.json as { stream?: boolean }).stream === true;
        response.writeHead(200, { 'content-type': streamed ? 'text/event-stream' : 'application/json' });
        response.end(streamed ? stoppedStream() : JSON.stringify(stoppedAnswer));
      },
      (upstreamUrl) => ({ env: { CO_API_KEY: 'co-key', CO_API_URL: upstreamUrl } }),
    );
    ({ upstream, close } = started);
    client = new Anthropic({ baseURL: started.gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  const model = 'cohere/command-a-03-2025';
  const request = { model, max_tokens: 100, messages: [{ role: 'user' as const, content: 'List two cities, then write END.' }] };

  it('F10: STOP_SEQUENCE after one stop sequence is stop_reason stop_sequence naming it (create and stream)', async () => {
    const message = await client.messages.create({ ...request, stop_sequences: ['END'] });
    assert.deepEqual([message.stop_reason, message.stop_sequence], ['stop_sequence', 'END']);
    assert.deepEqual((upstream.requests[0].json as { stop_sequences: string[] }).stop_sequences, ['END']);
    const final = await client.messages.stream({ ...request, stop_sequences: ['END'] }).finalMessage();
    assert.deepEqual([final.stop_reason, final.stop_sequence], ['stop_sequence', 'END']);
  });

  it('F10: after several stop sequences Cohere does not say which matched: stop_sequence, null', async () => {
    const message = await client.messages.create({ ...request, stop_sequences: ['END', 'STOP'] });
    assert.deepEqual([message.stop_reason, message.stop_sequence], ['stop_sequence', null]);
    const final = await client.messages.stream({ ...request, stop_sequences: ['END', 'STOP'] }).finalMessage();
    assert.deepEqual([final.stop_reason, final.stop_sequence], ['stop_sequence', null]);
  });

  it('F3: system blocks and a tool_result of several text blocks go up as lines', async () => {
    await client.messages.create({
      model,
      max_tokens: 100,
      system: [{ type: 'text', text: 'Answer in French' }, { type: 'text', text: 'Use JSON' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: [{ type: 'text', text: 'Result one.' }, { type: 'text', text: 'Result two.' }] }] },
      ],
    });
    const messages = (upstream.requests[0].json as { messages: Array<Record<string, unknown>> }).messages;
    assert.deepEqual(messages[0], { role: 'system', content: 'Answer in French\nUse JSON' });
    assert.deepEqual(messages[3], { role: 'tool', tool_call_id: 'toolu_01A', content: 'Result one.\nResult two.' });
  });
});
