import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { InternalServerError } from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from '../../formats/openai-responses/ledger-record.ts';

/** OpenRouter's usage: token counts plus the credits (USD) charged, on every answer (openrouter.ai/docs/use-cases/usage-accounting). */
const usage = { prompt_tokens: 8, completion_tokens: 4, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 }, cost: 0.000123, is_byok: false, cost_details: { upstream_inference_cost: null } };

function completion(model: string, usageOf: Record<string, unknown> = usage): Record<string, unknown> {
  return { id: 'gen-1', object: 'chat.completion', created: 1, model, provider: 'OpenAI', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', refusal: null }, finish_reason: 'stop', native_finish_reason: 'stop' }], usage: usageOf };
}

function chunk(model: string, delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> {
  return { id: 'gen-s', object: 'chat.completion.chunk', created: 1, model, provider: 'OpenAI', choices: [{ index: 0, delta, finish_reason: finish }] };
}

/** OpenRouter as its docs describe it: `x-generation-id` on every answer, a usage chunk on every stream, asked or not, and an error in a 200 body once the model has started. */
function openRouter(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { model: string; stream?: boolean };
  const headers = { 'x-generation-id': body.stream ? 'gen-s' : 'gen-1' };
  if (body.model.endsWith('-ok200err')) {
    response.writeHead(200, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify({ error: { code: 502, message: 'Provider returned error', metadata: { provider_name: 'OpenAI', raw: 'overloaded' } }, user_id: 'user_1' }));
    return;
  }
  if (body.stream) {
    response.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
    response.end(': OPENROUTER PROCESSING\n\n' + sseBody([chunk(body.model, { role: 'assistant', content: 'Hel' }), chunk(body.model, { content: 'lo' }, 'stop'), { ...chunk(body.model, {}), choices: [], usage }, '[DONE]']));
    return;
  }
  const byok = body.model.endsWith('-byok');
  response.writeHead(200, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(completion(body.model, byok ? { ...usage, cost: 0.00001, is_byok: true, cost_details: { upstream_inference_cost: 0.0002 } } : usage)));
}

describe('OpenRouter through the gateway (stand-in from its docs)', () => {
  let upstream: StandIn;
  let backup: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn(openRouter);
    backup = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion('backup-model', { prompt_tokens: 8, completion_tokens: 4, total_tokens: 12 })));
    });
    gateway = await startGateway(`
providers:
  openrouter: { type: openrouter, api_key: sk-or-key, base_url: "${upstream.url}/api/v1" }
  backup: { type: openai-compatible, base_url: "${backup.url}/v1" }
models:
  resilient:
    strategy: priority
    targets:
      - { provider: openrouter, model: openai/gpt-4o-mini-ok200err }
      - { provider: backup, model: backup-model }
`);
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    backup.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
    await backup.close();
  });

  it('the cost is the one OpenRouter reports (usage.cost): header and ledger', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'openrouter/openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal((data.usage as unknown as { cost: number }).cost, 0.000123);
    assert.equal(response.headers.get('x-tollgate-cost-usd'), '0.000123');
    assert.equal(response.headers.get('x-tollgate-cost-estimated'), null);
    const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
    assert.equal(record.cost_usd, 0.000123);
    assert.equal(Boolean(record.cost_estimated), false);
  });

  it("with the caller's own provider key (BYOK), OpenRouter's fee plus the provider's charge", async () => {
    const { response } = await client.chat.completions.create({ model: 'openrouter/openai/gpt-4o-mini-byok', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(response.headers.get('x-tollgate-cost-usd'), '0.00021');
  });

  it('a stream keeps the usage chunk OpenRouter always sends (the gateway does not ask for it), and the ledger has its cost', async () => {
    const { data: stream, response } = await client.chat.completions.create({ model: 'openrouter/openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true }).withResponse();
    const chunks = [];
    for await (const item of stream) chunks.push(item);
    assert.equal(chunks.filter((item) => item.usage).length, 1);
    assert.equal((chunks.at(-1)!.usage as unknown as { cost: number }).cost, 0.000123);
    const sent = upstream.requests[0].json as Record<string, unknown>;
    assert.equal(sent.stream_options, undefined, 'the client bytes went up as they came');
    const record = await ledgerRecord(gateway, response.headers.get('x-request-id')!);
    assert.equal(record.cost_usd, 0.000123);
    assert.equal(record.output_tokens, 4);
  });

  it('passes x-generation-id on, and as x-upstream-request-id', async () => {
    const whole = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'openrouter/openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
    await whole.text();
    assert.equal(whole.headers.get('x-generation-id'), 'gen-1');
    assert.equal(whole.headers.get('x-upstream-request-id'), 'gen-1');
    const streamed = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'openrouter/openai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    await streamed.text();
    assert.equal(streamed.headers.get('x-generation-id'), 'gen-s');
  });

  it('a 200 whose body is only an error is the failure it stands for: its status from error.code, the error object as sent', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'openrouter/openai/gpt-4o-mini-ok200err', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof InternalServerError, String(error));
      assert.equal(error.status, 502);
      assert.deepEqual(error.error, { message: 'Provider returned error', type: 'upstream_error', param: null, code: 502, metadata: { provider_name: 'OpenAI', raw: 'overloaded' } });
      assert.equal(error.headers?.get('x-upstream-request-id'), 'gen-1');
      return true;
    });
  });

  it('... so a group falls back to its next target', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'resilient', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(data.model, 'backup-model');
    assert.equal(response.headers.get('x-tollgate-attempts'), '2');
    assert.equal(upstream.requests.length, 1);
    assert.equal(backup.requests.length, 1);
  });
});
