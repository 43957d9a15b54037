import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { fixtureBytes } from './fixtures.ts';

describe('Anthropic-format client served by the cohere provider', () => {
  let upstream: StandIn;
  let client: Anthropic;
  let close: () => Promise<void>;
  let fixture = 'chat-text.json';

  before(async () => {
    const started = await startProviderGateway(
      (_request, response) => {
        response.writeHead(200, { 'content-type': fixture.endsWith('.sse') ? 'text/event-stream' : 'application/json' });
        response.end(fixtureBytes(fixture));
      },
      (upstreamUrl) => ({ env: { CO_API_KEY: 'co-test-key', CO_API_URL: upstreamUrl } }),
    );
    ({ upstream, close } = started);
    client = new Anthropic({ baseURL: started.gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  after(() => close());

  it('messages.create: the system prompt goes up as a system message; the answer and usage come back', async () => {
    fixture = 'chat-text.json';
    const message = await client.messages.create({ model: 'cohere/command-a-03-2025', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] });
    const sent = upstream.requests.at(-1)!;
    assert.equal(sent.path, '/v2/chat');
    assert.equal(sent.headers.authorization, 'Bearer co-test-key');
    const body = sent.json as { messages: unknown[]; max_tokens: number; stream: boolean };
    assert.deepEqual(body.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
    assert.equal(body.max_tokens, 100);
    assert.equal(body.stream, false);
    assert.deepEqual(message.content.map((block) => block.type), ['text']);
    assert.equal((message.content[0] as { text: string }).text, 'Bonjour ! Je suis Command — ravi de vous aider. 🌍');
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual([message.usage.input_tokens, message.usage.output_tokens], [71, 14]);
  });

  it('max_tokens: 0 (prompt-cache pre-warming) goes up as max_tokens 1, the least a provider other than Anthropic takes', async () => {
    fixture = 'chat-text.json';
    await client.messages.create({ model: 'cohere/command-a-03-2025', max_tokens: 0, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal((upstream.requests.at(-1)!.json as { max_tokens: number }).max_tokens, 1);
  });

  it('top_k (Anthropic\'s sampling parameter) goes up as Cohere\'s k, beside top_p as p', async () => {
    fixture = 'chat-text.json';
    // The SDK's types (1.16) no longer list the sampling parameters; the Messages API still takes them and the SDK sends them.
    const sampling = { top_k: 40, top_p: 0.9 } as Record<string, unknown>;
    await client.messages.create({ model: 'cohere/command-a-03-2025', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }], ...sampling });
    const body = upstream.requests.at(-1)!.json as { k?: number; p?: number };
    assert.equal(body.k, 40);
    assert.equal(body.p, 0.9);
  });

  it('messages.stream: a streamed tool call arrives as a tool_use block with its whole input', async () => {
    fixture = 'stream-tool-call.sse';
    const final = await client.messages
      .stream({
        model: 'cohere/command-a-03-2025',
        max_tokens: 200,
        tools: [{ name: 'get_weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } }, required: ['city'] } }],
        messages: [{ role: 'user', content: 'Weather in Zürich and Genève?' }],
      })
      .finalMessage();
    const sent = upstream.requests.at(-1)!.json as { stream: boolean; tools: Array<{ type: string; function: { name: string } }> };
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.tools.map((tool) => [tool.type, tool.function.name]), [['function', 'get_weather']]);
    const toolUses = final.content.filter((block) => block.type === 'tool_use') as Array<{ id: string; name: string; input: unknown }>;
    assert.ok(toolUses.length >= 1);
    assert.equal(toolUses[0]!.id, 'get_weather_k3v9x1m2p7qz');
    assert.equal(toolUses[0]!.name, 'get_weather');
    assert.deepEqual(toolUses[0]!.input, { city: 'Zürich', unit: 'celsius' });
    assert.equal(final.stop_reason, 'tool_use');
  });
});
