import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatChunk, chatCompletion } from '../helpers/openai-bodies.ts';
import { databaseOf } from '../ledger/ledger-helpers.ts';

/** One sample's value from a /metrics text, 0 when the series is absent. */
function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('/metrics through the real gateway: outcomes and names', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    // The model name picks the stand-in's answer.
    upstream = await startStandIn(async (request, response) => {
      const model = (request.json as { model: string }).model;
      if (model === 'fail500' || model === 'fail400') {
        const status = model === 'fail500' ? 500 : 400;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'no', type: status === 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } }));
        return;
      }
      if (model === 'break') {
        // A 200 stream the provider cuts after one chunk.
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(`data: ${JSON.stringify(chatChunk(model, { role: 'assistant', content: 'Hel' }))}\n\n`);
        await sleep(30);
        response.socket?.destroy();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion(model, 'ok', { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 })));
    });
    gw = await startGateway(`providers: { up: { type: openai-compatible, base_url: "${upstream.url}/v1" } }\n`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const chat = (id: string, model: string, stream = false) =>
    fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ model: `up/${model}`, messages: [{ role: 'user', content: 'hi' }], stream }) }).then(async (response) => {
      await response.text();
      return response.status;
    });

  it('a stream the provider broke after its 200 counts with the usage ledger’s status (502), not 200', async () => {
    assert.equal(await chat('metrics-break', 'break', true), 200, 'the client got a 200 stream');
    await gw.gateway.usageLedger.flush();
    const row = await databaseOf(gw.gateway.identity.store).selectFrom('usage_records').selectAll().where('request_id', '=', 'metrics-break').executeTakeFirst();
    assert.equal(row?.status, 502);
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    assert.equal(sample(metrics, 'tollgate_requests_total{operation="chat",provider="up",model="other",status="502"}'), 1, metrics.split('\n').filter((line) => line.startsWith('tollgate_requests_total')).join('\n'));
    assert.equal(sample(metrics, 'tollgate_requests_total{operation="chat",provider="up",model="other",status="200"}'), 0);
  });

  it('tollgate_upstream_first_byte_seconds observes the provider’s error answers too, by status class', async () => {
    assert.equal(await chat('metrics-ok', 'ok'), 200);
    assert.equal(await chat('metrics-500', 'fail500'), 500);
    assert.equal(await chat('metrics-400', 'fail400'), 400);
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    const upstreamLines = metrics.split('\n').filter((line) => line.startsWith('tollgate_upstream_first_byte_seconds_count')).join('\n');
    // The broken stream of the test before also had its headers: 2 answers of class 2xx.
    assert.equal(sample(metrics, 'tollgate_upstream_first_byte_seconds_count{provider="up",status_class="2xx"}'), 2, upstreamLines);
    assert.equal(sample(metrics, 'tollgate_upstream_first_byte_seconds_count{provider="up",status_class="5xx"}'), 1, upstreamLines);
    assert.equal(sample(metrics, 'tollgate_upstream_first_byte_seconds_count{provider="up",status_class="4xx"}'), 1, upstreamLines);
  });

  it('process metrics have the standard names (process_*, nodejs_*), and no gauge ends in _total', async () => {
    // nodejs_gc_duration_seconds has samples once a collection has run (observed asynchronously):
    // make garbage until one has, rather than depend on the tests before this one having made enough.
    let metrics = '';
    for (let round = 0; round < 50; round++) {
      metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
      if (/^nodejs_gc_duration_seconds_count/m.test(metrics)) break;
      let garbage: unknown[] = [];
      for (let index = 0; index < 200_000; index++) garbage.push({ index });
      garbage = [];
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds_count']) {
      assert.match(metrics, new RegExp(`^${name}(\\{[^}]*\\})? `, 'm'), `${name} is exported`);
    }
    assert.doesNotMatch(metrics, /tollgate_process_/);
    const gauges = [...metrics.matchAll(/^# TYPE (\S+) gauge$/gm)].map((match) => match[1]);
    assert.ok(gauges.includes('nodejs_active_handles'), 'the active handles by type');
    assert.deepEqual(
      gauges.filter((name) => name.endsWith('_total')),
      [],
    );
  });
});
