import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { AdminListener } from '../../src/admin/admin-listener.ts';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';
import { startGateway } from '../helpers/start-gateway.ts';

const loadedModules = createRequire(import.meta.url).cache;
const fastifyLoaded = () => Object.keys(loadedModules).some((path) => path.includes('/node_modules/fastify/'));

/** Status, the headers a client reads, and the body. */
async function answer(response: Response): Promise<{ status: number; type: string | null; length: string | null; body: string }> {
  return { status: response.status, type: response.headers.get('content-type'), length: response.headers.get('content-length'), body: await response.text() };
}

describe('the Admin listener', () => {
  // One process runs this file: Fastify is loaded only once the listener needs it.
  it('answers the probes and the scrape without loading Fastify, then builds the Admin API on its first request', async () => {
    const gw = await startGateway('admin: { tokens: [{ token: admin-secret, role: admin }] }');
    try {
      const health = await answer(await fetch(`${gw.adminUrl}/healthz`));
      assert.deepEqual(health, { status: 200, type: 'application/json; charset=utf-8', length: '15', body: '{"status":"ok"}' });
      const ready = await fetch(`${gw.adminUrl}/readyz?verbose=1`);
      assert.equal(ready.status, 200);
      assert.equal(((await ready.json()) as { status: string }).status, 'ready');
      const metrics = await fetch(`${gw.adminUrl}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(await metrics.text(), /^process_cpu_seconds_total /m);
      const head = await fetch(`${gw.adminUrl}/healthz`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), '15');
      assert.equal(await head.text(), '');
      assert.equal(fastifyLoaded(), false, 'Fastify was loaded for a probe');

      // Anything else goes to the Admin API: authentication, routes, its 404s.
      const missingToken = await fetch(`${gw.adminUrl}/keys`);
      assert.equal(missingToken.status, 401);
      assert.equal(((await missingToken.json()) as { error: { code: string } }).error.code, 'missing_admin_token');
      assert.equal(fastifyLoaded(), true);
      const keys = await fetch(`${gw.adminUrl}/keys`, { headers: { authorization: 'Bearer admin-secret' } });
      assert.equal(keys.status, 200);
      const postHealth = await fetch(`${gw.adminUrl}/healthz`, { method: 'POST' });
      assert.equal(postHealth.status, 405);
      assert.equal(postHealth.headers.get('allow'), 'GET, HEAD');
      assert.equal(((await postHealth.json()) as { error: { code: string } }).error.code, 'method_not_allowed');
    } finally {
      await gw.close();
    }
  });

  it('answers /healthz, /readyz and /metrics exactly as the Admin API app does', async () => {
    // Imported here: the first test checks that the listener loads it only when needed.
    const { createAdminServer } = await import('../../src/admin/admin-server.ts');
    const metrics = new GatewayMetrics();
    const status = { ready: () => false, details: () => ({ config: '(inline config)', providers: ['echo'] }) };
    const listener = new AdminListener(status, metrics, undefined, pino({ level: 'silent' }));
    const app = createAdminServer(status, metrics);
    const port = await listener.listen(0, '127.0.0.1');
    try {
      for (const path of ['/healthz', '/readyz']) {
        const fromListener = await answer(await fetch(`http://127.0.0.1:${port}${path}`));
        const fromApp = await app.inject({ method: 'GET', url: path });
        assert.deepEqual(fromListener, { status: fromApp.statusCode, type: String(fromApp.headers['content-type']), length: String(fromApp.headers['content-length']), body: fromApp.body }, path);
      }
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(scraped.headers.get('content-type'), (await app.inject({ method: 'GET', url: '/metrics' })).headers['content-type']);
      assert.equal(scraped.status, 200);
    } finally {
      await listener.close();
      await app.close();
    }
  });

  it('a failing scrape is a 500 in the Admin API error shape, logged, without the cause', async () => {
    const metrics = new GatewayMetrics();
    metrics.exposeFrom(() => Promise.reject(new Error('cluster worker 2 did not answer (secret-detail)')));
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    const listener = new AdminListener({ ready: () => true, details: () => ({}) }, metrics, undefined, logger);
    const port = await listener.listen(0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(response.status, 500);
      const text = await response.text();
      assert.deepEqual(JSON.parse(text), { error: { message: 'The Admin API failed to handle the request.', type: 'api_error', param: null, code: 'internal_error' } });
      assert.doesNotMatch(text, /secret-detail/);
      assert.equal(lines.length, 1);
      assert.match(lines[0], /the Admin API failed to handle a request/);
      // The listener still serves.
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    } finally {
      await listener.close();
    }
  });

  it('finishes a request in flight when it closes, and refuses new ones', async () => {
    const metrics = new GatewayMetrics();
    let release: (text: string) => void = () => {};
    metrics.exposeFrom(() => new Promise((resolve) => (release = resolve)));
    const listener = new AdminListener({ ready: () => true, details: () => ({}) }, metrics, undefined, pino({ level: 'silent' }));
    const port = await listener.listen(0, '127.0.0.1');
    const scrape = fetch(`http://127.0.0.1:${port}/metrics`);
    while ((await new Promise<number>((resolve) => listener.server.getConnections((_error, count) => resolve(count)))) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    const closed = listener.close();
    release('tollgate_requests_total 1\n');
    const response = await scrape;
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'tollgate_requests_total 1\n');
    await closed;
    assert.ok(Date.now() - started < 1000, `the keep-alive connection held the close for ${Date.now() - started} ms`);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
  });
});
