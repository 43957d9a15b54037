import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import type { StandIn } from '../helpers/stand-in-server.ts';
import { pricedProviderConfig, startPricedStandIn } from '../limits/priced-stand-in.ts';

// A team's usage and budget spend were kept under its NAME, as a consumer's were before
// consumer-name-reuse.test.ts. A team created with a deleted team's name, or with the name a
// declared key's team has in the YAML, inherited the other's spend against a team budget (429
// budget_exceeded quoting it), and a usage report asked by the new team's id showed the old one's
// requests (the id was read as the name it has now). They are kept under the team's id now.

const adminToken = 'admin-secret-for-team-name-tests';
const declaredKey = 'tg-declared-key-of-team-ops-in-the-yaml-01';

interface Report {
  totals: { requests: number; cost_usd: number };
  data: Array<{ team?: string | null; team_id?: string | null; requests: number }>;
}

describe('a team name reused (after a deletion, or a YAML team\'s) shares no usage or budget', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startPricedStandIn();
    gw = await startGateway(`${pricedProviderConfig(upstream)}
admin: { tokens: [{ token: ${adminToken}, role: admin }] }
plugins:
  key-auth:
    keys:
      - { key: ${declaredKey}, consumer: ops-bot, team: ops }
  rate-limit: {}
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  }

  /** One chat call (each costs $0.02 at the stand-in's prices; max_tokens keeps the estimate near that). */
  async function ask(key: string, content: string): Promise<{ status: number; error?: { code: string; message: string } }> {
    const response = await fetch(`${gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'up/m1', max_tokens: 5, messages: [{ role: 'user', content }] }),
    });
    const body = (await response.json()) as { error?: { code: string; message: string } };
    return { status: response.status, error: body.error };
  }

  const usage = (query: string) => admin<Report>('GET', `/usage?${query}`);
  const teamBudget = (usd: number) => [{ cost_usd: usd, per: 'month', scope: 'team' }];

  it('a deleted team\'s name: the new team sees none of its usage by id and none of its spend', async () => {
    const old = await admin<{ id: string }>('POST', '/teams', { name: 'red' });
    await admin('POST', '/consumers', { name: 'red-app', team: 'red' });
    const oldKey = await admin<{ id: string; key: string }>('POST', '/keys', { consumer: 'red-app', limits: teamBudget(1) });
    assert.deepEqual([(await ask(oldKey.key, 'what red asked')).status, (await ask(oldKey.key, 'what else red asked')).status], [200, 200]);
    assert.equal((await usage(`team=${old.id}`)).totals.requests, 2);
    await admin('DELETE', `/keys/${oldKey.id}`);
    const oldConsumer = await admin<{ id: string }>('GET', '/consumers/red-app');
    await admin('DELETE', `/consumers/${oldConsumer.id}`);
    await admin('DELETE', `/teams/${old.id}`);

    const renewed = await admin<{ id: string }>('POST', '/teams', { name: 'red' });
    assert.notEqual(renewed.id, old.id);
    await admin('POST', '/consumers', { name: 'red-app-2', team: 'red' });
    // $0.05 a month for the whole team: the old red spent $0.04, so the name's spend would refuse this $0.02 call.
    const newKey = await admin<{ id: string; key: string }>('POST', '/keys', { consumer: 'red-app-2', limits: teamBudget(0.05) });
    assert.equal((await usage(`team=${renewed.id}`)).totals.requests, 0, 'the old red\'s requests are not the new red\'s');

    const first = await ask(newKey.key, 'a question of the new red');
    assert.equal(first.status, 200, `the old red's spend is not the new red's: ${first.error?.message}`);
    assert.equal((await ask(newKey.key, 'another question of the new red')).status, 200, '$0.04 of $0.05 spent');
    const refused = await ask(newKey.key, 'a third question of the new red');
    assert.equal(refused.status, 429, 'its own budget still holds');
    assert.equal(refused.error?.code, 'budget_exceeded');
    assert.match(refused.error?.message ?? '', /team 'red'/, 'the message names the team by name');

    // The Admin API tells them apart by id; by name it shows both, with group_by=team_id apart.
    assert.equal((await usage(`team=${renewed.id}`)).totals.requests, 3);
    assert.equal((await usage(`team=${old.id}`)).totals.requests, 2, 'the deleted team\'s records stay its own');
    assert.equal((await usage(`team_id=${old.id}`)).totals.requests, 2);
    const byName = await usage('team=red&group_by=team,team_id');
    assert.deepEqual(byName.data.map((row) => [row.team, row.team_id, row.requests]).sort(), [['red', old.id, 2], ['red', renewed.id, 3]].sort());
  });

  it('a YAML team\'s name: a store team of that name does not inherit the declared key\'s team spend or usage', async () => {
    assert.equal((await ask(declaredKey, 'what ops asked')).status, 200);
    assert.equal((await ask(declaredKey, 'what else ops asked')).status, 200);
    assert.equal((await usage('team=config:ops')).totals.requests, 2);

    const stored = await admin<{ id: string }>('POST', '/teams', { name: 'ops' });
    await admin('POST', '/consumers', { name: 'ops-app', team: 'ops' });
    const storedKey = await admin<{ id: string; key: string }>('POST', '/keys', { consumer: 'ops-app', limits: teamBudget(0.05) });
    assert.equal((await usage(`team=${stored.id}`)).totals.requests, 0, 'the declared key\'s team requests are not the store team\'s');

    // The declared ops spent $0.04: under the name, the store ops' $0.05 budget would start from it and refuse the second call.
    assert.equal((await ask(storedKey.key, 'a question of the store ops')).status, 200);
    const second = await ask(storedKey.key, 'another question of the store ops');
    assert.equal(second.status, 200, `the declared team's spend is not the store team's: ${second.error?.message}`);
    assert.equal((await usage(`team=${stored.id}`)).totals.requests, 2);
    assert.equal((await usage('team=config:ops')).totals.requests, 2, 'nor does the declared team see the store one\'s');
  });
});
