import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runUsageCommand } from '../../src/cli/usage-command.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// GET /usage's filters and dates through a real gateway: the consumer and team filters take the
// ids the API hands out as well as names, and a day the calendar does not have is refused.

const adminToken = 'usage-filters-admin-token';

describe('Admin API: usage filters and dates', () => {
  let gw: RunningGateway;
  let consumerId: string;
  let teamId: string;

  async function get(path: string) {
    const response = await fetch(`${gw.adminUrl}${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
    const text = await response.text();
    return { status: response.status, text, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
  }
  async function post(path: string, body: unknown) {
    const response = await fetch(`${gw.adminUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 201);
    return (await response.json()) as Record<string, any>;
  }

  before(async () => {
    gw = await startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }] }\nplugins: { key-auth: {} }`);
    teamId = (await post('/teams', { name: 'finance' })).id;
    consumerId = (await post('/consumers', { name: 'ledger-app', team: 'finance' })).id;
    const { key } = await post('/keys', { consumer: 'ledger-app' });
    for (let request = 0; request < 3; request++) {
      const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/usage-model', messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    }
  });
  after(() => gw.close());

  it('takes a consumer or team id as well as its name', async () => {
    for (const query of ['consumer=ledger-app', `consumer=${consumerId}`, 'team=finance', `team=${teamId}`, `consumer=${consumerId}&team=${teamId}`]) {
      const answer = await get(`/usage?${query}`);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.totals.requests, 3, query);
    }
    const csv = await get(`/usage.csv?group_by=consumer&consumer=${consumerId}`);
    assert.match(csv.text, /\r\nledger-app,3,/);
    assert.equal((await get('/usage?consumer=con_nobody')).body.totals.requests, 0, 'an unknown value is a filter like any other');
  });

  it('refuses a day the calendar does not have, naming the parameter', async () => {
    for (const [query, param, day] of [
      ['from=2026-02-30', 'from', '2026-02-30'],
      ['from=2026-04-31', 'from', '2026-04-31'],
      ['to=2026-02-31', 'to', '2026-02-31'],
      ['from=2026-02-29T10:00:00Z', 'from', '2026-02-29'],
      ['from=2026-11-31&to=2026-12-31', 'from', '2026-11-31'],
    ]) {
      const answer = await get(`/usage?${query}`);
      assert.equal(answer.status, 400, `${query}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'invalid_request');
      assert.equal(answer.body.error.param, param, query);
      assert.match(answer.body.error.message, new RegExp(`query\\.${param}: ${day} is not a day of the calendar`));
      assert.equal((await get(`/usage.csv?${query}`)).status, 400, `csv ${query}`);
    }
    const leap = await get('/usage?from=2028-02-29&to=2028-03-01');
    assert.equal(leap.status, 200, leap.text);
    assert.equal(leap.body.from, '2028-02-29T00:00:00.000Z');
    assert.equal((await get('/usage?from=2026-02-28&to=2026-04-30')).body.to, '2026-05-01T00:00:00.000Z');
  });

  it('tollgate usage --from with such a day fails with the API\'s message', async () => {
    let stderr = '';
    const code = await runUsageCommand(['--admin-url', gw.adminUrl, '--admin-token', adminToken, '--from', '2026-11-31'], { stdout: () => {}, stderr: (text) => void (stderr += text) });
    assert.equal(code, 1);
    assert.match(stderr, /^tollgate usage: Invalid request: query\.from: 2026-11-31 is not a day of the calendar\n$/);
  });
});
