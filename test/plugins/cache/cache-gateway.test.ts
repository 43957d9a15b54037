import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { ask, callsTo, client, openAIEnv, startOpenAIStandIn } from './cache-helpers.ts';

describe('cache plugin (memory) through the real gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startOpenAIStandIn();
    gw = await startGateway('plugins: { cache: {} }', openAIEnv(upstream));
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('answers the second identical request from the cache (upstream called once)', async () => {
    const openai = client(gw.baseURL);
    const before = callsTo(upstream, '/chat/completions');
    const first = await ask(openai, 'hit me', { temperature: 0 });
    const second = await ask(openai, 'hit me', { temperature: 0 });
    assert.equal(callsTo(upstream, '/chat/completions') - before, 1);
    assert.equal(first.cache, 'miss');
    assert.equal(second.cache, 'hit');
    assert.equal(second.age, '0');
    assert.deepEqual(second.body, first.body, 'the stored response, as stored');
  });

  it('keys on every answer-changing field: a different temperature, max_tokens or message is a miss', async () => {
    const openai = client(gw.baseURL);
    const before = callsTo(upstream, '/chat/completions');
    await ask(openai, 'vary', { temperature: 0 });
    assert.equal((await ask(openai, 'vary', { temperature: 0.5 })).cache, 'miss');
    assert.equal((await ask(openai, 'vary', { temperature: 0, max_tokens: 10 })).cache, 'miss');
    assert.equal((await ask(openai, 'vary!', { temperature: 0 })).cache, 'miss');
    assert.equal(callsTo(upstream, '/chat/completions') - before, 4);
    // Fields that do not change the answer do not split the entry.
    assert.equal((await ask(openai, 'vary', { temperature: 0, user: 'someone', metadata: { a: 'b' } })).cache, 'hit');
  });

  it('cache-control: no-cache skips the lookup but stores; no-store neither looks up nor stores', async () => {
    const openai = client(gw.baseURL);
    const before = callsTo(upstream, '/chat/completions');
    const first = await ask(openai, 'directive');
    const fresh = await ask(openai, 'directive', {}, { 'cache-control': 'no-cache' });
    assert.equal(fresh.cache, 'miss');
    assert.notEqual(fresh.text, first.text, 'answered upstream');
    const after = await ask(openai, 'directive');
    assert.equal(after.cache, 'hit');
    assert.equal(after.text, fresh.text, 'the no-cache answer was stored');
    assert.equal(callsTo(upstream, '/chat/completions') - before, 2);

    const unstored = await ask(openai, 'never stored', {}, { 'cache-control': 'no-store' });
    assert.equal(unstored.cache, 'bypass');
    assert.equal((await ask(openai, 'never stored')).cache, 'miss');
  });

  it('streams bypass the cache', async () => {
    const openai = client(gw.baseURL);
    const before = callsTo(upstream, '/chat/completions');
    for (let round = 0; round < 2; round++) {
      const { data, response } = await openai.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'stream me' }], stream: true }).withResponse();
      let text = '';
      for await (const part of data) text += part.choices[0]?.delta?.content ?? '';
      assert.match(text, /^answer #\d+$/);
      assert.equal(response.headers.get('x-tollgate-cache'), 'bypass');
    }
    assert.equal(callsTo(upstream, '/chat/completions') - before, 2);
    // A stream never fills the cache for the same non-streaming request either.
    assert.equal((await ask(client(gw.baseURL), 'stream me')).cache, 'miss');
  });

  it('caches embeddings', async () => {
    const openai = client(gw.baseURL);
    const before = callsTo(upstream, '/embeddings');
    const first = await openai.embeddings.create({ model: 'openai/text-embedding-3-small', input: 'embed me', encoding_format: 'float' }).withResponse();
    const second = await openai.embeddings.create({ model: 'openai/text-embedding-3-small', input: 'embed me', encoding_format: 'float' }).withResponse();
    assert.equal(callsTo(upstream, '/embeddings') - before, 1);
    assert.equal(second.response.headers.get('x-tollgate-cache'), 'hit');
    assert.deepEqual(second.data.data[0].embedding, first.data.data[0].embedding);
  });

  it('answers an Anthropic client from the cache in the Anthropic format', async () => {
    const before = callsTo(upstream, '/chat/completions');
    const send = () =>
      fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'x', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'anthropic client' }] }),
      });
    const first = await send();
    const firstBody = (await first.json()) as { type: string; content: Array<{ type: string; text: string }> };
    const second = await send();
    const secondBody = (await second.json()) as { type: string; role: string; content: Array<{ type: string; text: string }>; stop_reason: string; usage: { input_tokens: number } };
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(first.headers.get('x-tollgate-cache'), 'miss');
    assert.equal(second.headers.get('x-tollgate-cache'), 'hit');
    assert.equal(secondBody.type, 'message');
    assert.equal(secondBody.role, 'assistant');
    assert.equal(secondBody.stop_reason, 'end_turn');
    assert.equal(secondBody.content[0].text, firstBody.content[0].text);
    assert.equal(secondBody.usage.input_tokens, 10);
    assert.equal(callsTo(upstream, '/chat/completions') - before, 1);
  });

  it('a Responses API client gets the stored answer as stored: the same Response id, item ids and created_at on every hit', async () => {
    const openai = client(gw.baseURL);
    const before = callsTo(upstream, '/chat/completions');
    const ask = () => openai.responses.create({ model: 'openai/gpt-4o-mini', input: 'responses hit' }).withResponse();
    const first = await ask();
    const second = await ask();
    const third = await ask();
    assert.equal(callsTo(upstream, '/chat/completions') - before, 1);
    assert.equal(first.response.headers.get('x-tollgate-cache'), 'miss');
    assert.equal(second.response.headers.get('x-tollgate-cache'), 'hit');
    assert.equal(third.response.headers.get('x-tollgate-cache'), 'hit');
    assert.equal(second.data.output_text, first.data.output_text);
    assert.match(first.data.id, /^resp_[0-9a-f]{32}$/);
    assert.equal(second.data.id, first.data.id);
    assert.equal(third.data.id, first.data.id);
    assert.equal(second.data.created_at, first.data.created_at);
    assert.deepEqual(second.data.output.map((item) => item.id), first.data.output.map((item) => item.id));
  });

  it('a Responses API client\'s fresh answer still gets its own id', async () => {
    const openai = client(gw.baseURL);
    const one = await openai.responses.create({ model: 'openai/gpt-4o-mini', input: 'fresh one' });
    const two = await openai.responses.create({ model: 'openai/gpt-4o-mini', input: 'fresh two' });
    assert.notEqual(one.id, two.id);
    assert.notEqual(one.output[0].id, two.output[0].id);
  });
});

describe('cache plugin: TTL, LRU eviction and scoping', () => {
  let upstream: StandIn;
  before(async () => {
    upstream = await startOpenAIStandIn();
  });
  after(async () => {
    await upstream.close();
  });

  it('expires entries after the ttl', async () => {
    const gw = await startGateway('plugins: { cache: { ttl: 150ms } }', openAIEnv(upstream));
    try {
      const openai = client(gw.baseURL);
      await ask(openai, 'short lived');
      assert.equal((await ask(openai, 'short lived')).cache, 'hit');
      await sleep(250);
      assert.equal((await ask(openai, 'short lived')).cache, 'miss');
      assert.equal((await ask(openai, 'short lived')).cache, 'hit');
    } finally {
      await gw.close();
    }
  });

  it('evicts the least recently used entry past max_entries', async () => {
    const gw = await startGateway('plugins: { cache: { max_entries: 2 } }', openAIEnv(upstream));
    try {
      const openai = client(gw.baseURL);
      await ask(openai, 'A');
      await ask(openai, 'B');
      assert.equal((await ask(openai, 'A')).cache, 'hit', 'A is now the most recent');
      await ask(openai, 'C');
      assert.equal((await ask(openai, 'A')).cache, 'hit');
      assert.equal((await ask(openai, 'B')).cache, 'miss', 'B was the least recently used');
    } finally {
      await gw.close();
    }
  });

  it('does not store responses larger than max_entry_bytes', async () => {
    const gw = await startGateway('plugins: { cache: { max_entry_bytes: 100 } }', openAIEnv(upstream));
    try {
      const openai = client(gw.baseURL);
      await ask(openai, 'too big');
      assert.equal((await ask(openai, 'too big')).cache, 'miss');
    } finally {
      await gw.close();
    }
  });

  it('keeps entries per consumer unless shared', async () => {
    const keys = `
    key-auth:
      keys:
        - { key: tg-alpha, consumer: alpha }
        - { key: tg-beta, consumer: beta }
        - { key: tg-alpha-2, consumer: alpha }`;
    const gw = await startGateway(`plugins:\n    cache: {}${keys}`, openAIEnv(upstream));
    try {
      const before = callsTo(upstream, '/chat/completions');
      const alpha = await ask(client(gw.baseURL, 'tg-alpha'), 'scoped');
      assert.equal((await ask(client(gw.baseURL, 'tg-beta'), 'scoped')).cache, 'miss', 'another consumer does not see alpha\'s entry');
      const alphaAgain = await ask(client(gw.baseURL, 'tg-alpha-2'), 'scoped');
      assert.equal(alphaAgain.cache, 'hit', 'the same consumer with another key does');
      assert.equal(alphaAgain.text, alpha.text);
      assert.equal(callsTo(upstream, '/chat/completions') - before, 2);
      // An unauthenticated request is refused before the cache (auth runs first).
      await assert.rejects(ask(client(gw.baseURL, 'tg-nobody'), 'scoped'), (error: { status?: number }) => error.status === 401);
    } finally {
      await gw.close();
    }
    const sharedGw = await startGateway(`plugins:\n    cache: { shared: true }${keys}`, openAIEnv(upstream));
    try {
      await ask(client(sharedGw.baseURL, 'tg-alpha'), 'shared scope');
      assert.equal((await ask(client(sharedGw.baseURL, 'tg-beta'), 'shared scope')).cache, 'hit');
    } finally {
      await sharedGw.close();
    }
  });

  it('rejects a bad config with its path', async () => {
    await assert.rejects(startGateway('plugins: { cache: { ttl: soon } }', openAIEnv(upstream)), /plugins\.cache\.ttl/);
  });
});
