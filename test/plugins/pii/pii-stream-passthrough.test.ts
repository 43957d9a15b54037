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
