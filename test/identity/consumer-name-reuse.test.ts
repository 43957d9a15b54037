import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import type { StandIn } from '../helpers/stand-in-server.ts';
import { pricedProviderConfig, startPricedStandIn } from '../limits/priced-stand-in.ts';

// A consumer's usage, cached answers and budget spend were kept under its NAME. A consumer created
// with a deleted consumer's name, or with the name a declared key's consumer has in the YAML, saw
// the other's usage (GET /v1/tollgate/usage?scope=consumer), got its cached answers
// (x-tollgate-cache: hit) and inherited its spend (429 budget_exceeded quoting it) (audit
// auth-security, MEDIUM-1). They are kept under the consumer's id now: names may be reused.

const adminToken = 'admin-secret-for-consumer-name-tests';
const declaredKey = 'tg-declared-key-of-appA-in-the-yaml-0001';

interface OwnUsage {
  consumer: string;
  consumer_id: string;
  totals: { requests: number; cost_usd: number };
  data: Array<{ key: string; requests: number }>;
}

describe('a consumer name reused (after a deletion, or a YAML consumer\'s) shares no usage, cache or budget', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startPricedStandIn();
    gw = await startGateway(`${pricedProviderConfig(upstream)}
admin: { tokens: [{ token: ${adminToken}, role: admin }] }
plugins:
  key-auth:
    keys:
      - { key: ${declaredKey}, consumer: appA }
  cache: {}
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
  async function ask(key: string, content: string): Promise<{ status: number; cache: string | null; error?: { code: string; message: string } }> {
    const response = await fetch(`${gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'up/m1', max_tokens: 5, messages: [{ role: 'user', content }] }),
    });
    const body = (await response.json()) as { error?: { code: string; message: string } };
    return { status: response.status, cache: response.headers.get('x-tollgate-cache'), error: body.error };
  }

  async function ownUsage(key: string): Promise<OwnUsage> {
    const response = await fetch(`${gw.baseURL}/tollgate/usage?scope=consumer&group_by=key`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(response.status, 200);
    return (await response.json()) as OwnUsage;
  }

  const consumerBudget = (usd: number) => [{ cost_usd: usd, per: 'month', scope: 'consumer' }];

  it('a deleted consumer\'s name: the new consumer sees none of its usage, none of its cached answers, none of its spend', async () => {
    const old = await admin<{ id: string }>('POST', '/consumers', { name: 'dave' });
    const oldKey = await admin<{ id: string; key: string }>('POST', '/keys', { consumer: 'dave', limits: consumerBudget(1) });
    assert.deepEqual([(await ask(oldKey.key, 'what dave asked')).status, (await ask(oldKey.key, 'what else dave asked')).status], [200, 200]);
    assert.equal((await ask(oldKey.key, 'what dave asked')).cache, 'hit', 'the old dave hits its own entry');
    assert.equal((await ownUsage(oldKey.key)).totals.requests, 3);
    await admin('DELETE', `/keys/${oldKey.id}`);
    await admin('DELETE', `/consumers/${old.id}`);

    const renewed = await admin<{ id: string }>('POST', '/consumers', { name: 'dave' });
    assert.notEqual(renewed.id, old.id);
    // $0.05 a month for the whole consumer: the old dave spent $0.04, so the name's spend would refuse this $0.02 call.
    const newKey = await admin<{ id: string; key: string }>('POST', '/keys', { consumer: 'dave', limits: consumerBudget(0.05) });

    const before = await ownUsage(newKey.key);
    assert.equal(before.totals.requests, 0, 'the old dave\'s requests are not the new dave\'s');
    assert.ok(!before.data.some((row) => row.key === oldKey.id));
    assert.equal(before.consumer, 'dave');
    assert.equal(before.consumer_id, renewed.id);

    // A second key of the new dave, with no budget of its own: the cache alone decides.
    const plainKey = await admin<{ id: string; key: string }>('POST', '/keys', { consumer: 'dave' });
    assert.equal((await ask(plainKey.key, 'what dave asked')).cache, 'miss', 'the old dave\'s cached answer is not served to the new dave');
    assert.equal((await ask(newKey.key, 'what dave asked')).cache, 'hit', 'the new dave\'s keys share the new dave\'s entry');

    // $0.02 spent by the new dave so far: the budgeted key may spend about $0.02 more, not with the old dave's $0.04 on top.
    const first = await ask(newKey.key, 'a third question');
    assert.equal(first.status, 200, `the old dave's spend is not the new dave's: ${first.error?.message}`);
    const refused = await ask(newKey.key, 'a fourth question');
    assert.equal(refused.status, 429, 'its own budget still holds: $0.04 of $0.05 spent');
    assert.equal(refused.error?.code, 'budget_exceeded');
    assert.match(refused.error?.message ?? '', /consumer 'dave'/, 'the message names the consumer by name');
    assert.match(refused.error?.message ?? '', /spent \$0\.04 of \$0\.05/);

    const after = await ownUsage(newKey.key);
    assert.deepEqual(after.data.map((row) => row.key).sort(), [newKey.id, plainKey.id].sort());
    assert.equal(after.totals.requests, 4);

    // The Admin API tells them apart by id; by name it shows both.
    const byId = await admin<{ totals: { requests: number } }>('GET', `/usage?consumer=${old.id}`);
    assert.equal(byId.totals.requests, 3, 'the deleted consumer\'s records stay its own');
    const byName = await admin<{ data: Array<{ consumer_id: string; requests: number }> }>('GET', '/usage?consumer=dave&group_by=consumer_id');
    assert.deepEqual(byName.data.map((row) => [row.consumer_id, row.requests]).sort(), [[old.id, 3], [renewed.id, 4]].sort());
  });

  it('a YAML consumer\'s name: a store consumer of that name and the declared key\'s consumer share nothing, either way', async () => {
    assert.equal((await ask(declaredKey, 'what appA asked')).status, 200);
    assert.equal((await ask(declaredKey, 'what else appA asked')).status, 200);
    const declared = await ownUsage(declaredKey);
    assert.equal(declared.totals.requests, 2);
    assert.equal(declared.consumer_id, 'config:appA');

    const stored = await admin<{ id: string }>('POST', '/consumers', { name: 'appA' });
    const storedKey = await admin<{ id: string; key: string }>('POST', '/keys', { consumer: 'appA', limits: consumerBudget(0.05) });
    const before = await ownUsage(storedKey.key);
    assert.equal(before.totals.requests, 0, 'the declared key\'s requests are not the store consumer\'s');
    assert.equal(before.consumer_id, stored.id);

    const plainKey = await admin<{ id: string; key: string }>('POST', '/keys', { consumer: 'appA' });
    assert.equal((await ask(plainKey.key, 'what appA asked')).cache, 'miss', 'the declared consumer\'s cached answer is not served to the store consumer');
    assert.equal((await ask(declaredKey, 'what appA asked')).cache, 'hit', 'the declared key still has its own');

    // The declared appA spent $0.06, the store appA $0.02: its $0.05 budget admits one more call.
    const first = await ask(storedKey.key, 'a question of the store appA');
    assert.equal(first.status, 200, `the declared consumer's spend is not the store consumer's: ${first.error?.message}`);

    const declaredAfter = await ownUsage(declaredKey);
    assert.equal(declaredAfter.totals.requests, 3);
    assert.ok(!declaredAfter.data.some((row) => row.key === storedKey.id || row.key === plainKey.id), 'nor does the declared consumer see the store one\'s');
    assert.equal((await ownUsage(storedKey.key)).totals.requests, 2);
  });
});
