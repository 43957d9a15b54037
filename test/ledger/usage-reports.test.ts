import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runUsageCommand } from '../../src/cli/usage-command.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { echoPricing, sendChat } from './ledger-helpers.ts';

const declaredKey = 'tg-declared-key-for-the-usage-test-000000000';

describe('usage reports: Admin API, CSV, CLI and the own-usage endpoint', () => {
  let gw: RunningGateway;
  const keys: Record<string, { id: string; key: string }> = {};

  async function admin(method: string, path: string, token = 'adm', body?: unknown): Promise<Response> {
    return fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  }

  async function ownUsage(key: string | undefined, query = '', method = 'GET'): Promise<{ status: number; body: any }> {
    const response = await fetch(`${gw.url}/v1/tollgate/usage${query}`, { method, headers: key ? { authorization: `Bearer ${key}` } : {} });
    return { status: response.status, body: await response.json() };
  }

  before(async () => {
    gw = await startGateway(`
admin: { tokens: [{ token: adm, role: admin }, { token: view, role: viewer }] }
plugins:
  key-auth: { keys: [{ key: "${declaredKey}", consumer: carol }] }
${echoPricing}`);
    await admin('POST', '/teams', 'adm', { name: 'red' });
    await admin('POST', '/teams', 'adm', { name: 'blue' });
    await admin('POST', '/consumers', 'adm', { name: 'alice', team: 'red' });
    await admin('POST', '/consumers', 'adm', { name: 'bob', team: 'blue' });
    for (const [name, consumer] of [['k1', 'alice'], ['k2', 'alice'], ['k3', 'bob'], ['off', 'bob']] as const) {
      const created = (await (await admin('POST', '/keys', 'adm', { consumer, name })).json()) as { id: string; key: string };
      keys[name] = created;
    }
    await admin('PATCH', `/keys/${keys.off.id}`, 'adm', { enabled: false });
    let sequence = 0;
    const send = (key: string | undefined, model: string, stream = false) => sendChat(gw.baseURL, { requestId: `report-${sequence++}`, key, model, stream });
    for (let index = 0; index < 3; index++) assert.equal((await send(keys.k1.key, 'echo/m1')).status, 200);
    assert.equal((await send(keys.k2.key, 'echo/m2')).status, 200);
    assert.equal((await send(keys.k2.key, 'echo/m2', true)).status, 200);
    for (let index = 0; index < 4; index++) assert.equal((await send(keys.k3.key, 'echo/m1')).status, 200);
    assert.equal((await send(declaredKey, 'echo/m1')).status, 200);
    assert.equal((await send(undefined, 'echo/m1')).status, 401, 'a refused request is recorded too');
  });
  after(async () => gw?.close());

  it('GET /usage groups by consumer and model; viewers may read; every request is there', async () => {
    const response = await admin('GET', '/usage?group_by=consumer,model', 'view');
    assert.equal(response.status, 200);
    const report = (await response.json()) as any;
    assert.equal(report.object, 'usage_report');
    assert.deepEqual(report.group_by, ['consumer', 'model']);
    assert.equal(report.totals.requests, 11);
    assert.equal(report.totals.errors, 1);
    const rows = Object.fromEntries(report.data.map((row: any) => [`${row.consumer}/${row.model}`, row.requests]));
    assert.deepEqual(rows, { 'alice/m1': 3, 'alice/m2': 2, 'bob/m1': 4, 'carol/m1': 1, 'null/null': 1 });
    assert.ok(report.data.every((row: any) => row.cost_usd >= 0) && report.totals.cost_usd > 0);

    const byTeam = (await (await admin('GET', '/usage?group_by=team,key&team=red', 'view')).json()) as any;
    assert.deepEqual(byTeam.data.map((row: any) => [row.team, row.key, row.requests]).sort(), [['red', keys.k1.id, 3], ['red', keys.k2.id, 2]].sort());
    const errorsOnly = (await (await admin('GET', '/usage?group_by=status&status=401')).json()) as any;
    assert.deepEqual(errorsOnly.data.map((row: any) => [row.status, row.requests]), [[401, 1]]);
  });

  it('GET /usage makes a time series, and refuses bad queries with 400', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const series = (await (await admin('GET', `/usage?interval=day&group_by=provider&from=${today}&to=${today}`)).json()) as any;
    assert.deepEqual(series.data.map((row: any) => [row.period, row.provider]), [[today, 'echo'], [today, null]]);
    const hourly = (await (await admin('GET', '/usage?interval=hour')).json()) as any;
    assert.match(hourly.data[0].period, /^\d{4}-\d{2}-\d{2}T\d{2}:00Z$/);
    assert.equal((await admin('GET', '/usage?group_by=colour')).status, 400);
    assert.equal((await admin('GET', '/usage?from=yesterday')).status, 400);
    assert.equal((await admin('GET', '/usage?from=2026-12-05&to=2026-12-01')).status, 400);
    assert.equal((await admin('GET', '/usage?interval=week')).status, 400);
    assert.equal((await fetch(`${gw.adminUrl}/usage`)).status, 401);
  });

  it('GET /usage.csv is the same report as CSV', async () => {
    const response = await admin('GET', '/usage.csv?group_by=consumer&interval=month', 'view');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="tollgate-usage-/);
    const lines = (await response.text()).trim().split('\r\n');
    assert.equal(lines[0], 'period,consumer,requests,errors,input_tokens,output_tokens,cached_tokens,reasoning_tokens,cost_usd,estimated_requests,cache_hits');
    assert.equal(lines.length, 5);
    assert.ok(lines.some((line) => /^\d{4}-\d{2},bob,4,0,/.test(line)));
    assert.ok(lines.some((line) => /^\d{4}-\d{2},,1,1,/.test(line)), 'no consumer: an empty field');
  });

  it('GET /v1/tollgate/usage shows a key only its own usage (or its consumer\'s with scope=consumer)', async () => {
    const own = await ownUsage(keys.k1.key);
    assert.equal(own.status, 200);
    assert.equal(own.body.key, keys.k1.id);
    assert.equal(own.body.consumer, 'alice');
    assert.equal(own.body.totals.requests, 3);
    const byModel = await ownUsage(keys.k2.key, '?group_by=model,key');
    assert.deepEqual(byModel.body.data.map((row: any) => [row.model, row.key, row.requests]), [['m2', keys.k2.id, 2]]);
    const consumerWide = await ownUsage(keys.k2.key, '?scope=consumer&group_by=key');
    assert.equal(consumerWide.body.totals.requests, 5);
    assert.deepEqual(consumerWide.body.data.map((row: any) => row.key).sort(), [keys.k1.id, keys.k2.id].sort());
    assert.equal((await ownUsage(keys.k3.key)).body.totals.requests, 4);
    assert.equal((await ownUsage(declaredKey)).body.totals.requests, 1, 'a key declared in the config sees its own usage');
    // Filters on someone else are not accepted at all.
    assert.equal((await ownUsage(keys.k1.key, `?key=${keys.k3.id}`)).status, 400);
    assert.equal((await ownUsage(keys.k1.key, '?consumer=bob')).status, 400);
  });

  it('GET /v1/tollgate/usage refuses callers without a valid key', async () => {
    const missing = await ownUsage(undefined);
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error.code, 'missing_api_key');
    assert.equal((await ownUsage('tg-not-a-key')).body.error.code, 'invalid_api_key');
    assert.equal((await ownUsage(keys.off.key)).status, 401, 'a disabled key');
    const post = await fetch(`${gw.url}/v1/tollgate/usage`, { method: 'POST', headers: { authorization: `Bearer ${keys.k1.key}` } });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    const head = await fetch(`${gw.url}/v1/tollgate/usage`, { method: 'HEAD', headers: { authorization: `Bearer ${keys.k1.key}` } });
    assert.equal(head.status, 200, 'HEAD answers as GET');
    assert.equal(await head.text(), '');
    assert.equal((await ownUsage(keys.k1.key, '?interval=fortnight')).status, 400);
  });

  it('tollgate usage prints the report as a table, JSON or CSV', async () => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text) };
    const common = ['--admin-url', gw.adminUrl, '--admin-token', 'view'];
    assert.equal(await runUsageCommand(['--group-by', 'consumer,model', ...common], io), 0, stderr);
    assert.match(stdout, /CONSUMER\s+MODEL\s+REQUESTS/);
    assert.match(stdout, /bob\s+m1\s+4/);
    assert.match(stdout, /Total: 11 requests \(1 errors\)/);
    stdout = '';
    assert.equal(await runUsageCommand(['--group-by', 'consumer', '--from', new Date().toISOString().slice(0, 10), '--csv', ...common], io), 0, stderr);
    assert.match(stdout, /^consumer,requests,/);
    assert.match(stdout, /\r\nalice,5,0,/);
    stdout = '';
    assert.equal(await runUsageCommand(['--json', '--consumer', 'bob', ...common], io), 0, stderr);
    assert.equal(JSON.parse(stdout).totals.requests, 4);
    assert.equal(await runUsageCommand(['--group-by', 'colour', ...common], io), 1);
    assert.match(stderr, /group_by/);
    assert.equal(await runUsageCommand(['--bogus'], io), 2);
  });
});
