import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

/** One sample's value from a /metrics text, 0 when the series is absent. */
function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/** The x-tollgate headers README says come only "when a provider was called". */
const calledHeaders = ['x-tollgate-provider', 'x-tollgate-model', 'x-tollgate-attempts'];

/**
 * A request the gateway refuses itself before calling a provider (a parameter refused under
 * `strict_params`, an image in a system message for Gemini: an adapter's conversion error) is no
 * upstream attempt: the client gets the same 400 as ever, without x-tollgate-provider, -model and
 * -attempts, the log has no "upstream attempt failed" warning, and /metrics no upstream time for
 * it. Retries and fallbacks treat it as before: it is not retried on another target.
 */
describe('a refusal of the gateway’s own before any call is no upstream attempt', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  const logLines: Array<Record<string, unknown>> = [];

  before(async () => {
    // `/fail/...` answers 500, `/huge/...` more than upstream.max_response_bytes; anything else a chat completion.
    upstream = await startStandIn((request, response) => {
      if (request.path.startsWith('/huge/')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(chatCompletion('m', 'x'.repeat(4096))));
        return;
      }
      if (request.path.startsWith('/fail/')) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'internal error', type: 'server_error', param: null, code: null } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion('m', 'from steady', { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 })));
    });
    gateway = await startGateway(
      `
providers:
  gqstrict: { type: groq, api_key: gq-key, base_url: "${upstream.url}/groq/openai/v1", strict_params: true }
  gemini: { type: gemini, api_key: gm-key, base_url: "${upstream.url}/gemini" }
  failing: { type: openai-compatible, base_url: "${upstream.url}/fail/v1" }
  steady: { type: openai-compatible, base_url: "${upstream.url}/ok/v1" }
  huge: { type: openai-compatible, base_url: "${upstream.url}/huge/v1" }
upstream:
  max_response_bytes: 2kib
routing:
  health: { consecutive_failures: 0 }
models:
  strict-then-steady: { strategy: priority, targets: [{ provider: gqstrict, model: llama-3.3-70b-versatile }, { provider: steady, model: m }] }
  failing-then-strict: { strategy: priority, targets: [{ provider: failing, model: m }, { provider: gqstrict, model: llama-3.3-70b-versatile }] }
`,
      {},
      { logLines },
    );
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  async function chat(requestId: string, body: Record<string, unknown>): Promise<{ status: number; headers: Headers; error: Record<string, unknown> }> {
    const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify(body) });
    const answer = (await response.json()) as { error: Record<string, unknown> };
    return { status: response.status, headers: response.headers, error: answer.error };
  }

  function linesOf(requestId: string): Array<Record<string, unknown>> {
    return logLines.filter((line) => line.requestId === requestId);
  }

  function assertNoAttempt(requestId: string, headers: Headers, provider: string): void {
    for (const name of calledHeaders) assert.equal(headers.get(name), null, name);
    assert.equal(headers.get('x-request-id'), requestId);
    const lines = linesOf(requestId);
    assert.deepEqual(lines.filter((line) => line.msg === 'upstream attempt failed'), []);
    const refused = lines.filter((line) => line.msg === 'request refused before calling the provider');
    assert.equal(refused.length, 1, JSON.stringify(lines));
    assert.equal(refused[0].level, 30, 'info: a client error, not a warning');
    assert.equal(refused[0].provider, provider);
    assert.equal(refused[0].status, 400);
    assert.equal(refused[0].attempt, undefined);
  }

  it('strict_params: 400 unsupported_parameter as before, no provider called, no attempt counted', async () => {
    const { status, headers, error } = await chat('refusal-strict', { model: 'gqstrict/llama-3.3-70b-versatile', logprobs: true, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(status, 400);
    assert.equal(error.code, 'unsupported_parameter');
    assert.equal(error.param, 'logprobs');
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(upstream.requests.length, 0);
    assertNoAttempt('refusal-strict', headers, 'gqstrict');
  });

  it("an adapter's conversion error (an image in a system message for Gemini): the same 400, no attempt, no upstream time in /metrics", async () => {
    const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } };
    const { status, headers, error } = await chat('refusal-gemini', { model: 'gemini/gemini-2.5-flash', messages: [{ role: 'system', content: [image] }, { role: 'user', content: 'hi' }] });
    assert.equal(status, 400);
    assert.equal(error.param, 'messages[0].content');
    assert.match(String(error.message), /system messages may contain text only/);
    assert.equal(upstream.requests.length, 0);
    assertNoAttempt('refusal-gemini', headers, 'gemini');
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    const upstreamLines = metrics.split('\n').filter((line) => line.startsWith('tollgate_upstream_first_byte_seconds_count'));
    assert.deepEqual(upstreamLines.filter((line) => line.includes('provider="gemini"')), []);
    // The request itself is counted, under the provider it was meant for.
    assert.equal(sample(metrics, 'tollgate_requests_total{operation="chat",provider="gemini",model="other",status="400"}'), 1, metrics.split('\n').filter((line) => line.startsWith('tollgate_requests_total')).join('\n'));
  });

  it('in a group, a target that refuses is not retried on the next one (as before): the 400, still no attempt', async () => {
    const { status, headers, error } = await chat('refusal-group', { model: 'strict-then-steady', logprobs: true, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(status, 400);
    assert.equal(error.code, 'unsupported_parameter');
    assert.equal(upstream.requests.length, 0);
    assertNoAttempt('refusal-group', headers, 'gqstrict');
  });

  it('a failure of the gateway’s own after the call went out (an answer over upstream.max_response_bytes) is still an attempt', async () => {
    const { status, headers, error } = await chat('too-large', { model: 'huge/m', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(status, 502);
    assert.equal(error.code, 'upstream_response_too_large');
    assert.equal(upstream.requests.length, 1);
    assert.equal(headers.get('x-tollgate-provider'), 'huge');
    assert.equal(headers.get('x-tollgate-attempts'), '1');
    const lines = linesOf('too-large');
    assert.equal(lines.filter((line) => line.msg === 'upstream attempt failed').length, 1);
    assert.deepEqual(lines.filter((line) => line.msg === 'request refused before calling the provider'), []);
  });

  it('a refusal after a real attempt: the headers name the provider called and count its attempt only', async () => {
    const { status, headers, error } = await chat('refusal-after-call', { model: 'failing-then-strict', logprobs: true, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(status, 400, 'the last target’s refusal, as before');
    assert.equal(error.code, 'unsupported_parameter');
    assert.equal(upstream.requests.length, 1);
    assert.equal(headers.get('x-tollgate-provider'), 'failing');
    assert.equal(headers.get('x-tollgate-model'), 'm');
    assert.equal(headers.get('x-tollgate-attempts'), '1');
    const lines = linesOf('refusal-after-call');
    const failed = lines.filter((line) => line.msg === 'upstream attempt failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].provider, 'failing');
    assert.equal(failed[0].attempt, 1);
    assert.equal(lines.filter((line) => line.msg === 'request refused before calling the provider' && line.provider === 'gqstrict').length, 1);
  });
});
