import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

describe('canary split, rules and caller metadata through the gateway', () => {
  let gw: RunningGateway;

  before(async () => {
    gw = await startGateway(`
plugins:
  key-auth:
    keys:
      - { key: tg-gold-key, consumer: acme, metadata: { tier: premium } }
      - { key: tg-free-key, consumer: bob, metadata: { tier: free } }
models:
  stable:    { targets: [{ provider: echo, model: stable-v1 }] }
  candidate: { targets: [{ provider: echo, model: candidate-v2 }] }
  premium:   { targets: [{ provider: echo, model: premium-model }] }
  long:      { targets: [{ provider: echo, model: long-context }] }
  vision:    { targets: [{ provider: echo, model: vision-model }] }
  code:      { targets: [{ provider: echo, model: code-model }] }
routes:
  - name: premium-callers
    match: { model: assistant, metadata: { tier: premium } }
    model: premium
  - name: canary
    match: { model: assistant }
    split: [{ model: stable, weight: 80 }, { model: candidate, weight: 20, name: v2 }]
    split_on: [header:x-session-id, consumer]
  - name: smart
    match: { model: smart }
    model: stable
    rules:
      - { when: { prompt_tokens_above: 500 }, model: long }
      - { when: { has_images: true }, model: vision }
      - { when: { last_user_message_matches: "/\\\\bSELECT\\\\b/i" }, model: code }
      - { when: { tier: premium }, model: premium }
`);
  });
  after(() => gw.close());

  async function ask(model: string, key: string, headers: Record<string, string> = {}, content: unknown = 'hello there'): Promise<Response> {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...headers }, body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });
    assert.equal(response.status, 200, await response.clone().text());
    await response.arrayBuffer();
    return response;
  }

  it('splits traffic by weight, sticky per session, and names the variant', async () => {
    const counts = new Map<string, number>();
    for (let session = 0; session < 400; session++) {
      const response = await ask('assistant', 'tg-free-key', { 'x-session-id': `s${session}` });
      const variant = response.headers.get('x-tollgate-variant')!;
      counts.set(variant, (counts.get(variant) ?? 0) + 1);
      assert.equal(response.headers.get('x-tollgate-model'), variant === 'v2' ? 'candidate-v2' : 'stable-v1');
      assert.equal(response.headers.get('x-tollgate-route'), 'canary');
      if (session % 50 === 0) {
        for (let again = 0; again < 3; again++) assert.equal((await ask('assistant', 'tg-free-key', { 'x-session-id': `s${session}` })).headers.get('x-tollgate-variant'), variant);
      }
    }
    const share = (counts.get('v2') ?? 0) / 400;
    assert.ok(share > 0.13 && share < 0.27, `v2 share ${share}`);
  });

  it('is sticky per consumer when there is no session header', async () => {
    const first = (await ask('assistant', 'tg-free-key')).headers.get('x-tollgate-variant');
    for (let again = 0; again < 5; again++) assert.equal((await ask('assistant', 'tg-free-key')).headers.get('x-tollgate-variant'), first);
  });

  it('a route can match caller metadata (after authentication)', async () => {
    const response = await ask('assistant', 'tg-gold-key');
    assert.equal(response.headers.get('x-tollgate-route'), 'premium-callers');
    assert.equal(response.headers.get('x-tollgate-model'), 'premium-model');
    assert.equal(response.headers.get('x-tollgate-variant'), null);
  });

  it('content rules pick the group; the default group otherwise (with the OpenAI SDK)', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'tg-free-key', maxRetries: 0 });
    const modelFor = async (content: OpenAI.Chat.Completions.ChatCompletionMessageParam['content'], apiKey = 'tg-free-key') => {
      const sdk = apiKey === 'tg-free-key' ? client : new OpenAI({ baseURL: gw.baseURL, apiKey, maxRetries: 0 });
      const { response } = await sdk.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content } as OpenAI.Chat.Completions.ChatCompletionUserMessageParam] }).withResponse();
      return response.headers.get('x-tollgate-model');
    };
    assert.equal(await modelFor('word '.repeat(800)), 'long-context');
    assert.equal(await modelFor([{ type: 'text', text: 'what is it' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }]), 'vision-model');
    assert.equal(await modelFor('select * from users please'), 'code-model');
    assert.equal(await modelFor('hello', 'tg-gold-key'), 'premium-model');
    assert.equal(await modelFor('hello'), 'stable-v1');
  });
});
