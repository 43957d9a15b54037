import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';

describe('cache hits and token limits', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(`
plugins:
  cache: {}
  rate-limit: { limits: [{ scope: global, tokens: 30, per: minute }] }
`);
  });
  after(() => gw.close());

  it('a hit counts as a request but uses none of the token budget', async () => {
    const body = JSON.stringify({ model: 'echo/x', max_tokens: 5, messages: [{ role: 'user', content: 'one two three' }] });
    const statuses: Array<string | null> = [];
    for (let index = 0; index < 12; index++) {
      const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', body });
      assert.equal(response.status, 200, `request ${index}: ${await response.clone().text()}`);
      statuses.push(response.headers.get('x-tollgate-cache'));
      await response.arrayBuffer();
    }
    assert.equal(statuses[0], 'miss');
    assert.deepEqual(new Set(statuses.slice(1)), new Set(['hit']));
  });
});
