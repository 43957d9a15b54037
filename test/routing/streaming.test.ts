import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { controlledUpstream, providersYaml, type ControlledUpstream } from './upstream-control.ts';

describe('streaming failures before and after the first byte', () => {
  let gw: RunningGateway;
  let flaky: ControlledUpstream;
  let steady: ControlledUpstream;
  let client: OpenAI;

  before(async () => {
    [flaky, steady] = await Promise.all([controlledUpstream('flaky'), controlledUpstream('steady')]);
    gw = await startGateway(`
providers:
${providersYaml([flaky, steady])}
routing:
  health: { consecutive_failures: 0 }
models:
  pair: { targets: [{ provider: flaky, model: m }, { provider: steady, model: m }] }
`);
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'x', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await Promise.all([flaky, steady].map((upstream) => upstream.standIn.close()));
  });

  async function collect(model: string): Promise<{ text: string; attempts: string | null; provider: string | null }> {
    const { data: stream, response } = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    let text = '';
    for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
    return { text, attempts: response.headers.get('x-tollgate-attempts'), provider: response.headers.get('x-tollgate-provider') };
  }

  it('a failure before the first byte (500, reset) is retried on the next target', async () => {
    for (const mode of ['500', 'reset'] as const) {
      // A reset before any answer on a reused connection is first resent once on a new connection
      // (a stale keep-alive connection, src/upstream/stale-connection.ts): the second reset is the failure.
      flaky.queue = mode === 'reset' ? [mode, mode] : [mode];
      steady.hits = 0;
      const result = await collect('pair');
      assert.equal(result.text, 'from steady done', mode);
      assert.equal(result.attempts, '2');
      assert.equal(result.provider, 'steady');
      assert.equal(steady.hits, 1);
    }
  });

  it('a failure after the first byte is reported in-stream and never retried', async () => {
    flaky.queue = ['cut'];
    steady.hits = 0;
    let received = '';
    await assert.rejects(async () => {
      const stream = await client.chat.completions.create({ model: 'pair', stream: true, messages: [{ role: 'user', content: 'hi' }] });
      for await (const part of stream) received += part.choices[0]?.delta.content ?? '';
    }, /Provider 'flaky' answered, then the connection closed before its response was complete/);
    assert.equal(received, 'partial from flaky');
    assert.equal(steady.hits, 0, 'no retry after the first byte reached the client');
  });

  it('a non-streaming body cut mid-way fails that attempt and is retried on the next target (nothing reached the client)', async () => {
    flaky.queue = ['cut'];
    steady.hits = 0;
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'pair', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-tollgate-provider'), 'steady');
    assert.equal(response.headers.get('x-tollgate-attempts'), '2');
    assert.equal(steady.hits, 1);
  });

  it('a non-streaming body cut mid-way with no target left is a 502 upstream error, never the partial body', async () => {
    flaky.queue = ['cut'];
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'flaky/m', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(response.status, 502);
    const body = (await response.json()) as { error: { type: string; code: string } };
    assert.equal(body.error.type, 'upstream_error');
    assert.equal(body.error.code, 'upstream_connection_lost', 'it answered, then the connection closed: it was reached');
  });
});
