import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import type { StandIn } from '../helpers/stand-in-server.ts';
import { pricedProviderConfig, startPricedStandIn } from './priced-stand-in.ts';

// Besides a budget written on the team through the Admin API (test/limits/consumer-team-limits.test.ts),
// a team gets one budget that every key of it shares, keys created later included, from the
// config's `teams:` entry with a team-scope limit (docs/admin-api.md, "Limits and budgets of
// consumers and teams"). This holds that way to what the docs say.

const adminToken = 'admin-secret-for-team-budget-tests';

describe('a team budget from the config\'s teams: entry counts every key of the team', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startPricedStandIn();
    gw = await startGateway(`${pricedProviderConfig(upstream)}
admin: { tokens: [{ token: ${adminToken}, role: admin }] }
plugins:
  key-auth: {}
  rate-limit: {}
teams:
  payments:
    plugins:
      rate-limit: { limits: [{ scope: team, cost_usd: 0.05, per: month, name: payments-monthly }] }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  }

  async function created<T = { id: string; key: string }>(path: string, body: unknown): Promise<T> {
    const answer = await admin<T>('POST', path, body);
    assert.equal(answer.status, 201, `POST ${path}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** One chat call: $0.02 at the stand-in's prices, estimated at about as much. */
  async function ask(key: string): Promise<{ status: number; code?: string; message?: string }> {
    const response = await fetch(`${gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'up/m1', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await response.json()) as { error?: { code: string; message: string } };
    return { status: response.status, code: body.error?.code, message: body.error?.message };
  }

  it('charges two consumers\' keys to one team budget, a key created after the spend included', async () => {
    const team = await created('/teams', { name: 'payments' });
    const first = await created('/consumers', { name: 'checkout', team: team.id });
    const second = await created('/consumers', { name: 'refunds', team: 'payments' });
    const outsider = await created('/consumers', { name: 'outsider' });
    const checkoutKey = await created('/keys', { consumer: first.id });
    // $0.04 of the team's $0.05.
    assert.equal((await ask(checkoutKey.key)).status, 200);
    assert.equal((await ask(checkoutKey.key)).status, 200);

    // A key made now, with no limit of its own, is inside the team's budget all the same.
    const refundsKey = await created('/keys', { consumer: second.id });
    const refused = await ask(refundsKey.key);
    assert.equal(refused.status, 429);
    assert.equal(refused.code, 'budget_exceeded');
    assert.match(refused.message ?? '', /payments/);

    // Another team's (or no team's) key is not counted there.
    const outsiderKey = await created('/keys', { consumer: outsider.id });
    assert.equal((await ask(outsiderKey.key)).status, 200);
  });
});
