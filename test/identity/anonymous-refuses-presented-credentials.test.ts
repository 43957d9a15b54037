import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { audience, hsKey, hsSecret, issuer, sign } from './jwt-helpers.ts';

// With jwt and anonymous on a route, a damaged token (cut to two segments, a stray character, a
// space inside) or a Bearer that is no JWT was served as the anonymous consumer: jwt took it for
// "no token" (audit auth-security, LOW-1). A presented credential that no plugin accepts is a 401.

const adminToken = 'admin-secret-for-anonymous-credential-tests';
const messages = [{ role: 'user', content: 'hi' }];

interface Answer {
  status: number;
  requestId: string | null;
  error?: { type: string; code: string; message: string; param: unknown };
}

async function chat(gw: RunningGateway, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'echo/x', messages, user: 'u' }) });
  const body = (await response.json()) as { error?: Answer['error'] };
  return { status: response.status, requestId: response.headers.get('x-request-id'), error: body.error };
}

/** Requests per consumer the ledger recorded (refusals before authentication have none and are left out). */
async function consumersServed(gw: RunningGateway): Promise<string> {
  const response = await fetch(`${gw.adminUrl}/usage?group_by=consumer`, { headers: { authorization: `Bearer ${adminToken}` } });
  const report = (await response.json()) as { data: Array<{ consumer: string | null; requests: number }> };
  return report.data.filter((row) => row.consumer !== null).map((row) => `${row.consumer}:${row.requests}`).sort().join(',');
}

describe('anonymous beside jwt (and key-auth): a presented credential never becomes anonymous access', () => {
  let jwtAnonymous: RunningGateway;
  let allThree: RunningGateway;
  let token: string;
  let key: string;

  before(async () => {
    const jwt = `jwt: { secret: "${hsSecret}", issuer: "${issuer}", audience: ${audience}, auto_create: true }`;
    const admin = `admin: { tokens: [{ token: ${adminToken}, role: admin }] }`;
    jwtAnonymous = await startGateway(`server: { host: 127.0.0.1 }\n${admin}\nplugins:\n  ${jwt}\n  anonymous: { consumer: anon }\n`);
    allThree = await startGateway(`server: { host: 127.0.0.1 }\n${admin}\nplugins:\n  ${jwt}\n  key-auth: {}\n  anonymous: { consumer: anon }\n`);
    token = await sign(hsKey(), 'HS256', { sub: 'token-app' });
    const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    await fetch(`${allThree.adminUrl}/consumers`, { method: 'POST', headers, body: JSON.stringify({ name: 'keyed-app' }) });
    key = ((await (await fetch(`${allThree.adminUrl}/keys`, { method: 'POST', headers, body: JSON.stringify({ consumer: 'keyed-app' }) })).json()) as { key: string }).key;
  });
  after(async () => {
    await jwtAnonymous.close();
    await allThree.close();
  });

  function damagedForms(): Array<[string, Record<string, string>, string]> {
    const [header, payload, signature] = token.split('.');
    return [
      ['a token cut to two segments', { authorization: `Bearer ${header}.${payload}` }, 'invalid_token'],
      ['a stray character appended', { authorization: `Bearer ${token}!` }, 'invalid_token'],
      ['a space inside the signature', { authorization: `Bearer ${header}.${payload}.${signature.slice(0, 8)} ${signature.slice(8)}` }, 'invalid_token'],
      ['a space between segments', { authorization: `Bearer ${header}.${payload} .${signature}` }, 'invalid_token'],
      ['Bearer sk-garbage', { authorization: 'Bearer sk-garbage' }, 'invalid_token'],
      ['Basic credentials', { authorization: 'Basic dXNlcjpwYXNz' }, 'invalid_token'],
      ['a key in x-api-key', { 'x-api-key': 'sk-ant-garbage' }, 'invalid_token'],
    ];
  }

  it('jwt + anonymous: each damaged or foreign credential is 401 invalid_token, OpenAI-shaped, never anonymous', async () => {
    const before = await consumersServed(jwtAnonymous);
    for (const [label, headers, code] of damagedForms()) {
      const answer = await chat(jwtAnonymous, headers);
      assert.equal(answer.status, 401, label);
      assert.equal(answer.error?.type, 'authentication_error', label);
      assert.equal(answer.error?.code, code, label);
      assert.match(answer.error?.message ?? '', /^The token was refused: /, label);
      assert.ok(!(answer.error?.message ?? '').includes(token.slice(-12)), `${label}: the message does not echo the token`);
      assert.ok(answer.requestId, label);
    }
    assert.equal(await consumersServed(jwtAnonymous), before, 'none of them ran as anon');
  });

  it('jwt + anonymous: no credential is still anonymous, and a valid token is its consumer', async () => {
    assert.equal((await chat(jwtAnonymous, {})).status, 200);
    assert.equal((await chat(jwtAnonymous, { authorization: `Bearer ${token}` })).status, 200);
    const consumers = await consumersServed(jwtAnonymous);
    assert.match(consumers, /anon:1/);
    assert.match(consumers, /token-app:1/);
  });

  it('jwt + key-auth + anonymous: a wrong tg- key is key-auth\'s 401, a damaged token jwt\'s, a good key and token work', async () => {
    const wrongKey = await chat(allThree, { authorization: 'Bearer tg-wrong-key' });
    assert.equal(wrongKey.status, 401);
    assert.equal(wrongKey.error?.code, 'invalid_api_key', 'key-auth\'s refusal of its own credential is the telling one');
    for (const [label, headers] of damagedForms()) {
      const answer = await chat(allThree, headers);
      assert.equal(answer.status, 401, label);
      assert.match(answer.error?.code ?? '', /^invalid_(token|api_key)$/, label);
    }
    const [header, payload] = token.split('.');
    assert.equal((await chat(allThree, { authorization: `Bearer ${header}.${payload}` })).error?.code, 'invalid_token', 'a damaged JWT is reported as one');
    assert.equal((await chat(allThree, { authorization: `Bearer ${key}` })).status, 200);
    assert.equal((await chat(allThree, { authorization: `Bearer ${token}` })).status, 200);
    assert.equal((await chat(allThree, {})).status, 200);
    const consumers = await consumersServed(allThree);
    assert.match(consumers, /anon:1(,|$)/);
    assert.match(consumers, /keyed-app:1/);
  });
});
