import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
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

/** Prometheus' own checker of the exposition text format, where it is installed (Debian's `prometheus` package). */
const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((path) => existsSync(path));

/** `promtool check metrics` of a /metrics text: its complaints, or '' when it has none (or is not installed). */
async function promtoolComplaints(metrics: string): Promise<string> {
  if (promtool === undefined) return '';
  const child = promisify(execFile)(promtool, ['check', 'metrics']);
  child.child.stdin!.end(metrics);
  try {
    const { stdout, stderr } = await child;
    return `${stdout}${stderr}`.trim();
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    // Exit status 3 is lint advice only (help texts, counter names); anything else is a format error.
    return `${stdout ?? ''}${stderr ?? ''}`.trim() || String(error);
  }
}

const anthropicEvent = (name: string, data: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
const messageStart = anthropicEvent('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 13, output_tokens: 1 } } });

describe('/metrics through the real gateway: upstream first byte of a cut Anthropic stream, series from the start', () => {
  let claude: StandIn;
  let gw: RunningGateway;

  before(async () => {
    // Answers 200 and message_start, then cuts the connection before any content.
    claude = await startStandIn(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      response.write(messageStart);
      await sleep(30);
      response.socket?.destroy();
    });
    gw = await startGateway(`providers: { an: { type: anthropic, api_key: ant-key, base_url: "${claude.url}" } }\nrouting: { retry: { attempts: 0 } }\n`);
  });
  after(async () => {
    await gw.close();
    await claude.close();
  });

  it('counters with a known, finite set of labels have every series at 0 before the first event', async () => {
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    assert.equal(sample(metrics, 'tollgate_usage_records_dropped_total{reason="queue_full"}'), 0);
    assert.match(metrics, /^tollgate_usage_records_dropped_total\{reason="queue_full"\} 0$/m, 'the series exists');
    assert.match(metrics, /^tollgate_usage_records_dropped_total\{reason="shutdown"\} 0$/m, 'the series exists');
    assert.match(metrics, /^tollgate_config_reloads_total\{result="failure"\} 0$/m);
  });

  it('a stream cut after message_start: the provider answered (200), so its attempt is observed, as 2xx, to that event', async () => {
    const series = 'tollgate_upstream_first_byte_seconds_count{provider="an",status_class="2xx"}';
    const before = sample(await (await fetch(`${gw.adminUrl}/metrics`)).text(), series);
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'an/claude-x', messages: [{ role: 'user', content: 'hi' }], stream: true }) });
    await response.text();
    assert.equal(response.status, 502, 'upstream_connection_lost before the stream started');
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    assert.equal(sample(metrics, series) - before, 1, metrics.split('\n').filter((line) => line.startsWith('tollgate_upstream_first_byte_seconds_count')).join('\n'));
    assert.equal(sample(metrics, 'tollgate_tokens_total{provider="an",model="claude-x",kind="prompt"}'), 13, 'its reported input, as before');
  });

  it('the exposition stays valid Prometheus text (promtool check metrics, where installed)', async (context) => {
    if (promtool === undefined) return context.skip('promtool is not installed');
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    const complaints = await promtoolComplaints(metrics);
    // Lint advice (e.g. a counter's name) is not a format error; a parse error is.
    assert.doesNotMatch(complaints, /error parsing|text format parsing error|invalid/i, complaints);
  });
});
