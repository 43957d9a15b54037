import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { AzureOpenAI } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { refusal } from '../../helpers/openai-sdk.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from '../openai-responses/ledger-record.ts';
import { ResponsesStandIn } from './responses-stand-in.ts';

const upstreamKey = 'sk-upstream-native-0123';
const gatewayKey = 'tg-native-all-0123456789abcdef';
const limitedKey = 'tg-native-limited-0123456789ab';
const narrowKey = 'tg-native-narrow-0123456789abc';

const config = `
providers:
  openai: { type: openai, api_key: "${upstreamKey}", base_url: "\${OPENAI_BASE_URL}" }
models:
  smart:
    strategy: priority
    targets:
      - { provider: echo, model: first }
      - { provider: openai, model: gpt-4o-mini }
  flaky:
    strategy: priority
    targets:
      - { provider: openai, model: fail-500 }
      - { provider: openai, model: gpt-4o }
  echo-only: { targets: [{ provider: echo, model: x }] }
routes:
  - match: { model: "echo-first" }
    model: echo-only
    fallbacks: [smart]
  - match: { model: "openai/limited*" }
    plugins: { rate-limit: { limits: [{ scope: key, requests: 1, per: minute }] } }
  - match: { model: "busy" }
    model: busy-group
    fallbacks: [smart]
    fallback_on: [rate_limit]
plugins:
  key-auth:
    keys:
      - { key: "${gatewayKey}", consumer: all }
      - { key: "${limitedKey}", consumer: limited }
      - { key: "${narrowKey}", consumer: narrow, models: ["openai/gpt-4o*"] }
  rate-limit: { limits: [{ scope: consumer, requests: 1000, per: minute }] }
`;

describe('Responses API native mode: OpenAI', () => {
  let standIn: ResponsesStandIn;
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    standIn = new ResponsesStandIn();
    upstream = await startStandIn(standIn.handle);
    const withBusy = config.replace('  echo-only:', '  busy-group: { targets: [{ provider: openai, model: busy-429 }] }\n  echo-only:');
    gw = await startGateway(withBusy, { OPENAI_BASE_URL: `${upstream.url}/v1` });
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: gatewayKey, maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('a hosted tool request goes to /v1/responses as sent, only the model rewritten; usage, cost and the ledger follow', async () => {
    const body = { model: 'smart', input: 'What is the weather in Paris?', tools: [{ type: 'web_search' as const }], include: ['web_search_call.action.sources' as const], store: true };
    const { data, response } = await client.responses.create(body).withResponse();
    assert.equal(data.output[0].type, 'web_search_call');
    assert.equal(data.output_text, 'turn 1 answered by gpt-4o-mini');
    assert.equal(upstream.requests.length, 1);
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/v1/responses');
    assert.equal(sent.headers.authorization, `Bearer ${upstreamKey}`);
    assert.deepEqual(sent.json, { ...body, model: 'gpt-4o-mini' });
    assert.equal(response.headers.get('x-tollgate-provider'), 'openai');
    assert.equal(response.headers.get('x-tollgate-model'), 'gpt-4o-mini');
    assert.equal(response.headers.get('x-upstream-request-id'), `req_${data.id}`);
    assert.ok(Number(response.headers.get('x-tollgate-cost-usd')) > 0, 'the answer is priced from its usage');
    const record = await ledgerRecord(gw, response.headers.get('x-request-id')!);
    assert.equal(record.operation, 'chat');
    assert.equal(record.provider, 'openai');
    assert.equal(record.requested_model, 'smart');
    assert.equal(Number(record.input_tokens), 21);
    assert.equal(Number(record.output_tokens), 9);
    assert.equal(Number(record.cached_tokens), 5);
    assert.equal(Number(record.reasoning_tokens), 3);
    assert.equal(Number(record.status), 200);
  });

  it('the client bytes go up untouched when the model needs no rewrite (number precision and key order kept)', async () => {
    const raw = '{"model":"openai/gpt-4o","input":"hi","previous_response_id":null,"conversation":{"id":"conv_1"},"temperature":0.30000000000000004,"zeta":1}';
    const answer = await fetch(`${gw.baseURL}/responses`, { method: 'POST', headers: { authorization: `Bearer ${gatewayKey}`, 'content-type': 'application/json' }, body: raw });
    assert.equal(answer.status, 200);
    assert.equal(upstream.requests[0].body, raw.replace('"openai/gpt-4o"', '"gpt-4o"'));
  });

  it('a previous_response_id chain: each turn continues the response OpenAI stored', async () => {
    // A first turn the translation would take is served natively when asked: its Response is then stored at OpenAI.
    const first = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'Hello', store: true }, { headers: { 'x-tollgate-responses': 'native' } });
    assert.equal(upstream.requests[0].path, '/v1/responses');
    const second = await client.responses.create({ model: 'openai/gpt-4o-mini', previous_response_id: first.id, input: [{ role: 'user', content: 'And then?' }] });
    assert.equal(second.previous_response_id, first.id);
    assert.equal(second.output_text, 'turn 2 answered by gpt-4o-mini');
    const third = await client.responses.create({ model: 'openai/gpt-4o-mini', previous_response_id: second.id, input: [{ type: 'function_call_output', call_id: 'call_from_turn_2', output: '{"ok":true}' }] });
    assert.equal(third.output_text, 'turn 3 answered by gpt-4o-mini');
    assert.equal((upstream.requests[2].json as { previous_response_id: string }).previous_response_id, second.id);
  });

  it('streaming: OpenAI events pass through in order with their sequence numbers; the usage reaches the ledger', async () => {
    const { data: stream, response } = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'Stream it', tools: [{ type: 'web_search' }], stream: true }).withResponse();
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(
      events.map((event) => event.type),
      ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added', ...Array(5).fill('response.output_text.delta'), 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed'],
    );
    assert.deepEqual(
      events.map((event) => event.sequence_number),
      events.map((_, index) => index),
    );
    const completed = events.at(-1);
    assert.ok(completed?.type === 'response.completed');
    assert.equal(completed.response.output_text ?? completed.response.output.length, completed.response.output_text ?? 2);
    const record = await ledgerRecord(gw, response.headers.get('x-request-id')!);
    assert.equal(Number(record.stream), 1);
    assert.equal(Number(record.input_tokens), 21);
    assert.equal(Number(record.output_tokens), 9);
    assert.ok(Number(record.cost_usd) > 0);
  });

  it('the SDK stream helper reads a native stream to its final response', async () => {
    const final = await client.responses.stream({ model: 'openai/gpt-4o-mini', input: 'x', tools: [{ type: 'code_interpreter', container: { type: 'auto' } }] }).finalResponse();
    assert.equal(final.status, 'completed');
    assert.equal(final.output_text, 'turn 1 answered by gpt-4o-mini');
  });

  it('a stream cut after it started ends with an error event that continues the numbering; the ledger records the failure', async () => {
    const { data: stream, response } = await client.responses.create({ model: 'openai/cut-stream', input: 'x', tools: [{ type: 'web_search' }], stream: true }).withResponse();
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    assert.ok(events.some((event) => event.type === 'response.output_text.delta'));
    const failure = events.at(-1);
    assert.ok(failure?.type === 'error', `last event ${failure?.type}`);
    assert.equal(failure.sequence_number, events.at(-2)!.sequence_number + 1);
    assert.ok(failure.message);
    const record = await ledgerRecord(gw, response.headers.get('x-request-id')!);
    assert.ok(record.error_code, 'the failure is on the record');
    assert.equal(Number(record.stream), 1);
  });

  it('fallback: a group target that cannot serve native Responses (echo) is skipped for the next one', async () => {
    const answer = await client.responses.create({ model: 'smart', input: 'x', previous_response_id: null, tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] });
    assert.equal(answer.model, 'gpt-4o-mini');
    // A route whose group has only echo falls back to a group that can.
    const routed = await client.responses.create({ model: 'echo-first', input: 'x', tools: [{ type: 'web_search' }] });
    assert.equal(routed.model, 'gpt-4o-mini');
  });

  it('with no target that can serve it, the answer is the translation refusal as before (400 naming the field)', async () => {
    const error = await refusal(client.responses.create({ model: 'echo/x', input: 'x', tools: [{ type: 'web_search' }] }));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'unsupported_value');
    assert.equal(error.param, 'tools[0].type');
    const previous = await refusal(client.responses.create({ model: 'echo-only', input: 'x', previous_response_id: 'resp_1' }));
    assert.equal(previous.status, 400);
    assert.equal(previous.code, 'unsupported_parameter');
    assert.equal(previous.param, 'previous_response_id');
    assert.equal(upstream.requests.length, 0);
  });

  it('requests the translation accepts keep the translated path (chat completions upstream)', async () => {
    await refusal(client.responses.create({ model: 'openai/gpt-4o-mini', input: 'plain' }));
    assert.equal(upstream.requests[0].path, '/v1/chat/completions');
  });

  it('upstream 500: retried on the group next target; 429 falls back to the route fallback', async () => {
    const answer = await client.responses.create({ model: 'flaky', input: 'x', tools: [{ type: 'web_search' }] });
    assert.equal(answer.model, 'gpt-4o');
    assert.deepEqual(
      upstream.requests.map((request) => (request.json as { model: string }).model),
      ['fail-500', 'gpt-4o'],
    );
    upstream.requests.length = 0;
    const fellBack = await client.responses.create({ model: 'busy', input: 'x', tools: [{ type: 'web_search' }] });
    assert.equal(fellBack.model, 'gpt-4o-mini');
  });

  it('upstream 500 with nothing left: the provider error in OpenAI shape, on the ledger', async () => {
    const { response, error } = await client.responses
      .create({ model: 'openai/fail-500', input: 'x', tools: [{ type: 'web_search' }] })
      .withResponse()
      .then(() => ({ response: null, error: null }), (caught: unknown) => ({ response: null, error: caught as InstanceType<typeof OpenAI.APIError> }));
    assert.equal(response, null);
    assert.ok(error instanceof OpenAI.APIError);
    assert.equal(error.status, 500);
    assert.equal((error.error as { type?: string }).type, 'server_error');
    const record = await ledgerRecord(gw, error.headers!.get('x-request-id')!);
    assert.equal(Number(record.status), 500);
    assert.equal(Number(record.input_tokens), 0);
  });

  it('a bad key is 401 and a key limited to other models 403, before any provider is called', async () => {
    const bad = await refusal(new OpenAI({ baseURL: gw.baseURL, apiKey: 'tg-not-a-key-000000000000', maxRetries: 0 }).responses.create({ model: 'openai/gpt-4o-mini', input: 'x', tools: [{ type: 'web_search' }] }));
    assert.equal(bad.status, 401);
    const narrow = new OpenAI({ baseURL: gw.baseURL, apiKey: narrowKey, maxRetries: 0 });
    const forbidden = await refusal(narrow.responses.create({ model: 'smart', input: 'x', tools: [{ type: 'web_search' }] }));
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.code, 'model_not_allowed');
    assert.equal(upstream.requests.length, 0);
  });

  it('over a rate limit: 429 before any provider is called, the refusal on the ledger', async () => {
    const limited = new OpenAI({ baseURL: gw.baseURL, apiKey: limitedKey, maxRetries: 0 });
    await limited.responses.create({ model: 'openai/limited-model', input: 'x', tools: [{ type: 'web_search' }] });
    upstream.requests.length = 0;
    const over = await refusal(limited.responses.create({ model: 'openai/limited-model', input: 'x', tools: [{ type: 'web_search' }] }));
    assert.equal(over.status, 429);
    assert.equal(over.code, 'rate_limit_exceeded');
    assert.equal(upstream.requests.length, 0);
    const record = await ledgerRecord(gw, over.headers!.get('x-request-id')!);
    assert.equal(Number(record.status), 429);
    assert.equal(record.consumer, 'limited');
  });

  it('stored responses: retrieve, input items, cancel and delete go to the one openai provider', async () => {
    const created = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'Keep this', tools: [{ type: 'web_search' }] });
    const retrieved = await client.responses.retrieve(created.id);
    assert.equal(retrieved.id, created.id);
    assert.equal(retrieved.output_text, created.output_text);
    const items = await client.responses.inputItems.list(created.id);
    assert.equal(items.data.length, 1);
    const cancelled = await client.responses.cancel(created.id);
    assert.equal(cancelled.status, 'cancelled');
    await client.responses.delete(created.id);
    const gone = await refusal(client.responses.retrieve(created.id));
    assert.equal(gone.status, 404);
    const paths = upstream.requests.slice(1).map((request) => `${request.method} ${request.path}`);
    assert.deepEqual(paths, [`GET /v1/responses/${created.id}`, `GET /v1/responses/${created.id}/input_items`, `POST /v1/responses/${created.id}/cancel`, `DELETE /v1/responses/${created.id}`, `GET /v1/responses/${created.id}`]);
    assert.equal(upstream.requests[1].headers.authorization, `Bearer ${upstreamKey}`);
    // Authentication applies; a key limited to some of the provider's models may not read its stored responses.
    const unauthenticated = await refusal(new OpenAI({ baseURL: gw.baseURL, apiKey: 'tg-not-a-key-000000000000', maxRetries: 0 }).responses.retrieve(created.id));
    assert.equal(unauthenticated.status, 401);
    const narrow = await refusal(new OpenAI({ baseURL: gw.baseURL, apiKey: narrowKey, maxRetries: 0 }).responses.retrieve(created.id));
    assert.equal(narrow.status, 403);
  });

  it("an AzureOpenAI client's stored-response calls (/openai/responses/{id}...) are served as /v1's", async () => {
    const azure = new AzureOpenAI({ endpoint: gw.url, apiVersion: '2025-04-01-preview', apiKey: gatewayKey, maxRetries: 0 });
    const created = await azure.responses.create({ model: 'openai/gpt-4o-mini', input: 'Keep this', tools: [{ type: 'web_search' }] });
    const retrieved = await azure.responses.retrieve(created.id);
    assert.equal(retrieved.output_text, created.output_text);
    const items = await azure.responses.inputItems.list(created.id);
    assert.equal(items.data.length, 1);
    await azure.responses.delete(created.id);
    const paths = upstream.requests.map((request) => `${request.method} ${request.path}`);
    assert.deepEqual(paths, ['POST /v1/responses', `GET /v1/responses/${created.id}`, `GET /v1/responses/${created.id}/input_items`, `DELETE /v1/responses/${created.id}`]);
    // Another path under /openai/responses/ is still the ordinary 404 naming the path as sent.
    const unknown = await fetch(`${gw.url}/openai/responses/a/b?api-version=1`, { headers: { 'api-key': gatewayKey } });
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /\/openai\/responses\/a\/b/);
  });

  it('background: true is refused (its usage is known only when polled: it could not be metered or limited), compaction is 404, a stored stream is not relayed', async () => {
    const background = await refusal(client.responses.create({ model: 'openai/gpt-4o-mini', input: 'later', background: true, tools: [{ type: 'web_search' }] }));
    assert.equal(background.status, 400);
    assert.equal(background.param, 'background');
    assert.equal(upstream.requests.length, 0);
    const compact = await fetch(`${gw.baseURL}/responses/compact`, { method: 'POST', headers: { authorization: `Bearer ${gatewayKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'openai/gpt-4o-mini', input: 'x' }) });
    assert.equal(compact.status, 404);
    const created = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'Keep this', tools: [{ type: 'web_search' }] });
    const streamed = await fetch(`${gw.baseURL}/responses/${created.id}?stream=true&starting_after=2`, { headers: { authorization: `Bearer ${gatewayKey}` } });
    assert.equal(streamed.status, 400);
    assert.equal(((await streamed.json()) as { error: { param: string } }).error.param, 'stream');
  });

  it('input_tokens is routed by its model to the openai target', async () => {
    const counted = await client.responses.inputTokens.count({ model: 'smart', input: 'count me', tools: [{ type: 'web_search' }] });
    assert.equal(counted.input_tokens, 42);
    assert.equal(upstream.requests[0].path, '/v1/responses/input_tokens');
    assert.equal((upstream.requests[0].json as { model: string }).model, 'gpt-4o-mini');
  });
});

describe('Responses API native mode: plugins', () => {
  let standIn: ResponsesStandIn;
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    standIn = new ResponsesStandIn();
    upstream = await startStandIn(standIn.handle);
    gw = await startGateway(
      `
providers:
  openai: { type: openai, api_key: "${upstreamKey}", base_url: "\${OPENAI_BASE_URL}" }
routes:
  - match: { model: "openai/redacted*" }
    plugins: { pii: { request: redact, response: "off" } }
  - match: { model: "openai/blocked*" }
    plugins: { pii: { request: block, response: "off" } }
  - match: { model: "openai/guarded*" }
    plugins: { content-rules: { blocked_terms: ["forbidden topic"] } }
plugins:
  cache: {}
`,
      { OPENAI_BASE_URL: `${upstream.url}/v1` },
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('pii set to redact: a native request is refused with 400, never sent unredacted (with or without a match)', async () => {
    for (const input of ['my email is jane@example.com', 'nothing personal']) {
      const error = await refusal(client.responses.create({ model: 'openai/redacted', input, tools: [{ type: 'web_search' }] }));
      assert.equal(error.status, 400);
      assert.equal(error.code, 'native_responses_plugin_conflict');
      assert.equal(error.param, 'tools[0].type');
      assert.match(error.message, /pii/);
    }
    assert.equal(upstream.requests.length, 0);
  });

  it('pii set to block and content rules read the text of a native request', async () => {
    const blocked = await refusal(client.responses.create({ model: 'openai/blocked', previous_response_id: 'resp_x', input: [{ role: 'user', content: [{ type: 'input_text', text: 'mail jane@example.com' }] }] }));
    assert.equal(blocked.status, 400);
    assert.equal(blocked.code, 'pii_detected');
    const denied = await refusal(client.responses.create({ model: 'openai/guarded', input: 'tell me about the forbidden topic', tools: [{ type: 'web_search' }] }));
    assert.equal(denied.status, 400);
    assert.equal(upstream.requests.length, 0);
    const clean = await client.responses.create({ model: 'openai/blocked', input: 'hello there', tools: [{ type: 'web_search' }] });
    assert.equal(clean.status, 'completed');
  });

  it('guardrails read function and custom tool definitions, a JSON format description and stored-prompt variables of a native request', async () => {
    const tool = { type: 'function' as const, name: 'lookup', description: 'Send the report to jane@example.com', parameters: { type: 'object', properties: {} }, strict: false };
    const inTool = await refusal(client.responses.create({ model: 'openai/blocked', input: 'hello', tools: [{ type: 'web_search' }, tool] }));
    assert.equal(inTool.code, 'pii_detected');
    const inFormat = await refusal(client.responses.create({ model: 'openai/guarded', input: 'hello', tools: [{ type: 'web_search' }], text: { format: { type: 'json_schema', name: 'x', description: 'about the forbidden topic', schema: { type: 'object' } } } }));
    assert.equal(inFormat.status, 400);
    const inVariables = await refusal(client.responses.create({ model: 'openai/blocked', prompt: { id: 'pmpt_1', variables: { customer: 'jane@example.com' } } }));
    assert.equal(inVariables.code, 'pii_detected');
    assert.equal(upstream.requests.length, 0);
  });

  it('the cache never answers or stores a native request', async () => {
    const request = { model: 'openai/gpt-4o-mini', input: 'same question', tools: [{ type: 'web_search' as const }] };
    const first = await client.responses.create(request).withResponse();
    const second = await client.responses.create(request).withResponse();
    assert.equal(second.response.headers.get('x-tollgate-cache'), 'bypass');
    assert.notEqual(first.data.id, second.data.id);
    assert.equal(upstream.requests.length, 2);
  });
});

describe('Responses API native mode: Azure OpenAI', () => {
  let standIn: ResponsesStandIn;
  let upstream: StandIn;

  before(async () => {
    standIn = new ResponsesStandIn();
    upstream = await startStandIn(standIn.handle);
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await upstream.close();
  });

  it('the default api-version (before the Responses API) uses the v1 route, the deployment as model, api-key auth', async () => {
    const gw = await startGateway('{}', { AZURE_OPENAI_API_KEY: 'azure-key-1', AZURE_OPENAI_ENDPOINT: `${upstream.url}/` });
    try {
      const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'x', maxRetries: 0 });
      const answer = await client.responses.create({ model: 'azure/my-gpt4o', input: 'hi', tools: [{ type: 'web_search' }] });
      assert.equal(answer.output_text, 'turn 1 answered by my-gpt4o');
      const sent = upstream.requests[0];
      assert.equal(sent.path, '/openai/v1/responses');
      assert.equal(sent.headers['api-key'], 'azure-key-1');
      assert.equal(sent.headers.authorization, undefined);
      assert.equal((sent.json as { model: string }).model, 'my-gpt4o');
      const retrieved = await client.responses.retrieve(answer.id);
      assert.equal(retrieved.id, answer.id);
      assert.equal(upstream.requests[1].path, `/openai/v1/responses/${answer.id}`);
    } finally {
      await gw.close();
    }
  });

  it('a dated preview api-version uses /openai/responses?api-version=…; a stream passes through', async () => {
    const gw = await startGateway(`providers: { az: { type: azure, api_key: "azure-key-2", base_url: "${upstream.url}", options: { api_version: 2025-04-01-preview } } }`, {});
    try {
      const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'x', maxRetries: 0 });
      const stream = await client.responses.create({ model: 'az/dep', input: 'hi', previous_response_id: null, tools: [{ type: 'image_generation' }], stream: true });
      const types: string[] = [];
      for await (const event of stream) types.push(event.type);
      assert.equal(types.at(-1), 'response.completed');
      assert.equal(upstream.requests[0].path, '/openai/responses?api-version=2025-04-01-preview');
    } finally {
      await gw.close();
    }
  });
});
