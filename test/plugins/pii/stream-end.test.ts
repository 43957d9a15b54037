import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

describe('pii releases held-back text when a stream ends without finish_reason', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  before(async () => {
    // Repeats the (masked) prompt it received, then a text that might be the start of a
    // placeholder (which pii must hold back), and ends with neither finish_reason nor a usage
    // chunk, as some OpenAI-compatible servers do.
    upstream = await startStandIn((request, response) => {
      const prompt = (request.json as { messages: Array<{ content: string }> }).messages[0].content;
      const chunk = (content: string) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([chunk(''), chunk(prompt.slice(0, 5)), chunk(prompt.slice(5)), chunk(' <EMAIL_'), '[DONE]']));
    });
    gw = await startGateway(`
providers: { local: { type: openai-compatible, base_url: "${upstream.url}/v1", options: { stream_usage: false } } }
plugins: { pii: { request: mask } }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('restores the last placeholder before [DONE]', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'x', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'local/m', stream: true, messages: [{ role: 'user', content: 'write to jane.doe@example.com' }] });
    let text = '';
    for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
    assert.equal(text, 'write to jane.doe@example.com <EMAIL_');
    assert.doesNotMatch(JSON.stringify(upstream.requests[0].json), /jane\.doe/);
  });
});
