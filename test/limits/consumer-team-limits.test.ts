import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { pricedProviderConfig, startPricedStandIn } from './priced-stand-in.ts';
import { redisAvailable, redisUrl } from './redis-service.ts';

// Limits and budgets written on a consumer or a team through the Admin API apply to every request
// of every key of theirs, keys created later included, counted on the consumer's or team's id,
// beside the key's own limits and a YAML teams:/consumers: entry's (all apply; the strictest refuses).

const adminToken = 'admin-secret-for-consumer-team-limits';
const redisIsThere = await redisAvailable();

interface Refusal {
  status: number;
  error?: { message: string; type: string; code: string };
}

function client(gateway: () => RunningGateway) {
  async function admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${gateway().adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  }
  async function written<T = { id: string; key: string; name: string }>(method: string, path: string, body: unknown): Promise<T> {
    const answer = await admin<T>(method, path, body);
    assert.ok(answer.status === 200 || answer.status === 201, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
  /** One chat call: $0.02 at the stand-in's prices, estimated at about as much. */
  async function ask(key: string, on: RunningGateway = gateway()): Promise<Refusal> {
    const response = await fetch(`${on.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'up/m1', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await response.json()) as { error?: Refusal['error'] };
    return { status: response.status, error: body.error };
  }
  return { admin, written, ask };
}

describe('limits and budgets of consumers and teams, written through the Admin API', () => {
  let upstream: StandIn;
  let webhook: StandIn;
  let gw: RunningGateway;
  const { admin, written, ask } = client(() => gw);

  before(async () => {
    upstream = await startPricedStandIn();
    webhook = await startStandIn((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    gw = await startGateway(`${pricedProviderConfig(upstream)}
admin: { tokens: [{ token: ${adminToken}, role: admin }] }
plugins:
  key-auth: {}
  rate-limit: { webhook_url: "${webhook.url}/alerts" }
teams:
  declared:
    plugins:
      rate-limit: { limits: [{ scope: team, requests: 3, per: minute, name: declared-team-rpm }] }
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([upstream.close(), webhook.close()]);
  });

  it('a team budget counts every key of both its consumers, a key created after the spend included, and alerts by the team', async () => {
    const team = await written('POST', '/teams', { name: 'payments', budget: { max_usd: 0.05, period: 'month' } });
    assert.deepEqual((await admin('GET', `/teams/${team.id}`)).body.budget, { max_usd: 0.05, period: 'month' });
    const checkout = await written('POST', '/consumers', { name: 'checkout', team: team.id });
    const refunds = await written('POST', '/consumers', { name: 'refunds', team: 'payments' });
    const checkoutKey = await written('POST', '/keys', { consumer: checkout.id });
    const refundsKey = await written('POST', '/keys', { consumer: refunds.id });
    assert.equal((await ask(checkoutKey.key)).status, 200);
    assert.equal((await ask(refundsKey.key)).status, 200);

    // $0.04 of $0.05 spent: a key made now, with no limit of its own, is refused all the same.
    const laterKey = await written('POST', '/keys', { consumer: refunds.id });
    const served = upstream.requests.length;
    const refused = await ask(laterKey.key);
    assert.equal(refused.status, 429);
    assert.equal(refused.error?.type, 'rate_limit_error');
    assert.equal(refused.error?.code, 'budget_exceeded');
    assert.match(refused.error?.message ?? '', /^Budget nearly spent for team 'payments': budget of \$0\.05 per month \(spent \$0\.04 of \$0\.05 this month\)/);
    assert.equal((await ask(checkoutKey.key)).status, 429);
    assert.equal(upstream.requests.length, served, 'nothing beyond the budget reached the provider');
    const usage = await admin<{ totals: { cost_usd: number; requests: number } }>('GET', `/usage?team=${team.id}`);
    assert.ok(Math.abs(usage.body.totals.cost_usd - 0.04) < 1e-9, `the team's recorded spend stays $0.04: ${JSON.stringify(usage.body.totals)}`);

    // The 50% and 80% alerts, as a key budget's, naming the team and its id.
    for (let waited = 0; webhook.requests.length < 2 && waited < 3000; waited += 25) await sleep(25);
    const alerts = webhook.requests.map((request) => request.json as { scope: string; scope_value: string; scope_id?: string; threshold_percent: number });
    assert.deepEqual(alerts.map(({ scope, scope_value, scope_id, threshold_percent }) => ({ scope, scope_value, scope_id, threshold_percent })), [
      { scope: 'team', scope_value: 'payments', scope_id: team.id, threshold_percent: 50 },
      { scope: 'team', scope_value: 'payments', scope_id: team.id, threshold_percent: 80 },
    ]);

    // PATCH takes effect at once: a larger budget lets the team's keys through again.
    await written('PATCH', `/teams/${team.id}`, { budget: { max_usd: 1, period: 'month' } });
    assert.equal((await ask(laterKey.key)).status, 200);
  });

  it('a consumer\'s request limit counts every key of the consumer, and not another consumer\'s', async () => {
    const consumer = await written('POST', '/consumers', { name: 'batch-jobs', limits: { rpm: 2 } });
    const other = await written('POST', '/consumers', { name: 'interactive' });
    const first = await written('POST', '/keys', { consumer: consumer.id });
    const second = await written('POST', '/keys', { consumer: 'batch-jobs' });
    const otherKey = await written('POST', '/keys', { consumer: other.id });
    assert.equal((await ask(first.key)).status, 200);
    assert.equal((await ask(second.key)).status, 200);
    const refused = await ask(first.key);
    assert.equal(refused.status, 429);
    assert.equal(refused.error?.code, 'rate_limit_exceeded');
    assert.match(refused.error?.message ?? '', /^Rate limit reached for consumer 'batch-jobs' on requests per minute \(2 requests per minute\): limit 2, used 2, requested 1\./);
    assert.equal((await ask(otherKey.key)).status, 200);

    // PATCH raises it, then clears it: each applies to the next request.
    await written('PATCH', `/consumers/${consumer.id}`, { limits: { rpm: 3 } });
    assert.equal((await ask(second.key)).status, 200);
    assert.equal((await ask(second.key)).status, 429);
    await written('PATCH', `/consumers/${consumer.id}`, { limits: null });
    assert.equal((await ask(second.key)).status, 200);
  });

  it('a key\'s own limit, its consumer\'s and a YAML teams: entry all apply: the strictest refuses', async () => {
    // The YAML entry allows the team 3 requests a minute; the store's team limit 2; the key 1.
    const team = await written('POST', '/teams', { name: 'declared', limits: [{ requests: 2, per: 'minute' }] });
    const consumer = await written('POST', '/consumers', { name: 'declared-app', team: team.id });
    const strictKey = await written('POST', '/keys', { consumer: consumer.id, limits: { rpm: 1 } });
    const plainKey = await written('POST', '/keys', { consumer: consumer.id });
    assert.equal((await ask(strictKey.key)).status, 200);
    assert.match((await ask(strictKey.key)).error?.message ?? '', /for key 'key_/);
    assert.equal((await ask(plainKey.key)).status, 200);
    assert.match((await ask(plainKey.key)).error?.message ?? '', /for team 'declared' .*\(2 requests per minute\)/);
    // Without the store's limit, the YAML entry's (3, on the same team counter) is what remains.
    await written('PATCH', `/teams/${team.id}`, { limits: null });
    assert.equal((await ask(plainKey.key)).status, 200);
    assert.match((await ask(plainKey.key)).error?.message ?? '', /for team 'declared' .*\(declared-team-rpm\)/);
  });

  it('refuses limits and budgets the plugin would not enforce, with the errors a key\'s get', async () => {
    const refused = async (method: string, path: string, body: Record<string, unknown>, message: RegExp) => {
      const answer = await admin<{ error: { message: string; type: string; code: string } }>(method, path, body);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.type, 'invalid_request_error');
      assert.equal(answer.body.error.code, 'invalid_request');
      assert.match(answer.body.error.message, message);
    };
    await refused('POST', '/teams', { name: 'bad-1', budget: { max_usd: 5, period: 'week' } }, /^Invalid request: body\.budget\.period: expected one of "second"\|"minute"\|"hour"\|"day"\|"month"$/);
    await refused('POST', '/teams', { name: 'bad-2', limits: [{ requests: 20 }] }, /body\.limits\[0\]\.per: a limit needs a period/);
    await refused('POST', '/consumers', { name: 'bad-3', limits: { rpm: 60, rpw: 5 } }, /body\.limits: unknown field "rpw"/);
    await refused('POST', '/consumers', { name: 'bad-4', budget: { max_usd: 0 } }, /body\.budget\.max_usd/);
    const team = await written('POST', '/teams', { name: 'good' });
    await refused('PATCH', `/teams/${team.id}`, { budget: { max_usd: 5, period: '30d' } }, /"30d" is a duration/);
    await refused('PATCH', `/teams/${team.id}`, { limits: [{ requests: 20, tokens: 5, per: 'minute' }] }, /body\.limits\[0\]: a limit sets exactly one of/);
    assert.equal((await admin('GET', '/teams?limit=1000')).body.data instanceof Array, true);
    assert.equal(((await admin<{ data: Array<{ name: string }> }>('GET', '/teams?limit=1000')).body.data).some((listed) => listed.name.startsWith('bad-')), false);
  });
});

describe('a team budget shared by two gateways (Redis counters, one store)', { skip: !redisIsThere }, () => {
  let upstream: StandIn;
  let directory: string;
  let nodeA: RunningGateway;
  let nodeB: RunningGateway;
  const { written, ask } = client(() => nodeA);

  before(async () => {
    upstream = await startPricedStandIn();
    directory = mkdtempSync(join(tmpdir(), 'tollgate-team-limits-'));
    const config = `${pricedProviderConfig(upstream)}
admin: { tokens: [{ token: ${adminToken}, role: admin }] }
plugins:
  key-auth: {}
  rate-limit: { backend: redis, redis_url: "${redisUrl}", key_prefix: "tollgate-test:${randomUUID()}:" }
`;
    const storage = `sqlite:${join(directory, 'gateway.db')}`;
    nodeA = await startGateway(config, {}, { storage });
    nodeB = await startGateway(config, {}, { storage });
  });
  after(async () => {
    await Promise.all([nodeA.close(), nodeB.close()]);
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('spend on either node counts against the one team budget, and a PATCH on one reaches the other by its refresh', async () => {
    const team = await written('POST', '/teams', { name: 'shared', budget: { max_usd: 0.05, period: 'day' } });
    const consumer = await written('POST', '/consumers', { name: 'shared-app', team: team.id });
    const key = await written('POST', '/keys', { consumer: consumer.id });
    // Node B learns of the team and key by its poll (about a second).
    let first = await ask(key.key, nodeB);
    for (let waited = 0; first.status === 401 && waited < 5000; waited += 100) {
      await sleep(100);
      first = await ask(key.key, nodeB);
    }
    assert.equal(first.status, 200);
    assert.equal((await ask(key.key, nodeA)).status, 200);
    const refused = await ask(key.key, nodeB);
    assert.equal(refused.status, 429);
    assert.equal(refused.error?.code, 'budget_exceeded');
    assert.match(refused.error?.message ?? '', /team 'shared'/);

    await written('PATCH', `/teams/${team.id}`, { budget: { max_usd: 1, period: 'day' } });
    let after = await ask(key.key, nodeB);
    for (let waited = 0; after.status === 429 && waited < 5000; waited += 100) {
      await sleep(100);
      after = await ask(key.key, nodeB);
    }
    assert.equal(after.status, 200, 'node B applies the raised budget after its refresh');
  });
});
