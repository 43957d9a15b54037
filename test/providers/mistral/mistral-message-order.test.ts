import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { collect, weatherTool } from '../../helpers/openai-sdk.ts';
import { startProviderGateway, type ProviderGateway } from '../../helpers/provider-gateway.ts';
import { mistralToolResultsBridge } from '../../../src/providers/mistral/mistral-api.ts';
import { mistralKey, mistralStandIn } from './mistral-stand-in.ts';

interface SentMessage {
  role: string;
  content?: unknown;
  tool_calls?: Array<{ id: string }>;
  prefix?: boolean;
  [field: string]: unknown;
}

const bridge = { role: 'assistant', content: mistralToolResultsBridge };

/**
 * Mistral serves only some message orders (the stand-in refuses the others as Mistral does): after
 * tool results an assistant message or more tool results, and a last message that is no
 * assistant's unless it has `prefix: true`. The gateway makes the shapes Mistral refuses itself
 * (an Anthropic tool_result beside text or an image becomes tool messages and a user message),
 * and clients send them; these go up in an order Mistral takes, with the same meaning.
 */
describe('mistral: message orders Mistral refuses, through the gateway', () => {
  let running: ProviderGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;

  before(async () => {
    running = await startProviderGateway(mistralStandIn(), (url) => ({ config: ['providers:', `  mistral: { type: mistral, api_key: ${mistralKey}, base_url: "${url}/v1" }`].join('\n') }));
    openai = running.client;
    anthropic = new Anthropic({ baseURL: running.gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => {
    running.upstream.requests.length = 0;
  });
  after(() => running.close());

  const sent = () => (running.upstream.requests.at(-1)!.json as { messages: SentMessage[] }).messages;
  const roles = () => sent().map((message) => message.role);
  const anthropicTools = [{ name: 'get_weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];

  it('openai SDK: a user message right after tool results gets an assistant turn before it', async () => {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_abc123', content: 'sun' },
      { role: 'user', content: 'and tomorrow?' },
    ];
    const result = await openai.chat.completions.create({ model: 'mistral/mistral-small-latest', messages, tools: [weatherTool] });
    assert.equal(result.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(roles(), ['user', 'assistant', 'tool', 'assistant', 'user']);
    assert.deepEqual(sent()[3], bridge);
    assert.deepEqual(sent()[4], { role: 'user', content: 'and tomorrow?' });

    // Streamed the same way; an assistant turn already there needs nothing.
    const chunks = await collect(await openai.chat.completions.create({ model: 'mistral/mistral-small-latest', messages, stream: true }));
    assert.ok(chunks.length > 0);
    assert.deepEqual(roles(), ['user', 'assistant', 'tool', 'assistant', 'user']);
    await openai.chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [...messages.slice(0, 3), { role: 'assistant', content: 'Sunny.' }, messages[3]] });
    assert.deepEqual(sent()[3], { role: 'assistant', content: 'Sunny.' });
    assert.equal(sent().length, 5);
  });

  it('Anthropic SDK: a tool_result with text beside it in one user turn', async () => {
    const message = await anthropic.messages.create({
      model: 'mistral/mistral-small-latest',
      max_tokens: 100,
      tools: anthropicTools,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: 'sun' }, { type: 'text', text: 'and tomorrow?' }] },
      ],
    });
    assert.equal(message.stop_reason, 'tool_use');
    assert.deepEqual(roles(), ['user', 'assistant', 'tool', 'assistant', 'user']);
    assert.deepEqual(sent()[3], bridge);
    assert.equal(JSON.stringify(sent()[4].content).includes('and tomorrow?'), true);
  });

  it('Anthropic SDK: a tool_result holding an image (sent as a user message after the tool message)', async () => {
    const message = await anthropic.messages.create({
      model: 'mistral/pixtral-large-latest',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'Show me the map.' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01B', name: 'get_map', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01B', content: [{ type: 'text', text: 'map:' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] }] },
      ],
      tools: [{ name: 'get_map', input_schema: { type: 'object', properties: {} } }],
    });
    assert.equal(message.stop_reason, 'tool_use');
    assert.deepEqual(roles(), ['user', 'assistant', 'tool', 'assistant', 'user']);
    assert.deepEqual(sent()[3], bridge);
    assert.match(JSON.stringify(sent()[4].content), /image_url/);
  });

  it('openai SDK: a conversation ending with an assistant message goes with prefix: true, and only that message', async () => {
    const result = await openai.chat.completions.create({
      model: 'mistral/mistral-small-latest',
      messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello.' }, { role: 'user', content: 'Write JSON' }, { role: 'assistant', content: '{' }],
    });
    assert.equal(result.choices[0].message.content, 'Hello from Mistral');
    assert.deepEqual(sent(), [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello.' }, { role: 'user', content: 'Write JSON' }, { role: 'assistant', content: '{', prefix: true }]);
  });

  it('Anthropic SDK: a prefill (last message the assistant\'s) works as on Claude', async () => {
    const message = await anthropic.messages.create({ model: 'mistral/mistral-small-latest', max_tokens: 50, messages: [{ role: 'user', content: 'Write JSON' }, { role: 'assistant', content: '{' }] });
    assert.equal(message.content[0].type, 'text');
    assert.deepEqual(sent().at(-1), { role: 'assistant', content: '{', prefix: true });
  });
});
