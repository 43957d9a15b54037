// Upstream span names through the real gateway: `{operation} {model}` with the model as /metrics
// labels it (bounded, control characters percent-encoded), so a client that sends made-up model
// names cannot make span names of its own. Attributes keep the name, percent-encoded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { chatCompletion } from '../../helpers/openai-bodies.ts';
import { spanKind, startCollector, statusCode, type Collector, type ReceivedSpan } from './otlp-collector.ts';

describe('upstream span names: bounded like the model label of /metrics', () => {
  let collector: Collector;
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    collector = await startCollector();
    // Answers any model (a server that takes any name), but `fail-*` with a 500.
    upstream = await startStandIn((request, response) => {
      const model = (request.json as { model: string }).model;
      if (model.startsWith('fail-')) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'no', type: 'server_error', param: null, code: null } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion(model, 'ok')));
    });
    gw = await startGateway(`
plugins: { tracing: { endpoint: "${collector.tracesUrl}", flush_interval: 20ms, max_queue_size: 4096 } }
providers:
  open: { type: openai-compatible, base_url: "${upstream.url}/v1" }
  listed: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [known] }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
    await collector.close();
  });

  /** Sends a chat request for `model` and returns its upstream span. */
  async function upstreamSpanOf(model: string, id: string): Promise<ReceivedSpan> {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
    await response.text();
    const spans = await collector.spansOf(id);
    const call = spans.find((span) => span.kind === spanKind.client);
    assert.ok(call, `an upstream span for ${id}`);
    return call;
  }

  it('a listed provider: its models by name, any other name `other`, also one with CR, LF and NUL', async () => {
    assert.equal((await upstreamSpanOf('listed/known', 'names-known')).name, 'chat known');
    const junk = await upstreamSpanOf('listed/junk-1', 'names-junk');
    assert.equal(junk.name, 'chat other');
    assert.equal(junk.attributes['gen_ai.request.model'], 'junk-1', 'the attribute keeps the name');
    const control = await upstreamSpanOf('listed/a\r\nb\u0000c', 'names-control');
    assert.equal(control.name, 'chat other');
    assert.equal(control.attributes['gen_ai.request.model'], 'a%0D%0Ab%00c', 'control characters percent-encoded, as in x-tollgate-model');
    assert.equal(control.attributes['gen_ai.response.model'], 'a%0D%0Ab%00c');
    const [server] = (await collector.spansOf('names-control')).filter((span) => span.kind === spanKind.server);
    assert.equal(server.attributes['gen_ai.request.model'], 'listed/a%0D%0Ab%00c');
    assert.equal(server.attributes['tollgate.model'], 'a%0D%0Ab%00c');
  });

  it('an open provider: a name once answered, control characters percent-encoded; a failed call is `other`; names over 128 characters are `other`', async () => {
    assert.equal((await upstreamSpanOf('open/x\r\ny', 'names-open-control')).name, 'chat x%0D%0Ay');
    const failed = await upstreamSpanOf('open/fail-1', 'names-open-failed');
    assert.equal(failed.name, 'chat other', 'never answered: no label of its own');
    assert.equal(failed.status.code, statusCode.error);
    assert.equal((await upstreamSpanOf(`open/${'y'.repeat(200)}`, 'names-open-long')).name, 'chat other');
  });

  it('a flood of made-up names through an open provider makes at most 100 span names of its own', async () => {
    const before = collector.spans.length;
    const ids: string[] = [];
    for (let index = 0; index < 130; index++) {
      const id = `names-flood-${index}`;
      ids.push(id);
      const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ model: `open/rand-${index}`, messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(response.status, 200);
      await response.text();
    }
    await collector.spansOf(ids.at(-1)!);
    const names = new Set(collector.spans.slice(before).filter((span) => span.kind === spanKind.client).map((span) => span.name));
    // 100 per provider; the earlier test's answered name took one of them.
    assert.ok(names.size <= 100, `${names.size} distinct names`);
    assert.ok(names.has('chat other'));
    for (const name of names) assert.doesNotMatch(name, /[\u0000-\u001f\u007f-\u009f]/);
  });
});
