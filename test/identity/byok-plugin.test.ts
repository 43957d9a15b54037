import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { audience, hsKey, hsSecret, issuer, sign } from './jwt-helpers.ts';

const messages = [{ role: 'user' as const, content: 'hi' }];

function client(gw: RunningGateway, apiKey: string, defaultHeaders?: Record<string, string>): OpenAI {
  return new OpenAI({ baseURL: gw.baseURL, apiKey, maxRetries: 0, defaultHeaders });
}

describe('byok plugin: the client\'s own provider key, per route', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let jwtGateway: RunningGateway;

  const lastAuthorization = () => upstream.requests.at(-1)?.headers.authorization;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      if (request.headers.authorization === undefined) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: "You didn't provide an API key.", type: 'invalid_request_error', param: null, code: null } }));
        return;
      }
      if (String(request.headers.authorization).includes('wrong')) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'Incorrect API key provided: sk-wr***ong1.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
    const providers = `providers:
  up:     { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: "sk-gateway" }
  keyless: { type: openai, base_url: "${upstream.url}/v1" }
  revoked: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: "sk-wrong-gateway-key1" }
  nokey:   { type: openai-compatible, base_url: "${upstream.url}/v1" }
models:
  theirs:   { targets: [{ provider: up, model: m }] }
  ours:     { targets: [{ provider: up, model: m }] }
  keyless-group: { targets: [{ provider: keyless, model: m }] }
routes:
  - { name: bring-your-own, match: { model: theirs }, plugins: { byok: { providers: [up] } } }
  - { name: keyless-byok, match: { model: keyless-group }, plugins: { byok: { providers: ["*"] } } }
`;
    gw = await startGateway(providers);
    jwtGateway = await startGateway(`${providers}plugins:\n  jwt: { secret: "${hsSecret}", issuer: "${issuer}", audience: ${audience}, auto_create: true }\n`);
  });
  after(async () => {
    await gw.close();
    await jwtGateway.close();
    await upstream.close();
  });

  it('on its route, the client\'s key (x-provider-api-key or Bearer) goes upstream instead of the gateway\'s', async () => {
    await client(gw, 'unused', { 'x-provider-api-key': 'sk-client-header' }).chat.completions.create({ model: 'theirs', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-client-header');
    await client(gw, 'sk-client-bearer').chat.completions.create({ model: 'theirs', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-client-bearer');
    // A gateway key is never forwarded.
    await client(gw, 'tg-a-gateway-key').chat.completions.create({ model: 'theirs', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-gateway');
  });

  it("a provider's 401 names whose key it refused: the client's own key as the provider said, the gateway's credential as the operator's to fix", async () => {
    const refusal = async (apiKey: string, model: string) => {
      const error = await client(gw, apiKey).chat.completions.create({ model, messages }).then(
        () => assert.fail('expected a 401'),
        (failure: unknown) => failure as APIError,
      );
      assert.equal(error.status, 401);
      assert.equal(error.code, 'invalid_api_key');
      return error.message;
    };
    assert.equal(await refusal('sk-client-wrong-key1', 'theirs'), '401 Incorrect API key provided: sk-wr***ong1.');
    assert.equal(await refusal('unused', 'revoked/m'), "401 Provider 'revoked' refused the credential the gateway holds for it (not the key this request sent): Incorrect API key provided: sk-wr***ong1.");
  });

  it("a provider's 401 to a call that went without any key keeps the provider's own message (the gateway holds none)", async () => {
    const error = await client(gw, 'unused').chat.completions.create({ model: 'nokey/m', messages }).then(
      () => assert.fail('expected a 401'),
      (failure: unknown) => failure as APIError,
    );
    assert.equal(error.status, 401);
    assert.equal(error.message, "401 You didn't provide an API key.");
  });

  it('is off by default: on other routes the client\'s key is ignored', async () => {
    await client(gw, 'sk-client-bearer', { 'x-provider-api-key': 'sk-client-header' }).chat.completions.create({ model: 'ours', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-gateway');
    await client(gw, 'sk-client-bearer').chat.completions.create({ model: 'up/m', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-gateway');
  });

  it('makes a provider with no key of its own usable with the client\'s key, and says so when none is sent', async () => {
    await client(gw, 'sk-only-the-client-has').chat.completions.create({ model: 'keyless-group', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-only-the-client-has');
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'keyless-group', messages }) });
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'missing_provider_key');
  });

  it('with jwt: the JWT that authenticated the request is never forwarded; the provider key comes in x-provider-api-key', async () => {
    const token = await sign(hsKey(), 'HS256');
    await client(jwtGateway, token).chat.completions.create({ model: 'theirs', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-gateway');
    await client(jwtGateway, token, { 'x-provider-api-key': 'sk-client-header' }).chat.completions.create({ model: 'theirs', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-client-header');
    try {
      await client(jwtGateway, 'sk-client-bearer').chat.completions.create({ model: 'theirs', messages });
      assert.fail('without a JWT the request is refused');
    } catch (error) {
      assert.ok(error instanceof APIError);
      assert.equal(error.status, 401);
    }
  });
});

describe('byok never forwards the credential that authenticated the request', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let jwtGateway: RunningGateway;
  const declared = 'declared-plain-key-no-prefix-777';
  const lastAuthorization = () => upstream.requests.at(-1)?.headers.authorization;

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
    const providers = `providers:
  other: { type: openai-compatible, base_url: "${upstream.url}/v1", byok: true, api_key: "sk-operator" }
`;
    gw = await startGateway(`${providers}plugins:\n  key-auth: { keys: [{ key: ${declared}, consumer: app }] }\n`);
    jwtGateway = await startGateway(`${providers}plugins:\n  jwt: { secret: "${hsSecret}", issuer: "${issuer}", audience: ${audience}, auto_create: true, header: x-provider-api-key }\n`);
  });
  after(async () => {
    await gw.close();
    await jwtGateway.close();
    await upstream.close();
  });

  it('a declared key without the tg- prefix authenticates the caller and the operator\'s key goes upstream', async () => {
    await client(gw, declared).chat.completions.create({ model: 'other/m', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-operator');
    // Also when the same key is repeated in the BYOK header.
    await client(gw, declared, { 'x-provider-api-key': declared }).chat.completions.create({ model: 'other/m', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-operator');
    // A provider key beside it still goes upstream.
    await client(gw, 'sk-client-own', { 'x-api-key': declared }).chat.completions.create({ model: 'other/m', messages });
    assert.equal(lastAuthorization(), 'Bearer sk-client-own');
  });

  it('a JWT read from any header is never the provider key', async () => {
    const token = await sign(hsKey(), 'HS256');
    await client(jwtGateway, 'unused', { 'x-provider-api-key': token }).chat.completions.create({ model: 'other/m', messages });
    assert.equal(lastAuthorization(), 'Bearer unused');
    assert.notEqual(lastAuthorization(), `Bearer ${token}`);
  });
});

describe("byok on failover: the client's key goes only to the provider it was first used with", () => {
  let first: StandIn;
  let second: StandIn;
  let gw: RunningGateway;
  const ok = JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
  const answer: Parameters<typeof startStandIn>[0] = (request, response) => {
    const failing = (request.json as { model?: string } | undefined)?.model === 'fail';
    response.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' });
    response.end(failing ? JSON.stringify({ error: { message: 'The server had an error.', type: 'server_error', param: null, code: null } }) : ok);
  };
  const byokClient = () => client(gw, 'unused', { 'x-provider-api-key': 'sk-CLIENT-KEY-FOR-FIRST' });

  before(async () => {
    first = await startStandIn(answer);
    second = await startStandIn(answer);
    gw = await startGateway(`providers:
  first:   { type: openai-compatible, base_url: "${first.url}/v1", byok: true, api_key: "sk-operator-first" }
  twin:    { type: openai-compatible, base_url: "${first.url}/v1", byok: true }
  second:  { type: openai-compatible, base_url: "${second.url}/v1", byok: true, api_key: "sk-operator-second" }
  keyless: { type: openai, base_url: "${second.url}/v1", byok: true }
models:
  to-second:  { strategy: priority, targets: [{ provider: first, model: fail }, { provider: second, model: m }] }
  to-keyless: { strategy: priority, targets: [{ provider: first, model: fail }, { provider: keyless, model: m }] }
  to-twin:    { strategy: priority, targets: [{ provider: first, model: fail }, { provider: twin, model: m }] }
  only-first: { targets: [{ provider: first, model: fail }] }
  only-keyless: { targets: [{ provider: keyless, model: m }] }
routes:
  - { match: { model: only-first }, fallbacks: [only-keyless] }
`);
  });
  after(async () => {
    await gw.close();
    await first.close();
    await second.close();
  });

  it("a retry on another provider goes with that provider's own credential, never the client's key", async () => {
    await byokClient().chat.completions.create({ model: 'to-second', messages });
    assert.equal(first.requests.at(-1)?.headers.authorization, 'Bearer sk-CLIENT-KEY-FOR-FIRST');
    assert.equal(second.requests.at(-1)?.headers.authorization, 'Bearer sk-operator-second');
  });

  it('a provider with no credential of its own is skipped: the client gets the first provider\'s error', async () => {
    const sent = second.requests.length;
    const error = await byokClient().chat.completions.create({ model: 'to-keyless', messages }).then(
      () => assert.fail('expected the first provider\'s 500'),
      (failure: unknown) => failure as APIError,
    );
    assert.equal(error.status, 500);
    assert.equal(second.requests.length, sent);
  });

  it('a fallback group left with no provider the key may go to says why', async () => {
    const sent = second.requests.length;
    const error = await byokClient().chat.completions.create({ model: 'only-first', messages }).then(
      () => assert.fail('expected a refusal'),
      (failure: unknown) => failure as APIError,
    );
    assert.equal(second.requests.length, sent);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'missing_provider_key');
    assert.match(error.message, /only to the provider it was first used with \('first'/);
  });

  it('a provider of the same type and base URL as the first may get it', async () => {
    await byokClient().chat.completions.create({ model: 'to-twin', messages });
    assert.equal(first.requests.at(-1)?.headers.authorization, 'Bearer sk-CLIENT-KEY-FOR-FIRST');
    assert.equal((first.requests.at(-1)?.json as { model: string }).model, 'm');
  });
});

describe('byok: true on a provider with no credential of its own: the client must bring a key', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let keyAuthGateway: RunningGateway;
  const ok = JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
  const lastAuthorization = () => upstream.requests.at(-1)?.headers.authorization;

  before(async () => {
    // A server that answers whoever calls: only the gateway can refuse a call without a key.
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(ok);
    });
    const providers = `providers:
  byo:   { type: openai-compatible, base_url: "${upstream.url}/v1", byok: true, models: [b1] }
  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [l1] }
routes:
  - { match: { model: "local/*" }, plugins: { byok: { providers: ["*"] } } }
`;
    gw = await startGateway(providers);
    keyAuthGateway = await startGateway(`${providers}plugins:\n  key-auth: { keys: [{ key: tg-declared-key, consumer: app }] }\n`);
  });
  after(async () => {
    await gw.close();
    await keyAuthGateway.close();
    await upstream.close();
  });

  async function refused(response: Response): Promise<void> {
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'missing_provider_key');
    assert.match(body.error.message, /'byo'/);
  }
  const chat = (gateway: RunningGateway, model: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model, messages }) });

  it('answers 401 missing_provider_key without calling upstream when no client key comes', async () => {
    const sent = upstream.requests.length;
    await refused(await chat(gw, 'byo/b1'));
    await refused(await chat(gw, 'b1'));
    await refused(await chat(gw, 'byo/b1', { authorization: 'Bearer tg-looks-like-a-gateway-key' }));
    // Only gateway credentials: the key key-auth accepted (also repeated as the provider key), an unknown tg- key.
    await refused(await chat(keyAuthGateway, 'byo/b1', { authorization: 'Bearer tg-declared-key' }));
    await refused(await chat(keyAuthGateway, 'byo/b1', { authorization: 'Bearer tg-declared-key', 'x-provider-api-key': 'tg-declared-key' }));
    assert.equal(upstream.requests.length, sent, 'no call went upstream without a credential');
  });

  it("sends the client's key when one comes", async () => {
    assert.equal((await chat(gw, 'byo/b1', { authorization: 'Bearer sk-client-own' })).status, 200);
    assert.equal(lastAuthorization(), 'Bearer sk-client-own');
    assert.equal((await chat(keyAuthGateway, 'byo/b1', { authorization: 'Bearer tg-declared-key', 'x-provider-api-key': 'sk-client-header' })).status, 200);
    assert.equal(lastAuthorization(), 'Bearer sk-client-header');
  });

  it('is still listed in /v1/models (usable with a client key)', async () => {
    const listing = (await (await fetch(`${gw.baseURL}/models`)).json()) as { data: Array<{ id: string }> };
    assert.ok(listing.data.some((model) => model.id === 'byo/b1'));
  });

  it('a keyless server (no byok: true of its own) stays keyless, also on a route where the byok plugin lists every provider', async () => {
    assert.equal((await chat(gw, 'local/l1')).status, 200);
    assert.equal(lastAuthorization(), undefined);
    assert.equal((await chat(gw, 'local/l1', { authorization: 'Bearer sk-client-for-local' })).status, 200);
    assert.equal(lastAuthorization(), 'Bearer sk-client-for-local');
  });
});

describe('byok refuses a gateway key sent as the provider key', () => {
  // A caller's own key plus another consumer's `tg-` key in x-provider-api-key: that key went to
  // the provider (audit sec3, finding 6). A gateway key is never a provider key: 400 naming the header.
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
    gw = await startGateway(`providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: "sk-operator" }
models:
  theirs: { targets: [{ provider: up, model: m }] }
routes:
  - { name: bring-your-own, match: { model: theirs }, plugins: { byok: { providers: [up] } } }
plugins:
  key-auth: { keys: [{ key: tg-own-key-0000000000, consumer: app }, { key: tg-victim-key-1111111111, consumer: victim }] }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const chat = (headers: Record<string, string>) =>
    fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer tg-own-key-0000000000', ...headers }, body: JSON.stringify({ model: 'theirs', messages }) });

  it('answers 400 naming x-provider-api-key and calls nothing, for another key, an unknown one and the caller\'s own', async () => {
    const sent = upstream.requests.length;
    for (const providerKey of ['tg-victim-key-1111111111', 'tg-unknown', ' tg-victim-key-1111111111 ', 'tg-own-key-0000000000']) {
      const response = await chat({ 'x-provider-api-key': providerKey });
      assert.equal(response.status, 400, providerKey);
      const body = (await response.json()) as { error: { type: string; param: string; message: string } };
      assert.equal(body.error.type, 'invalid_request_error');
      assert.equal(body.error.param, 'x-provider-api-key');
      assert.ok(!body.error.message.includes(providerKey.trim()), 'the key is not echoed');
    }
    assert.equal(upstream.requests.length, sent, 'no gateway key reached the provider');
  });

  it('still sends a provider key in the same header', async () => {
    assert.equal((await chat({ 'x-provider-api-key': 'sk-client-own' })).status, 200);
    assert.equal(upstream.requests.at(-1)?.headers.authorization, 'Bearer sk-client-own');
  });
});
