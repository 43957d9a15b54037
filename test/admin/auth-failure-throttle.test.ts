import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { AuthFailureThrottle } from '../../src/admin/auth-failure-throttle.ts';
import { Gateway } from '../../src/gateway/gateway.ts';
import { GatewayError } from '../../src/errors/gateway-error.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One Admin API call from a chosen loopback address (127.0.0.0/8 is all loopback on Linux). */
function call(port: number, path: string, options: { from: string; token?: string; method?: string; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const outgoing = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', localAddress: options.from, headers, agent: false }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (piece: string) => (body += piece));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

function errorOf(answer: Answer): { message: string; type: string; param: string | null; code: string } {
  return (JSON.parse(answer.body) as { error: { message: string; type: string; param: string | null; code: string } }).error;
}

const adminToken = 'admin-secret-4f1d';
const viewerToken = 'viewer-secret-9c2e';
const max = 3;
const windowMs = 2000;

describe('Admin API: failed authentications are throttled per client address', () => {
  const lines: string[] = [];
  let gateway: Gateway;
  let port: number;

  before(async () => {
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    gateway = await Gateway.start({
      configText: `admin: { tokens: [{ token: ${adminToken}, role: admin }, { token: ${viewerToken}, role: viewer }], auth_failures: { max: ${max}, window: ${windowMs}ms } }`,
      env: {},
      port: 0,
      adminPort: 0,
      logger,
      storage: 'sqlite::memory:',
    });
    port = gateway.adminPort!;
  });
  after(() => gateway.stop(2000));

  it('after max wrong tokens: 429 with Retry-After in the usual error shape, the right token too, until the window has passed; one warning without the token', async () => {
    const from = '127.0.0.2';
    for (let attempt = 1; attempt <= max; attempt++) {
      const wrong = await call(port, '/keys', { from, token: `guess-${attempt}` });
      assert.equal(wrong.status, 401, `attempt ${attempt}`);
      assert.equal(errorOf(wrong).code, 'invalid_admin_token');
    }
    // The lockout runs one window from the last failure, which was answered by now.
    const lockedBy = Date.now();
    const refused = await call(port, '/keys', { from, token: 'guess-4' });
    assert.equal(refused.status, 429);
    assert.match(refused.headers['content-type'] as string, /^application\/json/);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowMs / 1000, `Retry-After ${refused.headers['retry-after']}`);
    assert.deepEqual(Object.keys(errorOf(refused)).sort(), ['code', 'message', 'param', 'type']);
    assert.equal(errorOf(refused).type, 'rate_limit_error');
    assert.equal(errorOf(refused).code, 'too_many_auth_failures');
    assert.equal(errorOf(refused).param, null);

    // The lockout holds for every request that needs a token: the right one, none, a write with a body, HEAD.
    const right = await call(port, '/keys', { from, token: adminToken });
    assert.equal(right.status, 429, 'the right token from a locked-out address');
    assert.equal(errorOf(right).code, 'too_many_auth_failures');
    assert.equal((await call(port, '/whoami', { from })).status, 429);
    assert.equal((await call(port, '/teams', { from, token: adminToken, method: 'POST', body: '{"name":"payments"}' })).status, 429);
    assert.equal((await call(port, '/keys', { from, token: adminToken, method: 'HEAD' })).status, 429);
    // Routes without a token still answer it: probes and scrapes from that address keep working.
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) assert.equal((await call(port, path, { from })).status, 200, path);

    const warnings = lines.filter((line) => line.includes('failed authentications'));
    assert.equal(warnings.length, 1, 'one warning per lockout');
    const warning = JSON.parse(warnings[0]) as { level: number; address: string; failures: number };
    assert.equal(warning.level, 40);
    assert.equal(warning.address, from);
    assert.equal(warning.failures, max);
    assert.ok(lines.every((line) => !line.includes('guess-') && !line.includes(adminToken)), 'a token was logged');

    await sleep(lockedBy + windowMs + 50 - Date.now());
    assert.equal((await call(port, '/keys', { from, token: adminToken })).status, 200, 'accepted again after the window');
    assert.equal(lines.filter((line) => line.includes('failed authentications')).length, 1);
  });

  it('other addresses are not affected by a locked-out one', async () => {
    const locked = '127.0.0.3';
    for (let attempt = 1; attempt <= max; attempt++) assert.equal((await call(port, '/keys', { from: locked, token: 'nope' })).status, 401);
    assert.equal((await call(port, '/keys', { from: locked, token: adminToken })).status, 429);
    assert.equal((await call(port, '/keys', { from: '127.0.0.4', token: adminToken })).status, 200);
    const wrongElsewhere = await call(port, '/keys', { from: '127.0.0.5', token: 'nope' });
    assert.equal(wrongElsewhere.status, 401, 'another address has its own count');
  });

  it('compares at most max guesses from one address, however many arrive at once', async () => {
    const from = '127.0.0.6';
    const answers = await Promise.all(Array.from({ length: 20 }, (_unused, index) => call(port, '/keys', { from, token: `parallel-${index}` })));
    const statuses = answers.map((answer) => answer.status);
    assert.equal(statuses.filter((status) => status === 401).length, max, statuses.join(','));
    assert.equal(statuses.filter((status) => status === 429).length, 20 - max, statuses.join(','));
  });

  it('counts only wrong tokens: not a missing one, not public routes, not a viewer refused a write', async () => {
    const from = '127.0.0.7';
    for (let round = 0; round < max + 2; round++) {
      for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) {
        assert.equal((await call(port, path, { from })).status, 200, path);
        assert.equal((await call(port, path, { from, token: 'wrong' })).status, 200, `${path} with a wrong token`);
      }
      assert.equal((await call(port, '/keys', { from })).status, 401, 'a missing token');
      assert.equal(errorOf(await call(port, '/keys', { from })).code, 'missing_admin_token');
      assert.equal((await call(port, '/teams', { from, token: viewerToken, method: 'POST', body: '{"name":"x"}' })).status, 403);
    }
    assert.equal((await call(port, '/keys', { from, token: adminToken })).status, 200);
    // One wrong token fewer than the limit still leaves the address in.
    for (let attempt = 1; attempt < max; attempt++) assert.equal((await call(port, '/keys', { from, token: 'wrong' })).status, 401);
    assert.equal((await call(port, '/keys', { from, token: adminToken })).status, 200);
    // A success does not reset the count: the next wrong token is the max-th and locks the address out.
    assert.equal((await call(port, '/keys', { from, token: 'wrong' })).status, 401);
    assert.equal((await call(port, '/keys', { from, token: adminToken })).status, 429);
  });

  it('the OpenAPI document lists the 429 on routes that need a token, not on public ones', async () => {
    const document = JSON.parse((await call(port, '/openapi.json', { from: '127.0.0.8' })).body) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    assert.ok(document.paths['/keys'].get.responses['429']);
    assert.equal(document.paths['/healthz'].get.responses['429'], undefined);
  });
});

describe('AuthFailureThrottle', () => {
  it('counts failures in a window that starts at the first one, and forgets them after it', () => {
    let now = 1_000_000;
    const throttle = new AuthFailureThrottle({ max: 3, window: '10s' }, { now: () => now });
    throttle.recordFailure('10.0.0.1');
    throttle.recordFailure('10.0.0.1');
    now += 10_000;
    throttle.recordFailure('10.0.0.1');
    throttle.refuseIfLockedOut('10.0.0.1');
    throttle.recordFailure('10.0.0.1');
    throttle.recordFailure('10.0.0.1');
    assert.throws(() => throttle.refuseIfLockedOut('10.0.0.1'), (error: unknown) => error instanceof GatewayError && error.status === 429 && error.headers['retry-after'] === '10');
    now += 9_500;
    assert.throws(() => throttle.refuseIfLockedOut('10.0.0.1'), (error: unknown) => error instanceof GatewayError && error.headers['retry-after'] === '1');
    // A failure that was in flight when the lockout began neither counts nor extends it.
    throttle.recordFailure('10.0.0.1');
    now += 500;
    throttle.refuseIfLockedOut('10.0.0.1');
    throttle.recordFailure('10.0.0.1');
    throttle.refuseIfLockedOut('10.0.0.1');
  });

  it('a lockout longer than an SDK should sleep says x-should-retry: false', () => {
    const throttle = new AuthFailureThrottle({ max: 1, window: '5m' });
    throttle.recordFailure('::1');
    assert.throws(() => throttle.refuseIfLockedOut('::1'), (error: unknown) => error instanceof GatewayError && error.headers['retry-after'] === '300' && error.headers['x-should-retry'] === 'false');
  });

  it('tracks a bounded number of addresses, forgetting the one that failed longest ago', () => {
    const throttle = new AuthFailureThrottle({ max: 2, window: '1m' }, { trackedAddresses: 100 });
    throttle.recordFailure('10.1.0.0');
    throttle.recordFailure('10.1.0.0');
    for (let index = 1; index <= 1000; index++) throttle.recordFailure(`10.2.${index >> 8}.${index & 255}`);
    assert.equal(throttle.size, 100);
    // The locked-out address failed longest ago and was forgotten; the most recent ones are kept.
    throttle.refuseIfLockedOut('10.1.0.0');
    throttle.recordFailure('10.2.3.232');
    assert.throws(() => throttle.refuseIfLockedOut('10.2.3.232'));
  });

  it('requests whose socket has gone (no address) share one entry instead of escaping the count', () => {
    const throttle = new AuthFailureThrottle({ max: 2, window: '1m' });
    throttle.recordFailure(undefined);
    throttle.recordFailure(undefined);
    assert.throws(() => throttle.refuseIfLockedOut(undefined));
  });
});
