import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

/** An OpenAI-compatible stand-in that repeats the last user message: what it was sent shows in the answer. */
async function startEchoStandIn(): Promise<StandIn> {
  return startStandIn((request, response) => {
    const body = request.json as { messages: Array<{ role: string; content: string }> };
    const last = body.messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: 'chatcmpl-echo', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: `You said: ${last}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 } }));
  });
}

const aliceKey = 'tg-alice-0123456789abcdef01';
const bobKey = 'tg-bob-0123456789abcdef0123';
const carolKey = 'tg-carol-0123456789abcdef01';

/**
 * The cache keys on what makes one caller's answer its own (the cacheroute audit): masked values
 * the pii plugin restores into the answer (two people's e-mails mask to one upstream request, and
 * the stored answer held the first one's, served to the second), and a caller's own plugins (with
 * `shared: true`, a consumer whose own pii redacts answers got another's unredacted answer).
 */
describe('cache entries hold answers only the callers they belong to get', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startEchoStandIn();
    gw = await startGateway(`
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1" }
routes:
  - match: { model: masked }
    model: up/m
    plugins: { pii: { request: mask }, cache: { ttl: 60s } }
  - match: { model: masked-shared }
    model: up/m
    plugins: { pii: { request: mask }, cache: { ttl: 60s, shared: true } }
  - match: { model: shared }
    model: up/m
    plugins: { cache: { ttl: 60s, shared: true } }
consumers:
  bob:
    plugins: { pii: { request: "off", response: redact } }
plugins:
  key-auth:
    keys:
      - { key: "${aliceKey}", consumer: alice }
      - { key: "${bobKey}", consumer: bob }
      - { key: "${carolKey}", consumer: carol }
`);
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function ask(key: string, model: string, content: string): Promise<{ text: string; cache: string | null }> {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: key, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content }] }).withResponse();
    return { text: data.choices[0].message.content ?? '', cache: response.headers.get('x-tollgate-cache') };
  }

  it('masked values: one key, two people: each gets their own e-mail back; the same person again is a hit', async () => {
    const first = await ask(aliceKey, 'masked', 'Please repeat my contact email exactly: alice.smith@example.com');
    assert.deepEqual(first, { text: 'You said: Please repeat my contact email exactly: alice.smith@example.com', cache: 'miss' });
    const second = await ask(aliceKey, 'masked', 'Please repeat my contact email exactly: bob.jones@example.org');
    assert.equal(second.text, 'You said: Please repeat my contact email exactly: bob.jones@example.org');
    assert.equal(second.cache, 'miss');
    const again = await ask(aliceKey, 'masked', 'Please repeat my contact email exactly: alice.smith@example.com');
    assert.deepEqual(again, { text: first.text, cache: 'hit' });
    assert.equal(upstream.requests.length, 2);
    for (const request of upstream.requests) assert.match(JSON.stringify(request.json), /<EMAIL_1>/);
  });

  it('masked values with shared: true: another consumer with the same masked request gets its own values', async () => {
    await ask(aliceKey, 'masked-shared', 'I am reachable at alice.smith@example.com, card 4111 1111 1111 1111');
    const carol = await ask(carolKey, 'masked-shared', 'I am reachable at carol.white@example.org, card 5555 5555 5555 4444');
    assert.equal(carol.cache, 'miss');
    assert.equal(carol.text, 'You said: I am reachable at carol.white@example.org, card 5555 5555 5555 4444');
  });

  it("shared: true: a consumer's own response guardrails apply to what it is served; callers with the route's plugins alone still share", async () => {
    const prompt = 'Please repeat: carol.white@example.com';
    const alice = await ask(aliceKey, 'shared', prompt);
    assert.equal(alice.text, `You said: ${prompt}`);
    const bob = await ask(bobKey, 'shared', prompt);
    assert.equal(bob.text, 'You said: Please repeat: [EMAIL]');
    assert.equal(bob.cache, 'miss');
    const bobAgain = await ask(bobKey, 'shared', prompt);
    assert.deepEqual(bobAgain, { text: bob.text, cache: 'hit' });
    const carol = await ask(carolKey, 'shared', prompt);
    assert.deepEqual(carol, { text: alice.text, cache: 'hit' });
  });
});
