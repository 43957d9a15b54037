import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { ledgerRowsByRequest } from './ledger-helpers.ts';

// Anthropic reports a stream's input usage in message_start, before any content. A connection cut
// after it but before the first content event fails the attempt (the gateway holds the stream's
// start until its first content), so it is retried or failed over; the provider billed the input
// it reported all the same. The ledger row (and cost budgets) count each such attempt's reported
// usage, at its own target's price, beside the serving attempt's, flagged estimated; the client
// and the row name the failure upstream_connection_lost, not "could not be reached".

const event = (name: string, data: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;

/** 100 input tokens, 2,000 cache reads, 1,000 cache writes: 3,100 prompt tokens, 2,000 of them cached. */
const reportedUsage = { input_tokens: 100, cache_read_input_tokens: 2000, cache_creation_input_tokens: 1000, output_tokens: 1 };
const messageStart = event('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: reportedUsage } });
const answer =
  messageStart +
  event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
  event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'fine' } }) +
  event('content_block_stop', { index: 0 }) +
  event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 20 } }) +
  event('message_stop', {});

// Per million tokens; claude-b costs twice claude-a.
const priceA = { input: 10, output: 20, cached_input: 1, cache_write: 12.5 };
/** One cut attempt at claude-a: 100 input, 2,000 cache reads, 1,000 cache writes and message_start's 1 output token. */
const cutAtA = (100 * 10 + 2000 * 1 + 1000 * 12.5 + 1 * 20) / 1e6;
/** A whole answer at claude-a: the same input side, 20 output tokens. */
const answerAtA = (100 * 10 + 2000 * 1 + 1000 * 12.5 + 20 * 20) / 1e6;
const usd = (value: number) => Number(value.toFixed(10));

describe('an Anthropic stream cut after message_start, before its first content', () => {
  let claude: StandIn;
  let gateway: RunningGateway;
  let directory: string;
  let storage: string;
  /** What the stand-in does with the next requests: cut after message_start, answer, or hold after message_start (for a client that leaves). */
  let plan: Array<'cut' | 'answer' | 'hold'> = [];
  const logLines: Array<Record<string, unknown>> = [];

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-cut-before-content-'));
    storage = `sqlite:${join(directory, 'ledger.db')}`;
    claude = await startStandIn(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_1' });
      const next = plan.shift() ?? 'answer';
      if (next === 'answer') {
        response.end(answer);
        return;
      }
      response.write(messageStart);
      await sleep(next === 'hold' ? 1000 : 50);
      response.socket?.destroy();
    });
    gateway = await startGateway(
      `
providers:
  claude-a: { type: anthropic, api_key: ant-key, base_url: "${claude.url}" }
  claude-b: { type: anthropic, api_key: ant-key, base_url: "${claude.url}" }
  gcp: { type: vertex, api_key: ya29-token, base_url: "${claude.url}", options: { project: p, location: us-central1 } }
routing:
  retry: { attempts: 2, backoff: { base: 1ms, max: 2ms } }
  health: { consecutive_failures: 0 }
models:
  a-then-b: { strategy: priority, targets: [{ provider: claude-a, model: claude-x }, { provider: claude-b, model: claude-x }], retry: { attempts: 1 } }
pricing:
  claude-a: { "*": { input: ${priceA.input}, output: ${priceA.output}, cached_input: ${priceA.cached_input}, cache_write: ${priceA.cache_write} } }
  gcp: { "*": { input: ${priceA.input}, output: ${priceA.output}, cached_input: ${priceA.cached_input}, cache_write: ${priceA.cache_write} } }
  claude-b: { "*": { input: ${priceA.input * 2}, output: ${priceA.output * 2}, cached_input: ${priceA.cached_input * 2}, cache_write: ${priceA.cache_write * 2} } }
log: { access_log: true }
plugins:
  rate-limit: { limits: [{ scope: "header:x-budget", cost_usd: 0.02, per: day }] }
`,
      {},
      { storage, logLines },
    );
  });
  beforeEach(() => {
    plan = [];
    claude.requests.length = 0;
  });
  after(async () => {
    await gateway?.close();
    await claude?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const chatBody = (model: string) => ({ model, stream: true, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
  const formats = {
    chat: { path: '/v1/chat/completions', body: chatBody },
    messages: { path: '/v1/messages', body: chatBody },
    responses: { path: '/v1/responses', body: (model: string) => ({ model, stream: true, max_output_tokens: 10, input: 'hi' }) },
  };

  async function send(format: keyof typeof formats, model: string, requestId: string, headers: Record<string, string> = {}): Promise<Response> {
    const { path, body } = formats[format];
    return fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers }, body: JSON.stringify(body(model)) });
  }

  for (const format of Object.keys(formats) as Array<keyof typeof formats>) {
    it(`${format}: every attempt cut: 502 upstream_connection_lost, not "could not be reached"`, async () => {
      plan = ['cut', 'cut', 'cut'];
      const response = await send(format, 'claude-a/claude-x', `all-cut-${format}`);
      assert.equal(response.status, 502);
      assert.equal(response.headers.get('x-tollgate-attempts'), '3');
      assert.equal(claude.requests.length, 3);
      const body = (await response.json()) as { error: { message: string; code?: string; type: string } };
      if (format !== 'messages') assert.equal(body.error.code, 'upstream_connection_lost');
      assert.match(body.error.message, /^Provider 'claude-a' answered, then the connection closed before its response was complete/);
      assert.doesNotMatch(body.error.message, /could not be reached/);
    });
  }

  it('messages (Anthropic SDK, byte passthrough), chat completions and responses (OpenAI SDK): a cut attempt, then the answer on the retry', async () => {
    plan = ['cut', 'answer'];
    const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0, defaultHeaders: { 'x-request-id': 'retried-messages' } });
    const { data: messages, response: messagesResponse } = await anthropic.messages.create({ model: 'claude-a/claude-x', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    let text = '';
    for await (const item of messages) if (item.type === 'content_block_delta' && item.delta.type === 'text_delta') text += item.delta.text;
    assert.equal(text, 'fine');
    assert.equal(messagesResponse.headers.get('x-tollgate-attempts'), '2');

    plan = ['cut', 'answer'];
    const openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0, defaultHeaders: { 'x-request-id': 'retried-chat' } });
    text = '';
    for await (const chunk of await openai.chat.completions.create({ model: 'claude-a/claude-x', stream: true, messages: [{ role: 'user', content: 'hi' }] })) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'fine');

    plan = ['cut', 'answer'];
    const responsesClient = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0, defaultHeaders: { 'x-request-id': 'retried-responses' } });
    text = '';
    for await (const item of await responsesClient.responses.create({ model: 'claude-a/claude-x', stream: true, input: 'hi' })) if (item.type === 'response.output_text.delta') text += item.delta;
    assert.equal(text, 'fine');
    assert.equal(claude.requests.length, 6);
  });

  /** tollgate_tokens_total of a provider's claude-x, from the admin /metrics. */
  async function tokensCounted(provider: string, kind: 'prompt' | 'completion'): Promise<number> {
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    const line = metrics.split('\n').find((item) => item.startsWith(`tollgate_tokens_total{provider="${provider}",model="claude-x",kind="${kind}"}`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  }

  it('a fallback to a target priced apart after the cut; the metrics count each attempt\'s tokens under its provider', async () => {
    const before = { aPrompt: await tokensCounted('claude-a', 'prompt'), aCompletion: await tokensCounted('claude-a', 'completion'), bPrompt: await tokensCounted('claude-b', 'prompt') };
    plan = ['cut', 'answer'];
    const response = await send('chat', 'a-then-b', 'fell-back');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-tollgate-provider'), 'claude-b');
    assert.match(await response.text(), /fine/);
    await sleep(20);
    assert.equal((await tokensCounted('claude-a', 'prompt')) - before.aPrompt, 3100, 'the cut attempt at claude-a');
    assert.equal((await tokensCounted('claude-a', 'completion')) - before.aCompletion, 1);
    assert.equal((await tokensCounted('claude-b', 'prompt')) - before.bPrompt, 3100, 'the answer at claude-b');
    const access = logLines.find((line) => line.type === 'access' && line.id === 'fell-back');
    assert.ok(access, 'an access-log line');
    assert.equal(access.provider, 'claude-b');
    assert.equal(access.prompt_tokens, 2 * 3100, 'the access log counts both attempts, as the ledger');
    assert.equal(access.completion_tokens, 1 + 20);
  });

  it("Vertex AI's Claude, translated (chat completions) and passed through (messages): a cut attempt, then the answer", async () => {
    for (const format of ['chat', 'messages'] as const) {
      plan = ['cut', 'answer'];
      const response = await send(format, 'gcp/claude-x', `vertex-${format}`);
      assert.equal(response.status, 200, format);
      assert.equal(response.headers.get('x-tollgate-attempts'), '2', format);
      assert.match(await response.text(), /fine/, format);
    }
    assert.ok(claude.requests.every((request) => request.path.endsWith('/publishers/anthropic/models/claude-x:streamRawPredict')));
  });

  it('a client that leaves while the start is held: the usage message_start reported, not a prompt estimate', async () => {
    plan = ['hold'];
    await assert.rejects(fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'left-held' }, body: JSON.stringify(chatBody('claude-a/claude-x')), signal: AbortSignal.timeout(300) }));
    await sleep(100);
  });

  it('a cost budget is charged what the cut attempts were billed', async () => {
    plan = ['cut', 'cut', 'cut'];
    assert.equal((await send('chat', 'claude-a/claude-x', 'budget-1', { 'x-budget': 'b1' })).status, 502);
    await sleep(50);
    // Three cut attempts cost more than the $0.02 budget: the next call is refused before reaching Claude.
    const refused = await send('chat', 'claude-a/claude-x', 'budget-2', { 'x-budget': 'b1' });
    assert.equal(refused.status, 429);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'budget_exceeded');
    assert.equal(claude.requests.length, 3);
  });

  it('the ledger rows: each cut attempt\'s reported usage beside the answer\'s, at its target\'s price, estimated', async () => {
    await gateway.close();
    const rows = await ledgerRowsByRequest(storage);
    for (const format of Object.keys(formats)) {
      const row = rows.get(`all-cut-${format}`)!;
      assert.equal(Number(row.status), 502, format);
      assert.equal(row.error_code, 'upstream_connection_lost', format);
      assert.equal(Number(row.input_tokens), 3 * 3100, format);
      assert.equal(Number(row.cached_tokens), 3 * 2000, format);
      assert.equal(Number(row.output_tokens), 3, format);
      assert.equal(Number(row.cost_usd), usd(3 * cutAtA), format);
      assert.equal(Number(row.cost_estimated), 1, format);
    }
    for (const format of ['messages', 'chat', 'responses']) {
      const row = rows.get(`retried-${format}`)!;
      assert.equal(Number(row.status), 200, format);
      assert.equal(Number(row.input_tokens), 2 * 3100, format);
      assert.equal(Number(row.cached_tokens), 2 * 2000, format);
      assert.equal(Number(row.output_tokens), 1 + 20, format);
      assert.equal(Number(row.cost_usd), usd(cutAtA + answerAtA), format);
      assert.equal(Number(row.cost_estimated), 1, format);
    }
    const fellBack = rows.get('fell-back')!;
    assert.equal(fellBack.provider, 'claude-b');
    assert.equal(Number(fellBack.input_tokens), 2 * 3100);
    assert.equal(Number(fellBack.cost_usd), usd(cutAtA + 2 * answerAtA), 'the cut attempt at claude-a\'s price, the answer at claude-b\'s');
    assert.equal(Number(rows.get('budget-1')!.cost_usd), usd(3 * cutAtA));
    for (const format of ['chat', 'messages']) {
      const row = rows.get(`vertex-${format}`)!;
      assert.equal(row.provider, 'gcp', format);
      assert.equal(Number(row.input_tokens), 2 * 3100, format);
      assert.equal(Number(row.cost_usd), usd(cutAtA + answerAtA), format);
    }
    const left = rows.get('left-held')!;
    assert.equal(Number(left.status), 499);
    assert.equal(Number(left.input_tokens), 3100);
    assert.equal(Number(left.cached_tokens), 2000);
    assert.equal(Number(left.cost_usd), usd(cutAtA));
    assert.equal(Number(left.cost_estimated), 1);
  });
});
