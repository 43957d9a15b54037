import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from '../openai-responses/ledger-record.ts';

const cohereKey = 'co-secret-key-0123456789abcdef';
const compatibleKey = 'vllm-secret-key-0123456789abcd';
const appKey = 'tg-rerank-app-0123456789abcdef';
const chatOnlyKey = 'tg-rerank-chat-0123456789abcde';

const documents = ['Paris is the capital of France.', 'Bananas are yellow.', 'France borders Spain.'];

function answerJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Cohere's /v2/rerank: scores in Cohere's order (highest first), search units in meta; failures chosen by model name. */
function answerLikeCohere(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { model: string };
  if (body.model === 'busy-429') return answerJson(response, 429, { message: 'You are using a Trial key, which is limited to 10 API calls / minute.' }, { 'retry-after': '7' });
  if (body.model === 'leaky-401') return answerJson(response, 401, { message: `invalid api token: ${cohereKey}` });
  answerJson(response, 200, {
    id: 'cohere-rerank-1',
    results: [
      { index: 0, relevance_score: 0.91 },
      { index: 2, relevance_score: 0.42 },
    ],
    meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } },
  });
}

/** vLLM-style /v1/rerank: the Cohere shape with documents echoed and token usage. `unsorted`: lowest score first, two equal, and every document whatever top_n. */
function answerLikeVllm(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { model: string };
  if (body.model === 'unsorted') {
    return answerJson(response, 200, {
      id: 'rerank-unsorted-1',
      usage: { total_tokens: 21 },
      results: [
        { index: 2, relevance_score: 0.25 },
        { index: 0, relevance_score: 0.5, document: { text: documents[0] } },
        { index: 1, relevance_score: 0.5, document: { text: documents[1] } },
      ],
    });
  }
  if (body.model === 'busy-429') return answerJson(response, 429, { error: { message: 'Too many requests', type: 'rate_limit_error' } }, { 'retry-after': '7' });
  if (body.model === 'leaky-401') return answerJson(response, 401, { error: { message: `Incorrect API key provided: ${compatibleKey}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
  answerJson(response, 200, vllmAnswer(body.model));
}

/** vLLM's answer, sorted as vLLM sorts it. */
function vllmAnswer(model: string): unknown {
  return {
    id: 'rerank-vllm-1',
    model,
    usage: { total_tokens: 37 },
    results: [
      { index: 1, document: { text: documents[1] }, relevance_score: 0.8 },
      { index: 0, document: { text: documents[0] }, relevance_score: 0.1 },
    ],
  };
}

describe('POST /v1/rerank through the gateway (plain fetch; Cohere, openai-compatible and echo targets)', () => {
  let cohere: StandIn;
  let compatible: StandIn;
  let gw: RunningGateway;

  before(async () => {
    cohere = await startStandIn(answerLikeCohere);
    compatible = await startStandIn(answerLikeVllm);
    gw = await startGateway(
      `providers:
  vllm: { type: openai-compatible, base_url: "${compatible.url}/v1", api_key: "${compatibleKey}" }
models:
  ranker:
    strategy: priority
    targets:
      - { provider: echo, model: echo-1 }
      - { provider: vllm, model: bge-reranker-v2-m3 }
plugins:
  key-auth:
    keys:
      - { key: "${appKey}", consumer: app }
      - { key: "${chatOnlyKey}", consumer: chat, models: ["echo/*"] }
pricing:
  vllm: { bge-reranker-v2-m3: { input: 0.02, output: 0 } }
`,
      { CO_API_KEY: cohereKey, CO_API_URL: cohere.url },
    );
  });
  beforeEach(() => {
    cohere.requests.length = 0;
    compatible.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await cohere.close();
    await compatible.close();
  });

  function rerank(body: unknown, options: { key?: string; path?: string } = {}): Promise<Response> {
    return fetch(`${gw.url}${options.path ?? '/v1/rerank'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key ?? appKey}` },
      body: JSON.stringify(body),
    });
  }

  it('cohere: POST /v2/rerank with its Bearer key and the model rewritten; results sorted, meta kept, no tokens counted', async () => {
    const response = await rerank({ model: 'cohere/rerank-v3.5', query: 'capital of France', documents, top_n: 2, max_tokens_per_doc: 512 });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-tollgate-provider'), 'cohere');
    const answer = (await response.json()) as { id: string; results: Array<{ index: number; relevance_score: number; document?: unknown }>; meta: unknown };
    assert.equal(answer.id, 'cohere-rerank-1');
    assert.deepEqual(answer.results, [
      { index: 0, relevance_score: 0.91 },
      { index: 2, relevance_score: 0.42 },
    ]);
    assert.deepEqual(answer.meta, { api_version: { version: '2' }, billed_units: { search_units: 1 } });
    assert.equal(cohere.requests.length, 1);
    const sent = cohere.requests[0];
    assert.equal(sent.path, '/v2/rerank');
    assert.equal(sent.headers.authorization, `Bearer ${cohereKey}`, 'the provider key, never the client key');
    assert.deepEqual(sent.json, { model: 'rerank-v3.5', query: 'capital of France', documents, top_n: 2, max_tokens_per_doc: 512 });

    const record = await ledgerRecord(gw, response.headers.get('x-request-id')!);
    assert.equal(record.operation, 'rerank');
    assert.equal(record.provider, 'cohere');
    assert.equal(record.model, 'rerank-v3.5');
    assert.equal(record.consumer, 'app');
    assert.equal(record.input_tokens, 0, 'search units are not tokens');
    assert.equal(record.output_tokens, 0);
    assert.equal(record.cost_usd, 0);
    assert.equal(record.status, 200);
  });

  it('cohere: {text} documents go up as strings; return_documents is answered with the texts (v2 has neither)', async () => {
    const response = await rerank({ model: 'cohere/rerank-v3.5', query: 'capital', documents: documents.map((text) => ({ text })), return_documents: true }, { path: '/rerank' });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { results: unknown };
    assert.deepEqual(answer.results, [
      { index: 0, relevance_score: 0.91, document: { text: documents[0] } },
      { index: 2, relevance_score: 0.42, document: { text: documents[2] } },
    ]);
    assert.deepEqual(cohere.requests[0].json, { model: 'rerank-v3.5', query: 'capital', documents });
  });

  it('openai-compatible: the body goes to {base_url}/rerank with only model rewritten; a sorted answer comes back as it came, its usage in the ledger and priced in x-tollgate-cost-usd', async () => {
    const body = { model: 'vllm/bge-reranker-v2-m3', query: 'fruit', documents: [{ text: documents[0] }, documents[1]], top_n: 2, return_documents: true, truncate_prompt_tokens: 64 };
    const response = await rerank(body);
    assert.equal(response.status, 200);
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), (37 * 0.02) / 1e6);
    const text = await response.text();
    assert.equal(text, JSON.stringify(vllmAnswer('bge-reranker-v2-m3')), 'the server sorted it: its bytes as they came');
    const answer = JSON.parse(text) as { id: string; usage: unknown; results: unknown[] };
    assert.equal(answer.id, 'rerank-vllm-1');
    assert.deepEqual(answer.usage, { total_tokens: 37 });
    assert.equal(answer.results.length, 2);
    const sent = compatible.requests[0];
    assert.equal(sent.path, '/v1/rerank');
    assert.equal(sent.headers.authorization, `Bearer ${compatibleKey}`);
    assert.deepEqual(sent.json, { ...body, model: 'bge-reranker-v2-m3' });
    const record = await ledgerRecord(gw, response.headers.get('x-request-id')!);
    assert.equal(record.operation, 'rerank');
    assert.equal(record.provider, 'vllm');
    assert.equal(record.input_tokens, 37);
    assert.equal(record.output_tokens, 0);
    assert.equal(record.cost_usd, (37 * 0.02) / 1e6);
  });

  it('openai-compatible: results the server did not sort come back highest score first (equal scores in its order), each with its index, cut to top_n', async () => {
    const all = await rerank({ model: 'vllm/unsorted', query: 'fruit', documents });
    assert.equal(all.status, 200);
    const answer = (await all.json()) as { id: string; usage: unknown; results: unknown[] };
    assert.equal(answer.id, 'rerank-unsorted-1');
    assert.deepEqual(answer.usage, { total_tokens: 21 });
    assert.deepEqual(answer.results, [
      { index: 0, relevance_score: 0.5, document: { text: documents[0] } },
      { index: 1, relevance_score: 0.5, document: { text: documents[1] } },
      { index: 2, relevance_score: 0.25 },
    ]);
    const top = await rerank({ model: 'vllm/unsorted', query: 'fruit', documents, top_n: 1 });
    assert.deepEqual(((await top.json()) as { results: unknown[] }).results, [{ index: 0, relevance_score: 0.5, document: { text: documents[0] } }]);
    assert.equal((await ledgerRecord(gw, top.headers.get('x-request-id')!)).input_tokens, 21);
  });

  it('a group skips a target that cannot rerank (echo) for the next one', async () => {
    const response = await rerank({ model: 'ranker', query: 'fruit', documents });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-tollgate-provider'), 'vllm');
    assert.equal(compatible.requests.length, 1);
    assert.equal((compatible.requests[0].json as { model: string }).model, 'bge-reranker-v2-m3');
  });

  it('a provider that cannot rerank is 400 unsupported_operation', async () => {
    const response = await rerank({ model: 'echo/echo-1', query: 'fruit', documents });
    assert.equal(response.status, 400);
    const { error } = (await response.json()) as { error: { code: string; type: string } };
    assert.equal(error.code, 'unsupported_operation');
    assert.equal(error.type, 'invalid_request_error');
  });

  it('a missing or malformed query or documents is 400 naming the field, and no provider is called', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ model: 'cohere/rerank-v3.5', documents }, 'query', 'missing_required_parameter'],
      [{ model: 'cohere/rerank-v3.5', query: 42, documents }, 'query', 'invalid_type'],
      [{ model: 'cohere/rerank-v3.5', query: 'q' }, 'documents', 'missing_required_parameter'],
      [{ model: 'cohere/rerank-v3.5', query: 'q', documents: [] }, 'documents', 'invalid_request'],
      [{ model: 'cohere/rerank-v3.5', query: 'q', documents: 'one' }, 'documents', 'invalid_type'],
      [{ model: 'cohere/rerank-v3.5', query: 'q', documents: ['a', { title: 'b' }] }, 'documents[1]', 'invalid_type'],
      [{ query: 'q', documents }, 'model', 'missing_required_parameter'],
    ];
    for (const [body, param, code] of cases) {
      const response = await rerank(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      const { error } = (await response.json()) as { error: { param: string; code: string; message: string } };
      assert.equal(error.param, param);
      assert.equal(error.code, code);
      assert.match(error.message, new RegExp(`'${param.replace(/[[\]]/g, '\\$&')}'`));
    }
    assert.equal(cohere.requests.length + compatible.requests.length, 0);
  });

  it('an upstream 429 keeps Retry-After (Cohere and openai-compatible)', async () => {
    for (const model of ['cohere/busy-429', 'vllm/busy-429']) {
      const response = await rerank({ model, query: 'q', documents });
      assert.equal(response.status, 429, model);
      assert.equal(response.headers.get('retry-after'), '7');
      const { error } = (await response.json()) as { error: { code: string } };
      // Cohere's 429 is mapped by status; an OpenAI-compatible error keeps the server's code, or names the status.
      assert.equal(error.code, model.startsWith('cohere/') ? 'rate_limit_exceeded' : 'upstream_http_429');
      const record = await ledgerRecord(gw, response.headers.get('x-request-id')!);
      assert.equal(record.operation, 'rerank');
      assert.equal(record.status, 429);
    }
  });

  it('a provider error that repeats the provider key reaches the client without it', async () => {
    for (const [model, key] of [['cohere/leaky-401', cohereKey], ['vllm/leaky-401', compatibleKey]]) {
      const response = await rerank({ model, query: 'q', documents });
      assert.equal(response.status, 401, model);
      const text = await response.text();
      assert.ok(!text.includes(key), text);
      assert.match(text, /\[redacted\]/);
    }
  });

  it('virtual keys: an unknown key is 401, a key limited to other models is 403, and no provider is called', async () => {
    const unknown = await rerank({ model: 'cohere/rerank-v3.5', query: 'q', documents }, { key: 'tg-not-a-key-0000000000000000' });
    assert.equal(unknown.status, 401);
    assert.equal(((await unknown.json()) as { error: { type: string } }).error.type, 'authentication_error');
    const limited = await rerank({ model: 'cohere/rerank-v3.5', query: 'q', documents }, { key: chatOnlyKey });
    assert.equal(limited.status, 403);
    assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'model_not_allowed');
    assert.equal(cohere.requests.length, 0);
  });

  it('GET /v1/rerank is 405 with Allow: POST', async () => {
    const response = await fetch(`${gw.url}/v1/rerank`, { headers: { authorization: `Bearer ${appKey}` } });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
  });
});

describe('POST /v1/rerank: request limits and PII', () => {
  let compatible: StandIn;
  let gw: RunningGateway;

  before(async () => {
    compatible = await startStandIn(answerLikeVllm);
    gw = await startGateway(
      `providers:
  vllm: { type: openai-compatible, base_url: "${compatible.url}/v1" }
plugins:
  rate-limit: { limits: [{ scope: global, requests: 2, per: minute }] }
  pii: { request: redact }
`,
    );
  });
  after(async () => {
    await gw.close();
    await compatible.close();
  });

  it('the query and document texts are redacted before they go up; a request-rate limit counts rerank calls', async () => {
    const first = await fetch(`${gw.url}/v1/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'vllm/bge', query: 'mail jane.doe@example.com', documents: ['call jane.doe@example.com', { text: 'plain' }, { text: 'write to jane.doe@example.com' }] }),
    });
    assert.equal(first.status, 200);
    const sent = compatible.requests[0].json as { query: string; documents: Array<string | { text: string }> };
    assert.ok(!JSON.stringify(sent).includes('jane.doe@example.com'), JSON.stringify(sent));
    assert.equal((sent.documents[1] as { text: string }).text, 'plain');
    assert.equal(sent.documents.length, 3);

    const body = JSON.stringify({ model: 'vllm/bge', query: 'q', documents });
    const second = await fetch(`${gw.url}/v1/rerank`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(second.status, 200);
    const third = await fetch(`${gw.url}/v1/rerank`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(third.status, 429);
    assert.ok(third.headers.get('retry-after'));
    assert.equal(compatible.requests.length, 2);
  });
});
