import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import type { StandIn } from '../helpers/stand-in-server.ts';
import { startPricedStandIn } from '../limits/priced-stand-in.ts';

const adminToken = 'admin-token-for-usage-rounding';

describe('GET /usage: costs as the ledger can state them', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  before(async () => {
    upstream = await startPricedStandIn();
    // 10 prompt tokens at $5,000 and 5 completion tokens at $10,000 per million: $0.1 a call.
    gw = await startGateway(`
admin: { tokens: [{ token: ${adminToken}, role: viewer }] }
zero_config: false
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: sk-upstream }
pricing:
  up: { "*": { input: 5000, output: 10000 } }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('sums $0.1 three times to 0.3 in the JSON report, not 0.30000000000000004, as the CSV does', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
    for (let call = 0; call < 3; call++) {
      const { response } = await client.chat.completions.create({ model: 'up/m1', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      assert.equal(response.headers.get('x-tollgate-cost-usd'), '0.1');
    }
    const report = await fetch(`${gw.adminUrl}/usage?group_by=model`, { headers: { authorization: `Bearer ${adminToken}` } });
    const text = await report.text();
    const body = JSON.parse(text) as { totals: { cost_usd: number; requests: number }; data: Array<{ cost_usd: number }> };
    assert.equal(body.totals.requests, 3);
    assert.equal(body.totals.cost_usd, 0.3);
    assert.equal(body.data[0].cost_usd, 0.3);
    assert.doesNotMatch(text, /0\.3000000/);
    const csv = await (await fetch(`${gw.adminUrl}/usage.csv?group_by=model`, { headers: { authorization: `Bearer ${adminToken}` } })).text();
    assert.match(csv, /,0\.3,/);
  });
});
