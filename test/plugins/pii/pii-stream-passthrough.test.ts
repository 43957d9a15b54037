import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

const email = 'ana.lopez@example.com';

function chunk(delta: object, finish: string | null = null) {
  return { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
}

/**
 * The provider's stream, framed the way no re-encoding would write it (no space after `data:`, a
 * comment line, a field the gateway does not know): a client that gets these bytes exactly got
 * the provider's own, not events parsed and written again.
 */
function providerStream(text: string): string {
  const pieces = [chunk({ role: 'assistant', content: '' }), ...[...text.matchAll(/.{1,7}/gs)].map(([piece]) => chunk({ content: piece })), chunk({}, 'stop')];
  return `: warming up\n\n${pieces.map((event) => `data:${JSON.stringify({ ...event, provider_extra: 1 })}\n\n`).join('')}data: [DONE]\n\n`;
}

function lastUserText(body: { messages: Array<{ content: string }> }): string {
  return body.messages.at(-1)?.content ?? '';
}

async function streamText(gw: RunningGateway, content: string): Promise<string> {
  const response = await fetch(`${gw.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'upstream/m', stream: true, messages: [{ role: 'user', content }] }),
  });
  assert.equal(response.status, 200);
  return response.text();
}

describe('pii plugin on passed-through streams', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    // The stand-in answers with the prompt it received (masked, when the gateway masked it).
    upstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(providerStream(lastUserText(request.json as { messages: Array<{ content: string }> })));
    });
    gw = await startGateway([`providers:`, `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`, 'plugins:', '  pii: { request: mask }'].join('\n'));
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('nothing masked in the prompt and no response scan: the client gets the provider bytes as they came', async () => {
    const prompt = 'Tell me about the weather in Lisbon.';
    assert.equal(await streamText(gw, prompt), providerStream(prompt));
  });

  it('a masked prompt: the stream is rewritten, and the echoed placeholders come back as the originals', async () => {
    const prompt = `Write to ${email} today`;
    const body = await streamText(gw, prompt);
    assert.ok(!lastUserText(upstream.requests.at(-1)!.json as { messages: Array<{ content: string }> }).includes(email), 'the provider got the masked prompt');
    let text = '';
    for (const line of body.split('\n')) {
      if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
      text += (JSON.parse(line.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '';
    }
    assert.equal(text, prompt);
    assert.ok(body.endsWith('data: [DONE]\n\n'));
  });
});

describe('pii plugin on passed-through Anthropic streams (Anthropic client, Anthropic provider)', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  /** An Anthropic event stream answering `text`, framed as no re-encoding would write it (`data:` without a space, a field the gateway does not know). */
  function anthropicStream(text: string): string {
    const event = (type: string, data: object) => `event: ${type}\ndata:${JSON.stringify({ type, ...data, provider_extra: 1 })}\n\n`;
    return [
      event('message_start', { message: { id: 'msg_s', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 9, output_tokens: 1 } } }),
      event('ping', {}),
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
      event('content_block_stop', { index: 0 }),
      event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 6 } }),
      event('message_stop', {}),
    ].join('');
  }

  before(async () => {
    upstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // A changed (masked) request is sent as content blocks, an untouched one as the client wrote it.
      const content = (request.json as { messages: Array<{ content: string | Array<{ text: string }> }> }).messages.at(-1)?.content ?? '';
      response.end(anthropicStream(typeof content === 'string' ? content : content.map((block) => block.text).join('')));
    });
    gw = await startGateway('plugins:\n  pii: { request: mask }', { ANTHROPIC_API_KEY: 'upstream-key', ANTHROPIC_BASE_URL: upstream.url });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function messagesStream(content: string): Promise<string> {
    const response = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content }] }),
    });
    assert.equal(response.status, 200);
    return response.text();
  }

  it('nothing masked in the prompt: the client gets the provider bytes as they came', async () => {
    const prompt = 'Tell me about the weather in Lisbon.';
    assert.equal(await messagesStream(prompt), anthropicStream(prompt));
  });

  it('a masked prompt: the stream is decoded and the placeholder restored', async () => {
    const prompt = `Write to ${email} today`;
    const body = await messagesStream(prompt);
    let text = '';
    for (const line of body.split('\n')) {
      if (!line.startsWith('data:')) continue;
      const data = JSON.parse(line.slice(5)) as { type: string; delta?: { text?: string } };
      if (data.type === 'content_block_delta') text += data.delta?.text ?? '';
    }
    assert.equal(text, prompt);
  });
});
