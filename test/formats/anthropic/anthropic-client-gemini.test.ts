import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { fixtureBytes } from '../../providers/gemini/fixtures.ts';

describe('Anthropic-format client served by the gemini provider (recorded Gemini fixtures)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;
  let fixture = 'generate-text.json';

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      const stream = fixture.endsWith('.sse');
      response.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
      response.end(fixtureBytes(fixture));
    });
    gateway = await startGateway('{}', { GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: upstream.url });
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('max_tokens: 0 (prompt-cache pre-warming) goes up as maxOutputTokens 1, the least a provider other than Anthropic takes', async () => {
    fixture = 'generate-text.json';
    await client.messages.create({ model: 'gemini/gemini-2.5-flash', max_tokens: 0, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal((upstream.requests.at(-1)!.json as { generationConfig: { maxOutputTokens?: number } }).generationConfig.maxOutputTokens, 1);
  });

  it('messages.create: a Gemini answer comes back as a Message', async () => {
    fixture = 'generate-text.json';
    const message = await client.messages.create({ model: 'gemini/gemini-2.5-flash', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] });
    const sent = upstream.requests.at(-1)!;
    assert.match(sent.path, /generateContent/);
    assert.ok((sent.json as { systemInstruction?: unknown }).systemInstruction, 'the system prompt went up as Gemini systemInstruction');
    assert.equal(message.type, 'message');
    assert.equal(message.content[0].type, 'text');
    assert.ok((message.content[0] as { text: string }).text.length > 0);
    assert.ok(message.usage.input_tokens > 0);
  });

  it('messages.stream: a Gemini tool call streams as a tool_use block with its input', async () => {
    fixture = 'stream-tool-call.sse';
    const final = await client.messages
      .stream({ model: 'gemini/gemini-2.5-flash', max_tokens: 100, tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }], messages: [{ role: 'user', content: 'Weather?' }] })
      .finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    const tool = final.content.find((block) => block.type === 'tool_use');
    assert.ok(tool && tool.type === 'tool_use');
    assert.equal(tool.name, 'get_weather');
    assert.equal(typeof tool.input, 'object');
  });
});
