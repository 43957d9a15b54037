import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { ledgerRecord } from '../formats/openai-responses/ledger-record.ts';
import { audience, hsKey, hsSecret, issuer, sign } from './jwt-helpers.ts';

const adminToken = 'admin-secret-for-jwt-limit-tests';
const messages = [{ role: 'user' as const, content: 'hello' }];

async function admin<T = Record<string, unknown>>(gw: RunningGateway, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = (await response.json()) as T;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

/**
 * Limits that count by consumer and by team, with callers authenticated by jwt instead of a
 * gateway key: the token's claims name the consumer and team the limits count on, the stored
 * consumer's and team's own limits apply to its tokens, and the ledger records who called.
 */
describe('jwt callers: limits by consumer and team, and the ledger', () => {
  let gw: RunningGateway;

  async function call(token: string): Promise<{ status: number; requestId: string; code?: string }> {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: token, maxRetries: 0 });
    try {
      const { response } = await client.chat.completions.create({ model: 'echo/x', messages }).withResponse();
      return { status: response.status, requestId: response.headers.get('x-request-id')! };
    } catch (error) {
      if (!(error instanceof APIError)) throw error;
      assert.equal((error.error as { type?: string }).type, 'rate_limit_error');
      return { status: error.status, requestId: error.headers!.get('x-request-id')!, code: error.code ?? undefined };
    }
  }

  before(async () => {
    gw = await startGateway(
      `admin: { tokens: [{ token: ${adminToken}, role: admin }] }
plugins:
  jwt: { secret: "${hsSecret}", issuer: "${issuer}", audience: ${audience}, auto_create: true, claims: { team: team } }
  rate-limit:
    limits:
      - { scope: consumer, requests: 2, per: minute }
      - { scope: team, requests: 3, per: minute }
`,
    );
    await admin(gw, 'POST', '/teams', { name: 'red' });
    await admin(gw, 'POST', '/teams', { name: 'capped', limits: [{ requests: 1, per: 'minute' }] });
    await admin(gw, 'POST', '/consumers', { name: 'slow-app', limits: [{ requests: 1, per: 'minute' }] });
  });
  after(async () => {
    await gw.close();
  });

  it('a consumer limit counts per token subject, a team limit across the team claim, other teams untouched', async () => {
    const alice = await sign(hsKey(), 'HS256', { sub: 'alice', team: 'red' });
    const bob = await sign(hsKey(), 'HS256', { sub: 'bob', team: 'red' });
    const carol = await sign(hsKey(), 'HS256', { sub: 'carol', team: 'blue' });
    assert.equal((await call(alice)).status, 200);
    assert.equal((await call(alice)).status, 200);
    const aliceOver = await call(alice);
    assert.equal(aliceOver.status, 429, 'alice is over her consumer limit of 2');
    // A new token for the same subject is the same consumer: still over.
    assert.equal((await call(await sign(hsKey(), 'HS256', { sub: 'alice', team: 'red', jti: 'another' }))).status, 429);
    const bobFirst = await call(bob);
    assert.equal(bobFirst.status, 200, "bob's first call is team red's third");
    const bobOver = await call(bob);
    assert.equal(bobOver.status, 429, 'team red is over its limit of 3');
    assert.equal((await call(carol)).status, 200, 'team blue counts on its own');
    // The ledger names who called: the stored consumer (created by auto_create) and team red's store id.
    const record = await ledgerRecord(gw, bobFirst.requestId);
    const teams = await admin<{ data: { id: string; name: string }[] }>(gw, 'GET', '/teams');
    const red = teams.data.find((team) => team.name === 'red')!;
    assert.equal(record.consumer, 'bob');
    assert.match(String(record.consumer_id), /^con_/);
    assert.equal(record.team_id, red.id);
    const refused = await ledgerRecord(gw, bobOver.requestId);
    assert.equal(Number(refused.status), 429);
  });

  it("a stored consumer's own limit, and its team's, apply to the tokens that name them", async () => {
    const slow = await sign(hsKey(), 'HS256', { sub: 'slow-app', team: 'green' });
    assert.equal((await call(slow)).status, 200);
    assert.equal((await call(slow)).status, 429, "slow-app's stored limit is 1 a minute");
    const first = await sign(hsKey(), 'HS256', { sub: 'dave', team: 'capped' });
    const second = await sign(hsKey(), 'HS256', { sub: 'erin', team: 'capped' });
    assert.equal((await call(first)).status, 200);
    assert.equal((await call(second)).status, 429, "team capped's stored limit is 1 a minute, counted across its consumers");
  });
});
