import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// A key limited to `gpt-4o*` sent `model: gpt-4o` with `x-tier: premium`, a header a route
// matched, and the route sent it to a `gpt-5` group: 200, billed to the operator (audit sec3,
// finding 1). The group a route, a rule or a split picks must be allowed too
// (src/identity/routed-model-rule.ts); aliases, names only routes define and fallbacks keep working.

const limited = 'tg-limited-routed-aaaaaaaaaaaaaaaaaaaa';
const withSmart = 'tg-smart-routed-bbbbbbbbbbbbbbbbbbbbbb';
const withAssistant = 'tg-assistant-routed-cccccccccccccccccc';

interface Answer {
  status: number;
  model: string | null;
  error?: { type: string; code: string; message: string; param: unknown };
}

describe("a key's allowed models hold for the model routing picks", () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; messages: Array<{ content: string }> };
      if (body.model === 'gpt-4o-mini' && body.messages.at(-1)?.content === 'fail the primary') {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error', param: null, code: null } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
    gw = await startGateway(`
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: sk-operator, models: [gpt-4o, gpt-4o-mini, gpt-5] }
models:
  smart:        { targets: [{ provider: up, model: gpt-5 }] }
  gpt-4o-group: { targets: [{ provider: up, model: gpt-4o }] }
  assistant-v1: { targets: [{ provider: up, model: gpt-5 }] }
  assistant-v2: { targets: [{ provider: up, model: gpt-5 }] }
routing: { retry: { attempts: 1 } }
routes:
  - { name: premium-header, match: { headers: { x-tier: premium } }, model: smart }
  - { name: basic-header, match: { headers: { x-tier: basic } }, model: gpt-4o-group }
  - name: escalating-rule
    match: { model: gpt-4o-mini }
    rules: [{ name: escalate, when: { last_user_message_contains: [escalate] }, model: smart }]
    fallbacks: [smart]
  - { name: split-real-name, match: { model: up/gpt-4o }, split: [{ model: smart, weight: 1 }] }
  - { name: assistant-canary, match: { model: assistant }, split: [{ model: assistant-v1, weight: 1 }, { model: assistant-v2, weight: 1 }] }
plugins:
  key-auth:
    keys:
      - { key: ${limited}, consumer: limited-app, models: ["gpt-4o*"] }
      - { key: ${withSmart}, consumer: smart-app, models: ["gpt-4o*", smart] }
      - { key: ${withAssistant}, consumer: assistant-app, models: ["gpt-4o*", assistant] }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function chat(key: string, model: string, headers: Record<string, string> = {}, content = 'hello'): Promise<Answer> {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers }, body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });
    const body = (await response.json()) as { error?: Answer['error'] };
    return { status: response.status, model: response.headers.get('x-tollgate-model'), error: body.error };
  }

  function assertRefused(answer: Answer, routed: string, label: string): void {
    assert.equal(answer.status, 403, label);
    assert.equal(answer.error?.type, 'permission_error', label);
    assert.equal(answer.error?.code, 'model_not_allowed', label);
    assert.equal(answer.error?.param, 'model', label);
    assert.match(answer.error?.message ?? '', new RegExp(`'${routed}'`), label);
  }

  it('refuses a route a header selects when its group is not allowed, and nothing goes upstream', async () => {
    const sent = upstream.requests.length;
    assertRefused(await chat(limited, 'gpt-4o', { 'x-tier': 'premium' }), 'smart', 'header route to smart');
    // Any name the key allows, even one that names nothing: the route matches every model.
    assertRefused(await chat(limited, 'gpt-4o-made-up', { 'x-tier': 'premium' }), 'smart', 'a made-up allowed name');
    assertRefused(await chat(withAssistant, 'assistant', { 'x-tier': 'premium' }), 'smart', 'a route-defined name selected by a header');
    assert.equal(upstream.requests.length, sent, 'no refused request reached the provider');
  });

  it('refuses a content rule and a split that send an allowed name to a group the key may not use', async () => {
    const sent = upstream.requests.length;
    assertRefused(await chat(limited, 'gpt-4o-mini', {}, 'please escalate'), 'smart', 'rule');
    assertRefused(await chat(limited, 'up/gpt-4o'), 'smart', 'split');
    assert.equal(upstream.requests.length, sent);
  });

  it('serves routes to allowed groups, and the same route for a key that allows its group', async () => {
    const basic = await chat(limited, 'gpt-4o', { 'x-tier': 'basic' });
    assert.equal(basic.status, 200);
    assert.equal(basic.model, 'gpt-4o');
    const premium = await chat(withSmart, 'gpt-4o', { 'x-tier': 'premium' });
    assert.equal(premium.status, 200, 'a key that allows smart reaches it through the route');
    assert.equal(premium.model, 'gpt-5');
    assert.equal((await chat(limited, 'gpt-4o-mini')).status, 200, 'the rule that does not fire leaves the name the client sent');
    assert.equal((await chat(limited, 'gpt-4o')).status, 200);
  });

  it('keeps names the client chose: an alias, and a name only a route defines (the canary)', async () => {
    assert.equal((await chat(withSmart, 'smart')).status, 200, 'an allowed alias serves whatever is behind it');
    assertRefused(await chat(limited, 'smart'), 'smart', 'an alias the key does not allow');
    for (const session of ['a', 'b', 'c', 'd']) {
      const canary = await chat(withAssistant, 'assistant', { 'x-session-id': session });
      assert.equal(canary.status, 200, `session ${session}: the canary's variants are what "assistant" means`);
      assert.equal(canary.model, 'gpt-5');
    }
  });

  it("does not check the operator's failover: a failing allowed model moves to its route's fallback", async () => {
    const answer = await chat(limited, 'gpt-4o-mini', {}, 'fail the primary');
    assert.equal(answer.status, 200);
    assert.equal(answer.model, 'gpt-5');
  });
});
