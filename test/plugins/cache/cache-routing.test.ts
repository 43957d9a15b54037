import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import { openStore } from '../../../src/store/open-store.ts';
import { anthropicMessage } from '../../helpers/anthropic-bodies.ts';
import { chatCompletion } from '../../helpers/openai-bodies.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { databaseOf } from '../../ledger/ledger-helpers.ts';
import { callsTo, client } from './cache-helpers.ts';

/**
 * A stand-in that speaks OpenAI's chat and Anthropic's Messages API and names, in every answer,
 * the model it was asked for and how many calls it has served: a replayed answer is told apart
 * from a fresh one, and v1's answer from v2's.
 */
async function startCountingStandIn(): Promise<StandIn> {
  let served = 0;
  return startStandIn((request, response) => {
    served++;
    const model = (request.json as { model?: string }).model ?? '';
    response.writeHead(200, { 'content-type': 'application/json' });
    if (request.path.startsWith('/v1/messages')) response.end(JSON.stringify(anthropicMessage(`${model} #${served}`, { input_tokens: 10, output_tokens: 5 })));
    else response.end(JSON.stringify(chatCompletion(model, `${model} #${served}`, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 })));
  });
}

function gatewayConfig(upstream: StandIn): string {
  return `
providers:
  up: { type: openai, base_url: "${upstream.url}/v1", api_key: sk-test }
  claude: { type: anthropic, base_url: "${upstream.url}", api_key: sk-ant-test }
models:
  v1: { targets: [{ provider: up, model: model-v1 }] }
  v2: { targets: [{ provider: up, model: model-v2 }] }
routes:
  - name: canary
    match: { model: canary }
    split: [{ model: v1, weight: 50 }, { model: v2, weight: 50 }]
    split_on: [header:x-session-id]
  - name: ruled
    match: { model: ruled }
    model: v1
    rules: [{ when: { headers: { x-priority: high } }, model: v2 }]
plugins:
  cache: {}
`;
}

interface Answer {
  text: string;
  cache: string | null;
  variant: string | null;
  route: string | null;
}

async function chat(gw: RunningGateway, model: string, content: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { data, response } = await client(gw.baseURL).chat.completions.create({ model, messages: [{ role: 'user', content }] }, { headers }).withResponse();
  return { text: data.choices[0].message.content ?? '', cache: response.headers.get('x-tollgate-cache'), variant: response.headers.get('x-tollgate-variant'), route: response.headers.get('x-tollgate-route') };
}

/** A session id the canary split sends to `variant`, found as a client would: by asking (no-store, so nothing is cached). */
async function sessionFor(gw: RunningGateway, variant: string): Promise<string> {
  for (let index = 0; index < 64; index++) {
    const session = `session-${index}`;
    const answer = await chat(gw, 'canary', 'which variant?', { 'x-session-id': session, 'cache-control': 'no-store' });
    if (answer.variant === variant) return session;
  }
  throw new Error(`no session found for ${variant}`);
}

describe('cache keyed on the routing decision (canary split, rules)', () => {
  let upstream: StandIn;
  let folder: string;
  before(async () => {
    upstream = await startCountingStandIn();
    folder = await mkdtemp(join(tmpdir(), 'tollgate-cache-routing-'));
  });
  after(async () => {
    await upstream.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('gives each canary variant its own entries, and a hit the variant header and ledger variant of a miss', async () => {
    const storage = `sqlite:${join(folder, 'ledger.db')}`;
    const gw = await startGateway(gatewayConfig(upstream), {}, { storage });
    let v1Session: string;
    let v2Session: string;
    try {
      v1Session = await sessionFor(gw, 'v1');
      v2Session = await sessionFor(gw, 'v2');
      const before = callsTo(upstream, '/chat/completions');
      const v1Miss = await chat(gw, 'canary', 'split question', { 'x-session-id': v1Session, 'x-request-id': 'v1-miss' });
      const v2Miss = await chat(gw, 'canary', 'split question', { 'x-session-id': v2Session, 'x-request-id': 'v2-miss' });
      assert.equal(v1Miss.cache, 'miss');
      assert.match(v1Miss.text, /^model-v1 #/);
      assert.equal(v2Miss.cache, 'miss', 'v2 is not answered from the entry v1 stored');
      assert.match(v2Miss.text, /^model-v2 #/);
      assert.equal(v2Miss.variant, 'v2');

      const v1Hit = await chat(gw, 'canary', 'split question', { 'x-session-id': v1Session, 'x-request-id': 'v1-hit' });
      const v2Hit = await chat(gw, 'canary', 'split question', { 'x-session-id': v2Session, 'x-request-id': 'v2-hit' });
      assert.deepEqual(v1Hit, { ...v1Miss, cache: 'hit' }, 'v1 gets its own answer, with its variant and route');
      assert.deepEqual(v2Hit, { ...v2Miss, cache: 'hit' }, 'v2 gets its own answer, with its variant and route');
      assert.equal(v1Hit.variant, 'v1');
      assert.equal(v1Hit.route, 'canary');
      assert.equal(callsTo(upstream, '/chat/completions') - before, 2);
    } finally {
      await gw.close();
    }

    const reopened = await openStore(storage);
    try {
      const rows = await databaseOf(reopened.store).selectFrom('usage_records').select(['request_id', 'cache_hit', 'variant', 'route']).execute();
      const byId = new Map(rows.map((row) => [row.request_id, row]));
      for (const [id, hit, variant] of [['v1-miss', false, 'v1'], ['v2-miss', false, 'v2'], ['v1-hit', true, 'v1'], ['v2-hit', true, 'v2']] as const) {
        const row = byId.get(id);
        assert.ok(row, `${id} recorded`);
        assert.equal(Boolean(row.cache_hit), hit, `${id} cache_hit`);
        assert.equal(row.variant, variant, `${id} variant`);
        assert.equal(row.route, 'canary', `${id} route`);
      }
    } finally {
      await reopened.store.close();
    }
  });

  describe('rules and request headers', () => {
    let gw: RunningGateway;
    before(async () => {
      gw = await startGateway(gatewayConfig(upstream));
    });
    after(() => gw.close());

    it('a header rule that picks another group is a miss, and each group\'s entry then hits', async () => {
      const before = callsTo(upstream, '/chat/completions');
      const normal = await chat(gw, 'ruled', 'rule question');
      const priority = await chat(gw, 'ruled', 'rule question', { 'x-priority': 'high' });
      assert.equal(normal.cache, 'miss');
      assert.match(normal.text, /^model-v1 #/);
      assert.equal(priority.cache, 'miss', 'the rule\'s group is not answered from the default group\'s entry');
      assert.match(priority.text, /^model-v2 #/);
      assert.deepEqual(await chat(gw, 'ruled', 'rule question'), { ...normal, cache: 'hit' });
      assert.deepEqual(await chat(gw, 'ruled', 'rule question', { 'x-priority': 'high' }), { ...priority, cache: 'hit' });
      assert.equal(callsTo(upstream, '/chat/completions') - before, 2);
    });

    it('keys on anthropic-beta, which goes to Anthropic providers: another beta set is a miss, the same set in any order a hit', async () => {
      const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
      const ask = async (headers: Record<string, string> = {}) => {
        const { data, response } = await anthropic.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'beta question' }] }, { headers }).withResponse();
        const block = data.content[0];
        return { text: block.type === 'text' ? block.text : '', cache: response.headers.get('x-tollgate-cache') };
      };
      const before = callsTo(upstream, '/v1/messages');
      const plain = await ask();
      const beta = await ask({ 'anthropic-beta': 'token-efficient-tools-2025-02-19,context-1m-2025-08-07' });
      assert.equal(plain.cache, 'miss');
      assert.equal(beta.cache, 'miss', 'a request with a beta is not answered from the entry stored without it');
      assert.notEqual(beta.text, plain.text);
      assert.equal(upstream.requests.at(-1)?.headers['anthropic-beta'], 'token-efficient-tools-2025-02-19,context-1m-2025-08-07', 'the beta went up');
      assert.deepEqual(await ask({ 'anthropic-beta': 'context-1m-2025-08-07, token-efficient-tools-2025-02-19' }), { ...beta, cache: 'hit' });
      assert.deepEqual(await ask(), { ...plain, cache: 'hit' });
      assert.equal(callsTo(upstream, '/v1/messages') - before, 2);
      // An OpenAI client's anthropic-beta goes up too: it is in the key whatever the client's format.
      const { response } = await client(gw.baseURL)
        .chat.completions.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'beta question' }] }, { headers: { 'anthropic-beta': 'interleaved-thinking-2025-05-14' } })
        .withResponse();
      assert.equal(response.headers.get('x-tollgate-cache'), 'miss');
    });

    it('keys on what a Messages request carries beside its canonical form (server tools, server tool results), and never stores a thread', async () => {
      const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
      type Params = Parameters<typeof anthropic.messages.create>[0];
      const ask = async (params: Partial<Params>, headers: Record<string, string> = {}) => {
        const { response } = await anthropic.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'server tool question' }], ...params } as Params, { headers }).withResponse();
        return response.headers.get('x-tollgate-cache');
      };
      const before = callsTo(upstream, '/v1/messages');
      assert.equal(await ask({}), 'miss');
      assert.equal(await ask({ tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }] }), 'miss', 'a web search request is not answered from the entry stored without it');
      assert.equal(await ask({ tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }] }), 'hit');
      const searched = (query: string): Params['messages'] => [
        { role: 'user', content: 'server tool question' },
        { role: 'assistant', content: [{ type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query } }, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01', content: [] }, { type: 'text', text: 'Found nothing.' }] },
        { role: 'user', content: 'and now?' },
      ];
      assert.equal(await ask({ messages: searched('first query') }), 'miss');
      assert.equal(await ask({ messages: searched('another query') }), 'miss', 'a conversation whose search differs is not answered from the other\'s entry');
      assert.equal(await ask({ messages: searched('first query') }), 'hit');
      const threaded = { thread: { type: 'create' } } as unknown as Partial<Params>;
      assert.equal(await ask(threaded, { 'anthropic-beta': 'message-threads-2026-08-12' }), 'bypass');
      assert.equal(await ask(threaded, { 'anthropic-beta': 'message-threads-2026-08-12' }), 'bypass', 'the server holds the thread: never answered from the cache');
      assert.equal(callsTo(upstream, '/v1/messages') - before, 6);
    });
  });

  describe('revalidation directives', () => {
    let gw: RunningGateway;
    before(async () => {
      gw = await startGateway(gatewayConfig(upstream));
    });
    after(() => gw.close());

    it('cache-control: max-age=0 skips the lookup and stores the fresh answer', async () => {
      const before = callsTo(upstream, '/chat/completions');
      const first = await chat(gw, 'ruled', 'max-age zero');
      const fresh = await chat(gw, 'ruled', 'max-age zero', { 'cache-control': 'max-age=0' });
      assert.equal(fresh.cache, 'miss');
      assert.notEqual(fresh.text, first.text, 'answered upstream');
      assert.deepEqual(await chat(gw, 'ruled', 'max-age zero'), { ...fresh, cache: 'hit' }, 'the fresh answer was stored');
      assert.equal(callsTo(upstream, '/chat/completions') - before, 2);
    });

    it('Pragma: no-cache skips the lookup when there is no Cache-Control; Cache-Control wins when both are sent', async () => {
      const before = callsTo(upstream, '/chat/completions');
      const first = await chat(gw, 'ruled', 'pragma');
      const fresh = await chat(gw, 'ruled', 'pragma', { pragma: 'no-cache' });
      assert.equal(fresh.cache, 'miss');
      assert.notEqual(fresh.text, first.text, 'answered upstream');
      assert.deepEqual(await chat(gw, 'ruled', 'pragma'), { ...fresh, cache: 'hit' }, 'the fresh answer was stored');
      assert.equal((await chat(gw, 'ruled', 'pragma', { pragma: 'no-cache', 'cache-control': 'max-age=3600' })).cache, 'hit');
      assert.equal(callsTo(upstream, '/chat/completions') - before, 2);
    });

    it('cache-control: max-age=N serves only an entry stored within the last N seconds', async () => {
      const first = await chat(gw, 'ruled', 'max-age one');
      assert.equal((await chat(gw, 'ruled', 'max-age one', { 'cache-control': 'max-age=1' })).cache, 'hit');
      await sleep(1100);
      const fresh = await chat(gw, 'ruled', 'max-age one', { 'cache-control': 'max-age=1' });
      assert.equal(fresh.cache, 'miss', 'older than a second');
      assert.notEqual(fresh.text, first.text);
      assert.deepEqual(await chat(gw, 'ruled', 'max-age one'), { ...fresh, cache: 'hit' });
    });
  });
});
