import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

const adminToken = 'admin-token-for-route-names';

// An unnamed route goes by route-<index> everywhere: the x-tollgate-route header and the ledger
// (usage reports filter by it) and the Admin API's /routes/{id}, so the id an operator reads there
// finds the route's records.
describe('an unnamed route has one name: route-<index>, in headers and in the Admin API', () => {
  let gw: RunningGateway;

  before(async () => {
    gw = await startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }] }
routes:
  - { name: named, match: { model: first }, model: echo/one }
  - { match: { model: second }, model: echo/two }`);
  });
  after(() => gw.close());

  it('the header names the route as the Admin API lists it', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const { response } = await client.chat.completions.create({ model: 'second', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    assert.equal(response.headers.get('x-tollgate-route'), 'route-1');
    const list = await fetch(`${gw.adminUrl}/routes`, { headers: { authorization: `Bearer ${adminToken}` } });
    const body = (await list.json()) as { data: Array<{ id: string; index: number }> };
    assert.deepEqual(body.data.map((route) => [route.id, route.index]), [['named', 0], ['route-1', 1]]);
    const one = await fetch(`${gw.adminUrl}/routes/route-1`, { headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(one.status, 200);
    assert.equal(((await one.json()) as { model: string }).model, 'echo/two');
  });
});
