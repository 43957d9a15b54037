import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// With key-auth and anonymous on, an Authorization value without `Bearer ` (a wrong raw key,
// `Basic …`, `Token …`, even a valid key) was served as the anonymous consumer: key-auth read no
// key there and said "none was sent" (audit sec3, finding 3). Anything in Authorization, x-api-key
// or api-key is a presented credential: it authenticates or is refused, never anonymous.

const validKey = 'tg-anon-beside-key-auth-gggggggggggggggg';
const messages = [{ role: 'user', content: 'hi' }];

interface Answer {
  status: number;
  error?: { type: string; code: string };
}

describe('key-auth + anonymous: a credential in any form is never anonymous access', () => {
  let both: RunningGateway;
  let keyAuthOnly: RunningGateway;

  before(async () => {
    const keys = `key-auth: { keys: [{ key: ${validKey}, consumer: real }] }`;
    both = await startGateway(`server: { host: 127.0.0.1 }\nplugins:\n  ${keys}\n  anonymous: { consumer: anon-dev }\n`);
    keyAuthOnly = await startGateway(`plugins:\n  ${keys}\n`);
  });
  after(async () => {
    await both.close();
    await keyAuthOnly.close();
  });

  async function chat(gw: RunningGateway, headers: Record<string, string>): Promise<Answer> {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'echo/x', messages }) });
    const body = (await response.json()) as { error?: Answer['error'] };
    return { status: response.status, error: body.error };
  }

  const presentedForms: Array<[string, Record<string, string>]> = [
    ['a wrong key without a scheme', { authorization: 'tg-wrong' }],
    ['Basic credentials', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['Token scheme', { authorization: 'Token tg-wrong' }],
    ['a valid key without Bearer', { authorization: validKey }],
    ['a wrong x-api-key', { 'x-api-key': 'wrong' }],
    ['a wrong api-key', { 'api-key': 'wrong' }],
  ];

  it('refuses each with 401 invalid_api_key instead of serving it as the anonymous consumer', async () => {
    for (const [label, headers] of presentedForms) {
      const answer = await chat(both, headers);
      assert.equal(answer.status, 401, label);
      assert.equal(answer.error?.type, 'authentication_error', label);
      assert.equal(answer.error?.code, 'invalid_api_key', label);
    }
  });

  it('still serves no credential anonymously, and a valid key (also beside Basic) is let in', async () => {
    assert.equal((await chat(both, {})).status, 200);
    assert.equal((await chat(both, { authorization: 'Bearer ' })).status, 200, 'an SDK with an empty API key sends a bare Bearer: no credential');
    assert.equal((await chat(both, { authorization: `Bearer ${validKey}` })).status, 200);
    assert.equal((await chat(both, { authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': validKey })).status, 200);
  });

  it('key-auth alone: a credential it cannot read is invalid_api_key, not missing_api_key (before and after the body)', async () => {
    for (const [label, headers] of presentedForms) {
      const answer = await chat(keyAuthOnly, headers);
      assert.equal(answer.status, 401, label);
      assert.equal(answer.error?.code, 'invalid_api_key', label);
    }
    assert.equal((await chat(keyAuthOnly, {})).error?.code, 'missing_api_key');
  });
});
