import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway } from '../helpers/start-gateway.ts';
import { deadPort, redisAvailable, redisUrl } from './redis-service.ts';

const available = await redisAvailable();

/** The value of one series in a /metrics text, or undefined when it is not there. */
function series(metrics: string, name: string): number | undefined {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

/**
 * The rate-limit plugin's backend series are in /metrics from the start, before any request meets
 * a limit: a gateway that starts while Redis is down must show tollgate_rate_limit_backend_up 0,
 * or an alert on it never fires (it takes traffic, /readyz 200, and fail_closed limits answer 503).
 */
describe('rate-limit backend metrics at start, with no traffic', () => {
  it('Redis refused: backend_up 0, errors_total 0, and one error line, without a request', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const gw = await startGateway(`redis: redis://127.0.0.1:${await deadPort()}\n`, {}, { logLines: lines });
    try {
      let metrics = '';
      for (let waited = 0; waited < 5000; waited += 50) {
        metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
        if (series(metrics, 'tollgate_rate_limit_backend_up{backend="redis"}') === 0) break;
        await sleep(50);
      }
      assert.equal(series(metrics, 'tollgate_rate_limit_backend_up{backend="redis"}'), 0, metrics.split('\n').filter((line) => line.includes('rate_limit')).join('\n'));
      assert.equal(series(metrics, 'tollgate_rate_limit_backend_errors_total{backend="redis"}'), 0, 'the series exists before any request could not be counted');
      assert.equal(lines.filter((line) => String(line.msg).startsWith('the rate-limit counter store cannot be reached')).length, 1);
    } finally {
      await gw.close();
    }
  });

  it('memory: backend_up 1 and errors_total 0', async () => {
    const gw = await startGateway('');
    try {
      const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
      assert.equal(series(metrics, 'tollgate_rate_limit_backend_up{backend="memory"}'), 1);
      assert.equal(series(metrics, 'tollgate_rate_limit_backend_errors_total{backend="memory"}'), 0);
    } finally {
      await gw.close();
    }
  });

  it('Redis reachable: backend_up 1 and errors_total 0', { skip: !available }, async () => {
    const gw = await startGateway(`redis: ${redisUrl}\n`);
    try {
      const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
      assert.equal(series(metrics, 'tollgate_rate_limit_backend_up{backend="redis"}'), 1);
      assert.equal(series(metrics, 'tollgate_rate_limit_backend_errors_total{backend="redis"}'), 0);
    } finally {
      await gw.close();
    }
  });
});
