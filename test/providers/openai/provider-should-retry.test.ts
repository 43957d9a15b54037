import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

/**
 * An OpenAI-format provider (OpenAI, Azure, openai-compatible, the presets, Mistral) answering an
 * error as its last user message asks: `#err:<status>`, `#xsr:<true|false>` (its
 * `x-should-retry`) and `#fast` (`retry-after-ms: 1`, so the SDK's own retries, when it makes
 * them, do not slow the test down), with the error body its API sends.
 */
async function startErrorStandIn(): Promise<StandIn> {
  return startStandIn((request, response) => {
    const messages = (request.json as { messages?: Array<{ content?: unknown }> } | undefined)?.messages ?? [];
    const prompt = String(messages.at(-1)?.content ?? '');
    const status = Number(/#err:(\d{3})/.exec(prompt)?.[1] ?? 500);
    const shouldRetry = /#xsr:(true|false)/.exec(prompt)?.[1];
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': `req-${status}` };
    if (shouldRetry !== undefined) headers['x-should-retry'] = shouldRetry;
    if (prompt.includes('#fast')) headers['retry-after-ms'] = '1';
    response.writeHead(status, headers);
    response.end(JSON.stringify({ error: { message: `failed with ${status}`, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } }));
  });
}

describe("a provider's own x-should-retry reaches the client's SDK", () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startErrorStandIn();
    // One target each and no retries of the gateway's: the SDK's retries are the only ones.
    gw = await startGateway(`providers:
  oai: { type: openai, api_key: sk-test-upstream, base_url: "${upstream.url}/v1" }
  az: { type: azure, api_key: azure-key, base_url: "${upstream.url}" }
  compat: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m] }
  tog: { type: together, api_key: together-key, base_url: "${upstream.url}/v1" }
  mis: { type: mistral, api_key: mistral-key, base_url: "${upstream.url}/v1" }
  oai2: { type: openai, api_key: sk-test-upstream, base_url: "${upstream.url}/v1" }
models:
  pair: { strategy: priority, targets: [{ provider: oai, model: gpt-4o-mini }, { provider: oai2, model: gpt-4o-mini }] }
`);
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  /** Calls the model with a default SDK (two retries); returns the error's status and x-should-retry, and the upstream calls made. */
  async function failedCall(model: string, prompt: string): Promise<{ status: number | undefined; shouldRetry: string | null; upstreamCalls: number }> {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 2 });
    let caught: unknown;
    try {
      await client.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }] });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof OpenAI.APIError, `${model}: ${String(caught)}`);
    return { status: caught.status, shouldRetry: caught.headers?.get('x-should-retry') ?? null, upstreamCalls: upstream.requests.length };
  }

  for (const model of ['oai/gpt-4o-mini', 'az/my-deployment', 'compat/m', 'tog/meta-llama', 'mis/mistral-small-latest']) {
    it(`${model}: 500, 503 and 409 marked x-should-retry: false are not retried by the SDK`, async () => {
      for (const status of [500, 503, 409]) {
        upstream.requests.length = 0;
        const result = await failedCall(model, `#err:${status} #xsr:false`);
        assert.deepEqual(result, { status, shouldRetry: 'false', upstreamCalls: 1 });
      }
    });

    it(`${model}: a 400 marked x-should-retry: true is retried by the SDK`, async () => {
      const result = await failedCall(model, '#err:400 #xsr:true #fast');
      assert.deepEqual(result, { status: 400, shouldRetry: 'true', upstreamCalls: 3 });
    });
  }

  it('a provider that sends none: no x-should-retry, the SDK retries by status (500: 3 calls, 400: 1)', async () => {
    assert.deepEqual(await failedCall('oai/gpt-4o-mini', '#err:500 #fast'), { status: 500, shouldRetry: null, upstreamCalls: 3 });
    upstream.requests.length = 0;
    assert.deepEqual(await failedCall('oai/gpt-4o-mini', '#err:400 #fast'), { status: 400, shouldRetry: null, upstreamCalls: 1 });
  });

  it("after the gateway failed over, its own x-should-retry: false wins over the provider's true", async () => {
    const result = await failedCall('pair', '#err:503 #xsr:true');
    assert.deepEqual(result, { status: 503, shouldRetry: 'false', upstreamCalls: 2 });
  });
});
