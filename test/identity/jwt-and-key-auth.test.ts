import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { audience, hsKey, hsSecret, issuer, sign } from './jwt-helpers.ts';

const adminToken = 'admin-secret-for-jwt-tests';
const messages = [{ role: 'user' as const, content: 'hello' }];

async function admin<T = Record<string, unknown>>(gw: RunningGateway, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = (await response.json()) as T;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

function client(gw: RunningGateway, apiKey: string, defaultHeaders?: Record<string, string>): OpenAI {
  return new OpenAI({ baseURL: gw.baseURL, apiKey, maxRetries: 0, defaultHeaders });
}

async function refusal(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  assert.fail('expected the gateway to refuse');
}

describe('jwt on the data plane, alone and together with key-auth', () => {
  let both: RunningGateway;
  let jwtOnly: RunningGateway;
  let key: string;

  before(async () => {
    const jwtConfig = `jwt: { secret: "${hsSecret}", issuer: "${issuer}", audience: ${audience}, auto_create: true, claims: { tier: tier } }`;
    both = await startGateway(
      `admin: { tokens: [{ token: ${adminToken}, role: admin }] }
models:
  gold-group: { targets: [{ provider: echo, model: gold }] }
  std: { targets: [{ provider: echo, model: standard }] }
routes:
  - { name: gold-callers, match: { model: std, metadata: { tier: gold } }, model: gold-group }
plugins:
  key-auth: {}
  ${jwtConfig}
`,
    );
    jwtOnly = await startGateway(`plugins:\n  ${jwtConfig}\n`);
    await admin(both, 'POST', '/consumers', { name: 'keyed-app' });
    key = (await admin<{ key: string }>(both, 'POST', '/keys', { consumer: 'keyed-app' })).key;
  });
  after(async () => {
    await both.close();
    await jwtOnly.close();
  });

  it('jwt alone: a valid token passes; no token and a bad token get OpenAI-shaped 401s', async () => {
    const answer = await client(jwtOnly, await sign(hsKey(), 'HS256')).chat.completions.create({ model: 'echo/x', messages });
    assert.equal(answer.choices[0].message.content, 'hello');

    const none = await fetch(`${jwtOnly.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages }) });
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'missing_token');

    const notJwt = await refusal(client(jwtOnly, 'tg-not-a-jwt').chat.completions.create({ model: 'echo/x', messages }));
    assert.equal(notJwt.status, 401);
    assert.equal(notJwt.code, 'invalid_token', 'a credential was presented: it is refused, not taken for none');
    assert.equal(notJwt.type, 'authentication_error');
    assert.match(notJwt.message, /holds no JWT/);

    const expired = await sign(hsKey(), 'HS256', { exp: Math.floor(Date.now() / 1000) - 3600 });
    const bad = await refusal(client(jwtOnly, expired).chat.completions.create({ model: 'echo/x', messages }));
    assert.equal(bad.status, 401);
    assert.equal(bad.code, 'invalid_token');
    assert.match(bad.message, /expired/);
    assert.ok(!bad.message.includes(expired));
  });

  it('an unsigned token (alg none, empty signature) is a presented token refused as invalid_token, not "no token"', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'app1', iss: issuer, aud: audience, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    for (const gw of [jwtOnly, both]) {
      const refused = await refusal(client(gw, unsigned).chat.completions.create({ model: 'echo/x', messages }));
      assert.equal(refused.status, 401);
      assert.equal(refused.code, 'invalid_token');
      assert.ok(!refused.message.includes(unsigned), 'the message does not echo the token');
    }
  });

  it('either credential authenticates when both plugins are on', async () => {
    const byKey = await client(both, key).chat.completions.create({ model: 'echo/x', messages });
    assert.equal(byKey.choices[0].message.content, 'hello');
    const byToken = await client(both, await sign(hsKey(), 'HS256', { sub: 'token-app' })).chat.completions.create({ model: 'echo/x', messages });
    assert.equal(byToken.choices[0].message.content, 'hello');
    // The gateway key in x-api-key with an expired JWT as Bearer: key-auth accepts, jwt does not veto.
    const expired = await sign(hsKey(), 'HS256', { exp: Math.floor(Date.now() / 1000) - 3600 });
    const mixed = await client(both, expired, { 'x-api-key': key }).chat.completions.create({ model: 'echo/x', messages });
    assert.equal(mixed.choices[0].message.content, 'hello');
  });

  it('refuses with the most telling reason when neither accepts', async () => {
    const expired = await sign(hsKey(), 'HS256', { exp: Math.floor(Date.now() / 1000) - 3600 });
    const badToken = await refusal(client(both, expired).chat.completions.create({ model: 'echo/x', messages }));
    assert.equal(badToken.status, 401);
    assert.equal(badToken.code, 'invalid_token', 'the presented JWT failed: that is the reason, not "unknown key"');

    const wrongKey = await refusal(client(both, 'tg-wrong').chat.completions.create({ model: 'echo/x', messages }));
    assert.equal(wrongKey.code, 'invalid_api_key');

    const response = await fetch(`${both.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages }) });
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'missing_token', 'the first plugin by priority names the code');
    assert.match(body.error.message, /JWT.*Or: .*API key/s, 'the message names both ways in');
    assert.ok(response.headers.get('x-request-id'));
  });

  it('maps the tier claim to caller metadata, which routes match on; auto_create made the consumer', async () => {
    const gold = await client(both, await sign(hsKey(), 'HS256', { sub: 'gold-app', tier: 'gold' })).chat.completions.create({ model: 'std', messages }).withResponse();
    assert.equal(gold.response.headers.get('x-tollgate-route'), 'gold-callers');
    assert.equal(gold.response.headers.get('x-tollgate-model'), 'gold');
    const plain = await client(both, await sign(hsKey(), 'HS256', { sub: 'plain-app' })).chat.completions.create({ model: 'std', messages }).withResponse();
    assert.equal(plain.response.headers.get('x-tollgate-model'), 'standard');
    const consumers = await admin<{ data: Array<{ name: string }> }>(both, 'GET', '/consumers');
    assert.ok(consumers.data.some((consumer) => consumer.name === 'gold-app'));
  });
});
