// The tracing plugin through a real gateway: an OpenAI SDK client, an echo provider and an
// OpenAI-compatible stand-in upstream, and a stand-in OTLP/HTTP collector receiving the spans.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIError } from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { serverAndUpstream, spanKind, startCollector, statusCode, type Collector } from './otlp-collector.ts';

/** Text that must never reach a span: the prompts and answers of these tests contain it. */
const secret = 'SECRET-PROMPT-7f3a';

function chunk(delta: object, finish: string | null = null) {
  return { id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
}

/**
 * An OpenAI-compatible upstream: `broken` answers 400, `cut` breaks its stream after the first
 * chunk, `slow` answers after a second (a stream: its first chunk at once, the rest a second later).
 */
function startUpstream(): Promise<StandIn> {
  return startStandIn(async (request, response) => {
    const body = request.json as { model: string; stream?: boolean };
    if (body.model === 'broken') {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'bad request', type: 'invalid_request_error', param: null, code: 'bad_thing' } }));
      return;
    }
    if (body.model === 'slow' && !body.stream) await sleep(1000);
    if (body.stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (body.model === 'slow') {
        response.write(sseBody([chunk({ role: 'assistant', content: 'first' })]));
        await sleep(1000);
      }
      if (body.model === 'cut') {
        response.write(sseBody([chunk({ role: 'assistant', content: `partial ${secret}` })]));
        setTimeout(() => response.destroy(), 20);
        return;
      }
      response.end(sseBody([chunk({ role: 'assistant', content: '' }), chunk({ content: `answer ${secret}` }), chunk({}, 'stop'), { ...chunk({}), choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } }, '[DONE]']));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1700000000,
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, message: { role: 'assistant', content: `answer ${secret}`, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
    );
  });
}

describe('tracing plugin through the real gateway', () => {
  let collector: Collector;
  let upstream: StandIn;
  let gw: RunningGateway;
  let openai: OpenAI;

  before(async () => {
    collector = await startCollector();
    upstream = await startUpstream();
    const config = `plugins: { tracing: { endpoint: "${collector.tracesUrl}", service_name: tollgate-test, flush_interval: 20ms, headers: { x-collector-token: token-1 } } }\n`;
    gw = await startGateway(config, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${upstream.url}/v1` });
    openai = new OpenAI({ baseURL: gw.baseURL, apiKey: 'x', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
    await collector.close();
  });

  it('exports one trace per request: a server span and its upstream child, with GenAI attributes', async () => {
    const { response } = await openai.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `say ${secret}` }], max_tokens: 50, temperature: 0.2 }).withResponse();
    const requestId = response.headers.get('x-request-id')!;
    const spans = await collector.spansOf(requestId);
    assert.equal(spans.length, 2);
    const { server, upstream: call } = serverAndUpstream(spans);
    assert.ok(call);

    assert.equal(server.name, 'POST /v1/chat/completions');
    assert.equal(server.kind, spanKind.server);
    assert.equal(server.parentSpanId, undefined, 'a new trace: the server span is its root');
    assert.equal(call.kind, spanKind.client);
    assert.equal(call.name, 'chat gpt-4o-mini');
    assert.equal(call.traceId, server.traceId);
    assert.equal(call.parentSpanId, server.spanId);
    assert.match(server.traceId, /^[0-9a-f]{32}$/);
    assert.ok(server.startNanos <= call.startNanos && call.endNanos <= server.endNanos && server.startNanos < server.endNanos, 'the upstream call lies within the request');

    assert.equal(server.resource['service.name'], 'tollgate-test');
    assert.deepEqual(
      { method: server.attributes['http.request.method'], route: server.attributes['http.route'], status: server.attributes['http.response.status_code'], operation: server.attributes['gen_ai.operation.name'], model: server.attributes['gen_ai.request.model'], stream: server.attributes['gen_ai.request.stream'], attempts: server.attributes['tollgate.attempts'], provider: server.attributes['tollgate.provider'], cache: server.attributes['tollgate.cache_hit'] },
      { method: 'POST', route: '/v1/chat/completions', status: 200, operation: 'chat', model: 'openai/gpt-4o-mini', stream: false, attempts: 1, provider: 'openai', cache: false },
    );
    assert.equal(typeof server.attributes['tollgate.cost_usd'], 'number');
    assert.ok((server.attributes['tollgate.cost_usd'] as number) > 0, 'gpt-4o-mini is in the price catalog');
    assert.equal(server.status.code, statusCode.unset);
    assert.equal(server.attributes['error.type'], undefined);

    assert.deepEqual(
      { provider: call.attributes['gen_ai.provider.name'], system: call.attributes['gen_ai.system'], model: call.attributes['gen_ai.request.model'], responseModel: call.attributes['gen_ai.response.model'], input: call.attributes['gen_ai.usage.input_tokens'], output: call.attributes['gen_ai.usage.output_tokens'], maxTokens: call.attributes['gen_ai.request.max_tokens'], temperature: call.attributes['gen_ai.request.temperature'], address: call.attributes['server.address'] },
      { provider: 'openai', system: 'openai', model: 'gpt-4o-mini', responseModel: 'gpt-4o-mini', input: 10, output: 5, maxTokens: 50, temperature: 0.2, address: '127.0.0.1' },
    );
    assert.equal(collector.headers.at(-1)?.['x-collector-token'], 'token-1', 'the configured headers go with every export');
    // The first-chunk event and time are a stream's only (tracing README).
    assert.equal(call.attributes['gen_ai.response.time_to_first_chunk'], undefined);
    assert.equal(call.events.find((event) => event.name === 'gen_ai.response.first_chunk'), undefined, 'no first-chunk event on a non-streamed answer');
  });

  it('a request refused before routing (invalid JSON, an unknown path) has its server span too, named without a client-written path', async () => {
    const invalid = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'trace-invalid-json' }, body: '{nope' });
    assert.equal(invalid.status, 400);
    const [refused] = await collector.spansOf('trace-invalid-json', 1);
    assert.equal(refused?.name, 'POST /v1/chat/completions');
    assert.equal(refused.status.code, statusCode.error);
    assert.equal(refused.attributes['error.type'], 'invalid_json');
    assert.equal(refused.attributes['http.response.status_code'], 400);
    const unknown = await fetch(`${gw.url}/v1/no/such/thing`, { headers: { 'x-request-id': 'trace-unknown-url' } });
    assert.equal(unknown.status, 404);
    const [notFound] = await collector.spansOf('trace-unknown-url', 1);
    assert.equal(notFound?.name, 'GET', 'a path the gateway does not serve is no span name');
    assert.equal(notFound.attributes['http.route'], undefined);
    assert.equal(notFound.attributes['gen_ai.operation.name'], undefined, 'no GenAI operation');
    assert.equal(notFound.attributes['error.type'], 'unknown_url');
    const models = await fetch(`${gw.baseURL}/models/echo/x`, { headers: { 'x-request-id': 'trace-model-entry' } });
    assert.equal(models.status, 200);
    const [entry] = await collector.spansOf('trace-model-entry', 1);
    assert.equal(entry?.name, 'GET /v1/models/{model}');
    assert.equal(entry.status.code, statusCode.unset);
    // A method OpenTelemetry's HTTP conventions do not name (telemetry audit): `_OTHER`, the span named HTTP.
    const other = await fetch(`${gw.baseURL}/chat/completions`, { method: 'PROPFIND', headers: { 'x-request-id': 'trace-other-method' } });
    await other.arrayBuffer();
    const [odd] = await collector.spansOf('trace-other-method', 1);
    assert.match(odd?.name ?? '', /^HTTP( |$)/);
    assert.equal(odd.attributes['http.request.method'], '_OTHER');
    assert.equal(odd.attributes['http.request.method_original'], 'PROPFIND');
  });

  it("continues a client's traceparent: same trace id, the client's span as parent, its tracestate kept", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const { response } = await openai.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { headers: { traceparent: `00-${traceId}-${parentId}-01`, tracestate: 'vendor=abc' } }).withResponse();
    const { server, upstream: call } = serverAndUpstream(await collector.spansOf(response.headers.get('x-request-id')!));
    assert.equal(server.traceId, traceId);
    assert.equal(server.parentSpanId, parentId);
    assert.equal(server.traceState, 'vendor=abc');
    assert.equal(call?.traceId, traceId);
    assert.equal(call?.parentSpanId, server.spanId);
  });

  it("sends the provider a traceparent naming the upstream span, in the caller's trace, with its tracestate", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { response } = await openai.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, tracestate: 'vendor=abc' } }).withResponse();
    const { upstream: call } = serverAndUpstream(await collector.spansOf(response.headers.get('x-request-id')!));
    const sent = upstream.requests.at(-1)!.headers;
    assert.equal(sent.traceparent, `00-${traceId}-${call?.spanId}-01`);
    assert.equal(sent.tracestate, 'vendor=abc');
  });

  it('a span per upstream attempt: a failed one ends when it failed, with its error code, and each call carried its own span as parent', async () => {
    let calls = 0;
    const flaky = await startStandIn((request, response) => {
      calls++;
      if ((request.json as { model: string }).model === 'down') {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error', param: null, code: null } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'chatcmpl-2', object: 'chat.completion', created: 1700000000, model: 'up', choices: [{ index: 0, message: { role: 'assistant', content: 'ok', refusal: null }, logprobs: null, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }));
    });
    const gw = await startGateway(`
plugins: { tracing: { endpoint: "${collector.tracesUrl}", flush_interval: 20ms } }
providers: { flaky: { type: openai-compatible, base_url: "${flaky.url}/v1" } }
models:
  both:
    strategy: priority
    targets: [{ provider: flaky, model: down }, { provider: flaky, model: up }]
`).catch(async (error: unknown) => {
      await flaky.close();
      throw error;
    });
    try {
      const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'x', maxRetries: 0 });
      const { response } = await client.chat.completions.create({ model: 'both', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      assert.equal(response.headers.get('x-tollgate-attempts'), '2');
      const spans = await collector.spansOf(response.headers.get('x-request-id')!, 3);
      const { server } = serverAndUpstream(spans);
      const attempts = spans.filter((span) => span.kind === spanKind.client).sort((left, right) => (left.startNanos < right.startNanos ? -1 : 1));
      assert.equal(attempts.length, 2);
      const [failed, answered] = attempts;
      assert.deepEqual([failed.name, answered.name], ['chat down', 'chat up']);
      assert.deepEqual([failed.attributes['tollgate.attempt'], answered.attributes['tollgate.attempt']], [1, 2]);
      assert.equal(failed.status.code, statusCode.error);
      assert.equal(typeof failed.attributes['error.type'], 'string');
      assert.equal(failed.attributes['gen_ai.usage.input_tokens'], undefined);
      assert.ok(failed.endNanos <= answered.startNanos, 'the failed attempt ended before the next began');
      assert.equal(answered.status.code, statusCode.unset);
      assert.equal(answered.attributes['gen_ai.usage.input_tokens'], 3);
      assert.equal(server.status.code, statusCode.unset, 'the request succeeded');
      assert.equal(calls, 2);
      assert.deepEqual(
        flaky.requests.map((request) => request.headers.traceparent),
        attempts.map((span) => `00-${server.traceId}-${span.spanId}-01`),
      );
    } finally {
      await gw.close();
      await flaky.close();
    }
  });

  it('ignores an invalid traceparent (a new trace)', async () => {
    const { response } = await openai.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { headers: { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` } }).withResponse();
    const { server } = serverAndUpstream(await collector.spansOf(response.headers.get('x-request-id')!));
    assert.equal(server.parentSpanId, undefined);
    assert.notEqual(server.traceId, '0'.repeat(32));
  });

  it('marks a failed request ERROR with error.type (server and upstream spans)', async () => {
    const error = await openai.chat.completions.create({ model: 'openai/broken', messages: [{ role: 'user', content: secret }] }).then(
      () => assert.fail('the upstream refuses this model'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof APIError && error.status === 400, String(error));
    const { server, upstream: call } = serverAndUpstream(await collector.spansOf(error.headers?.get('x-request-id') ?? ''));
    assert.equal(server.status.code, statusCode.error);
    assert.equal(server.attributes['http.response.status_code'], 400);
    assert.equal(typeof error.code, 'string');
    assert.equal(server.attributes['error.type'], error.code, "the gateway's error code, as the client got it");
    assert.equal(server.status.message, server.attributes['error.type'], 'the status says the code, not a message');
    assert.equal(call?.status.code, statusCode.error);
    assert.equal(call?.attributes['error.type'], server.attributes['error.type']);
  });

  it('a 404 for an unknown model: a server span with ERROR and no upstream span', async () => {
    const error = await openai.chat.completions.create({ model: 'nowhere/nothing', messages: [{ role: 'user', content: 'x' }] }).then(
      () => assert.fail('no such provider'),
      (caught: unknown) => caught as APIError,
    );
    const spans = await collector.spansOf(error.headers?.get('x-request-id') ?? '', 1);
    assert.equal(spans.length, 1);
    assert.equal(spans[0].status.code, statusCode.error);
    assert.equal(spans[0].attributes['error.type'], error.code);
  });

  it("a stream's upstream span carries its usage and time to first chunk (echo provider)", async () => {
    const { data, response } = await openai.chat.completions.create({ model: 'echo/tiny', messages: [{ role: 'user', content: `repeat ${secret}` }], stream: true, stream_options: { include_usage: true } }).withResponse();
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const part of data) usage = part.usage ?? usage;
    assert.ok(usage);
    const { server, upstream: call } = serverAndUpstream(await collector.spansOf(response.headers.get('x-request-id')!));
    assert.ok(call);
    assert.equal(server.attributes['gen_ai.request.stream'], true);
    assert.equal(call.attributes['gen_ai.provider.name'], 'echo');
    assert.equal(call.attributes['gen_ai.usage.input_tokens'], usage.prompt_tokens);
    assert.equal(call.attributes['gen_ai.usage.output_tokens'], usage.completion_tokens);
    assert.equal(typeof call.attributes['gen_ai.response.time_to_first_chunk'], 'number');
    const firstChunk = call.events.find((event) => event.name === 'gen_ai.response.first_chunk');
    assert.ok(firstChunk && firstChunk.nanos >= call.startNanos && firstChunk.nanos <= call.endNanos);
    assert.equal(server.status.code, statusCode.unset);
  });

  it('a stream that fails after its 200 is ERROR, with the failure as error.type', async () => {
    const { data, response } = await openai.chat.completions.create({ model: 'openai/cut', messages: [{ role: 'user', content: secret }], stream: true }).withResponse();
    await assert.rejects(async () => {
      for await (const _part of data);
    });
    const { server, upstream: call } = serverAndUpstream(await collector.spansOf(response.headers.get('x-request-id')!));
    assert.equal(server.attributes['http.response.status_code'], 200);
    assert.equal(server.status.code, statusCode.error);
    assert.match(String(server.attributes['error.type']), /^[a-z_]+$/, 'an error code');
    assert.equal(call?.status.code, statusCode.error);
  });

  /** Sends a chat request for `model` and leaves: after 300 ms, or (a stream) after its first chunk. */
  async function leave(model: string, stream: boolean, id: string): Promise<void> {
    const controller = new AbortController();
    const response = fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', signal: controller.signal, headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], stream }) });
    if (stream) {
      const reader = (await response).body!.getReader();
      await reader.read();
    } else {
      await sleep(300);
    }
    controller.abort();
    await response.then(
      (answer) => answer.text(),
      () => undefined,
    ).catch(() => undefined);
  }

  it('a client that leaves: the server span is ERROR client_closed_request; the upstream span is not (no upstream failure), marked tollgate.client_closed — streamed or not', async () => {
    await leave('openai/slow', false, 'trace-left-whole');
    await leave('openai/slow', true, 'trace-left-stream');
    for (const id of ['trace-left-whole', 'trace-left-stream']) {
      const { server, upstream: call } = serverAndUpstream(await collector.spansOf(id));
      assert.equal(server.status.code, statusCode.error, id);
      assert.equal(server.attributes['error.type'], 'client_closed_request', id);
      assert.equal(server.attributes['http.response.status_code'], 499, id);
      assert.ok(call, id);
      assert.equal(call.status.code, statusCode.unset, `${id}: the provider did not fail`);
      assert.equal(call.attributes['error.type'], undefined, id);
      assert.equal(call.attributes['tollgate.client_closed'], true, id);
    }
  });

  it('never exports a prompt or an answer', () => {
    assert.ok(collector.payloads.length > 0);
    for (const payload of collector.payloads) assert.equal(payload.includes(secret), false, 'a prompt or answer reached the collector');
    for (const payload of collector.payloads) assert.equal(payload.includes('sk-test'), false, 'a provider key reached the collector');
  });
});

describe('tracing plugin: defaults, sampling, shutdown', () => {
  let collector: Collector;

  before(async () => {
    collector = await startCollector();
  });
  after(async () => {
    await collector.close();
  });

  it('takes the collector and service name from OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME', async () => {
    const gw = await startGateway('plugins: { tracing: { flush_interval: 20ms } }\n', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.baseUrl, OTEL_SERVICE_NAME: 'from-env' });
    try {
      const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hello' }] }) });
      assert.equal(response.status, 200);
      const { server } = serverAndUpstream(await collector.spansOf(response.headers.get('x-request-id')!));
      assert.equal(server.resource['service.name'], 'from-env');
    } finally {
      await gw.close();
    }
  });

  it('flushes queued spans on a graceful stop', async () => {
    const gw = await startGateway(`plugins: { tracing: { endpoint: "${collector.tracesUrl}", flush_interval: 1h } }\n`);
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hello' }] }) });
    assert.equal(response.status, 200);
    const requestId = response.headers.get('x-request-id')!;
    assert.equal((await collector.spansOf(requestId, 2, 200)).length, 0, 'still queued (flush_interval: 1h)');
    await gw.close();
    assert.equal((await collector.spansOf(requestId, 2, 0)).length, 2, 'the stop exported them');
  });

  it('sample_ratio 0 records no new trace, but follows a caller that sampled its own', async () => {
    const gw = await startGateway(`plugins: { tracing: { endpoint: "${collector.tracesUrl}", sample_ratio: 0, flush_interval: 20ms } }\n`);
    try {
      const call = (headers: Record<string, string>) => fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hello' }] }) });
      const unsampled = await call({});
      const sampled = await call({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
      const sampledSpans = await collector.spansOf(sampled.headers.get('x-request-id')!);
      assert.equal(sampledSpans.length, 2);
      assert.equal(sampledSpans[0].traceId, '0af7651916cd43dd8448eb211c80319c');
      assert.equal((await collector.spansOf(unsampled.headers.get('x-request-id')!, 1, 100)).length, 0);
    } finally {
      await gw.close();
    }
  });

  it('refuses a bad config, naming the field', async () => {
    await assert.rejects(startGateway('plugins: { tracing: { endpoint: "collector:4318" } }\n'), /plugins\.tracing\.endpoint/);
    await assert.rejects(startGateway('plugins: { tracing: { sample_ratio: 2 } }\n'), /plugins\.tracing\.sample_ratio/);
    await assert.rejects(startGateway('plugins: { tracing: { max_queue_size: 10, max_export_batch_size: 20 } }\n'), /plugins\.tracing\.max_export_batch_size/);
    await assert.rejects(startGateway('plugins: { tracing: { endpiont: "http://collector:4318/v1/traces" } }\n'), /plugins\.tracing.*endpiont/);
  });
});

describe('tracing plugin: an unreachable collector', () => {
  it('never fails a request, and the stop is bounded by export_timeout', async () => {
    // A port that was just free: nothing listens there.
    const closed = await startCollector();
    const url = closed.tracesUrl;
    await closed.close();
    const gw = await startGateway(`plugins: { tracing: { endpoint: "${url}", flush_interval: 10ms, export_timeout: 500ms, max_queue_size: 8, max_export_batch_size: 4 } }\n`);
    try {
      for (let round = 0; round < 20; round++) {
        const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hello' }], stream: round % 2 === 0 }) });
        assert.equal(response.status, 200);
        await response.text();
      }
    } finally {
      const started = performance.now();
      await gw.close();
      assert.ok(performance.now() - started < 3000, 'a dead collector does not hold the stop');
    }
  });
});
