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
