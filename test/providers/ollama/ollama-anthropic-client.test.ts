import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { fixtureBytes } from './fixtures.ts';

describe('Anthropic-format client served by the ollama provider', () => {
  let upstream: StandIn;
  let client: Anthropic;
  let close: () => Promise<void>;
  let fixture = 'chat-text.json';

  before(async () => {
    const started = await startProviderGateway(
      (_request, response) => {
        response.writeHead(200, { 'content-type': fixture.endsWith('.ndjson') ? 'application/x-ndjson' : 'application/json' });
        response.end(fixtureBytes(fixture));
      },
      (upstreamUrl) => ({ env: { OLLAMA_HOST: upstreamUrl } }),
    );
    ({ upstream, close } = started);
    client = new Anthropic({ baseURL: started.gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  after(() => close());

  it('messages.create: the system prompt goes up as a system message; the answer and usage come back', async () => {
    fixture = 'chat-text.json';
    const message = await client.messages.create({ model: 'ollama/llama3.2', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] });
    const sent = upstream.requests.at(-1)!;
    assert.equal(sent.path, '/api/chat');
    assert.deepEqual((sent.json as { messages: unknown[] }).messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
    assert.deepEqual((sent.json as { options: unknown }).options, { num_predict: 100 });
    assert.equal(message.content.length, 1);
    assert.equal(message.content[0].type, 'text');
    assert.equal((message.content[0] as { text: string }).text, 'Bonjour ! Je suis Llama — ravi de vous aider. 🌍');
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual([message.usage.input_tokens, message.usage.output_tokens], [26, 17]);
  });

  it('max_tokens: 0 (prompt-cache pre-warming) goes up as num_predict 1, the least a provider other than Anthropic takes', async () => {
    fixture = 'chat-text.json';
    await client.messages.create({ model: 'ollama/llama3.2', max_tokens: 0, messages: [{ role: 'user', content: 'Hi' }] });
    assert.deepEqual((upstream.requests.at(-1)!.json as { options: unknown }).options, { num_predict: 1 });
  });

  it('top_k (Anthropic\'s sampling parameter) goes up as options.top_k, beside top_p', async () => {
    fixture = 'chat-text.json';
    // The SDK's types (1.16) no longer list the sampling parameters; the Messages API still takes them and the SDK sends them.
    const sampling = { top_k: 40, top_p: 0.9 } as Record<string, unknown>;
    await client.messages.create({ model: 'ollama/llama3.2', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }], ...sampling });
    assert.deepEqual((upstream.requests.at(-1)!.json as { options: unknown }).options, { top_p: 0.9, top_k: 40, num_predict: 100 });
  });

  it('messages.stream: thinking streams as a thinking block before the text', async () => {
    fixture = 'stream-thinking.ndjson';
    const final = await client.messages.stream({ model: 'ollama/qwen3', max_tokens: 100, messages: [{ role: 'user', content: 'What is 17 × 23?' }] }).finalMessage();
    assert.deepEqual(final.content.map((block) => block.type), ['thinking', 'text']);
    assert.equal((final.content[0] as { thinking: string }).thinking, '17 × 23: 17 × 20 = 340, plus 17 × 3 = 51, so 391.');
    assert.equal((final.content[1] as { text: string }).text, '17 × 23 = 391.');
  });
});
