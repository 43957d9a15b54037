import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

const adminToken = 'admin-token-for-validation';

interface Answer {
  status: number;
  body: { error?: { message: string; type: string; code: string }; budget?: unknown; limits?: unknown; id?: string };
}

/**
 * What the Admin API accepts on a key is what the rate-limit plugin enforces: the same period and
 * unit rules as the YAML config (one schema), so nothing is stored that would silently not apply.
 */
describe('Admin API: key limits, budgets and expiry are checked like the config', () => {
  let gw: RunningGateway;
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  const refused = async (body: Record<string, unknown>, message: RegExp, method = 'POST', path = '/keys'): Promise<void> => {
    const answer = await call(method, path, method === 'POST' ? { consumer: 'validated', ...body } : body);
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.equal(answer.body.error?.type, 'invalid_request_error');
    assert.equal(answer.body.error?.code, 'invalid_request');
    assert.match(answer.body.error!.message, message);
  };

  before(async () => {
    gw = await startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }] }`);
    assert.equal((await call('POST', '/consumers', { name: 'validated' })).status, 201);
  });
  after(() => gw.close());

  it('refuses a budget period the plugin does not enforce, naming the field; 30d is pointed at month', async () => {
    await refused({ budget: { max_usd: 5, period: 'week' } }, /^Invalid request: body\.budget\.period: expected one of "second"\|"minute"\|"hour"\|"day"\|"month"$/);
    await refused({ budget: { max_usd: 5, period: '30d' } }, /body\.budget\.period: .*\("30d" is a duration, and periods are calendar periods in UTC: write "month", which resets on the 1st\)$/);
    await refused({ budget: { max_usd: 5, period: '7d' } }, /"7d" is a duration, and periods are calendar periods in UTC: there is no rolling window/);
    await refused({ budget: { max_usd: 5, period: 'bogus' } }, /body\.budget\.period/);
    await refused({ budget: { max_usd: 0, period: 'day' } }, /body\.budget\.max_usd/);
  });

  it('stores a budget without a period as a monthly one, and says so', async () => {
    const created = await call('POST', '/keys', { consumer: 'validated', budget: { max_usd: 5 } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.budget, { max_usd: 5, period: 'month' });
    const daily = await call('POST', '/keys', { consumer: 'validated', budget: { max_usd: 5, period: 'day' } });
    assert.deepEqual(daily.body.budget, { max_usd: 5, period: 'day' });
    await refused({ budget: { max_usd: 5, period: 'year' } }, /body\.budget\.period/, 'PATCH', `/keys/${daily.body.id}`);
  });

  it('refuses limits the plugin could not enforce, in the list and the shorthand form', async () => {
    await refused({ limits: [{ requests: 20, per: 'week' }] }, /body\.limits\[0\]\.per: expected one of/);
    await refused({ limits: [{ requests: 20 }] }, /body\.limits\[0\]\.per: a limit needs a period/);
    await refused({ limits: [{ requests: 20, tokens: 5, per: 'minute' }] }, /body\.limits\[0\]: a limit sets exactly one of/);
    await refused({ limits: { rpm: 60, rpw: 5 } }, /body\.limits: unknown field "rpw"/);
    await refused({ limits: { rpm: -1 } }, /body\.limits\.rpm/);
    const created = await call('POST', '/keys', { consumer: 'validated', limits: [{ requests: 20, per: 'minute' }, { cost_usd: 10, per: 'day', scope: 'consumer' }] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });

  it('refuses a new key that has already expired, and lets PATCH expire an existing one', async () => {
    await refused({ expires_at: '2020-01-01T00:00:00Z' }, /^Invalid request: body\.expires_at: is in the past: a new key must expire later than now$/);
    const created = await call('POST', '/keys', { consumer: 'validated', expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    assert.equal(created.status, 201);
    assert.equal((await call('PATCH', `/keys/${created.body.id}`, { expires_at: '2020-01-01T00:00:00Z' })).status, 200);
  });
});
