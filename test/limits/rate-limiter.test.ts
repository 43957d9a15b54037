import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { rateLimitConfigSchema } from '../../src/plugins/rate-limit/rate-limit-config.ts';
import { RateLimiter } from '../../src/plugins/rate-limit/rate-limiter.ts';
import { windowSlot } from '../../src/plugins/rate-limit/windows.ts';
import { estimatePromptTokens } from '../../src/usage/estimate-request-tokens.ts';
import type { RequestContext } from '../../src/pipeline/context.ts';
import { finish, limitContext, limitDependencies } from './limit-context.ts';
import { randomUUID } from 'node:crypto';
import { redisAvailable, redisUrl } from './redis-service.ts';

const withRedis = await redisAvailable();

type Backend = 'memory' | 'redis';

function limiter(config: Record<string, unknown>, options: { now?: () => number; pricing?: Record<string, Record<string, { input: number; output: number }>>; backend?: Backend; prefix?: string } = {}) {
  const { dependencies, lines } = limitDependencies(options.pricing);
  const backend = options.backend === 'redis' ? { backend: 'redis', redis_url: redisUrl, key_prefix: options.prefix } : {};
  const rateLimiter = new RateLimiter(rateLimitConfigSchema.parse({ ...config, ...backend }), dependencies, { now: options.now });
  limiters.push(rateLimiter);
  return { limiter: rateLimiter, lines };
}

const limiters: RateLimiter[] = [];
after(() => Promise.all(limiters.map((rateLimiter) => rateLimiter.close())));

/** Runs the access phase; the GatewayError it throws, or null when admitted. */
async function admit(rateLimiter: RateLimiter, ctx: RequestContext): Promise<GatewayError | null> {
  try {
    await rateLimiter.onRequest(ctx);
    return null;
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }
}

/** The log phase; with Redis its settle call is in flight afterwards, so wait for it to land. */
async function logPhase(rateLimiter: RateLimiter, ctx: RequestContext): Promise<void> {
  rateLimiter.onLog(ctx);
  if (rateLimiter.backend.kind === 'redis') await new Promise((resolve) => setTimeout(resolve, 15));
}

async function counterValue(rateLimiter: RateLimiter, key: string): Promise<number> {
  return (await rateLimiter.backend.settle([], [], [key]))[0];
}

describe('rate-limit scopes that need an authenticated caller', () => {
  it('counts key, consumer and team scopes separately and skips requests without that identity', async () => {
    const { limiter: rateLimiter } = limiter({ limits: [{ scope: 'key', requests: 2, per: 'minute' }, { scope: 'team', requests: 3, per: 'minute' }] });
    const as = (key: string, team = 'red') => limitContext({ caller: { key, team, consumer: 'c' } });
    assert.equal(await admit(rateLimiter, as('k1')), null);
    assert.equal(await admit(rateLimiter, as('k1')), null);
    const third = await admit(rateLimiter, as('k1'));
    assert.equal(third?.code, 'rate_limit_exceeded');
    assert.match(third!.message, /key 'k1'/);
    assert.equal(await admit(rateLimiter, as('k2')), null, 'another key has its own counter');
    const teamFull = await admit(rateLimiter, as('k3'));
    assert.equal(teamFull?.code, 'rate_limit_exceeded', 'the team limit (3) is shared by its keys');
    assert.match(teamFull!.message, /team 'red'/);
    assert.equal(await admit(rateLimiter, as('k3', 'blue')), null);
    for (let index = 0; index < 5; index++) assert.equal(await admit(rateLimiter, limitContext()), null, 'anonymous requests have no key or team counter');
  });

  it('enforces limits written on the caller (ctx.caller.limits) with no configured limits', async () => {
    const { limiter: rateLimiter } = limiter({});
    const limits = [{ requests: 2, per: 'minute' as const }, { scope: 'consumer' as const, requests: 3, per: 'minute' as const }];
    const as = (key: string) => limitContext({ caller: { key, consumer: 'acme', limits } });
    assert.equal(await admit(rateLimiter, as('k1')), null);
    assert.equal(await admit(rateLimiter, as('k1')), null);
    assert.equal((await admit(rateLimiter, as('k1')))?.code, 'rate_limit_exceeded');
    assert.equal(await admit(rateLimiter, as('k2')), null);
    const consumerFull = await admit(rateLimiter, as('k2'));
    assert.match(consumerFull!.message, /consumer 'acme'/);
    assert.equal(await admit(rateLimiter, limitContext({ caller: { key: 'k9', limits: [{ requests: 1, per: 'second', mode: 'soft' }] } })), null);
    assert.equal(await admit(rateLimiter, limitContext({ caller: { key: 'k9', limits: [{ requests: 1, per: 'second', mode: 'soft' }] } })), null, 'a soft caller limit lets the request through');
  });
});

for (const backend of ['memory', 'redis'] as const) {
describe(`token reconciliation (${backend} counters)`, { skip: backend === 'redis' && !withRedis }, () => {
  const day = Date.UTC(2026, 11, 3, 12, 0, 0);
  const prefix = backend === 'redis' ? `tollgate-test:${randomUUID()}:` : 'tollgate:rl:';
  const key = `${prefix}key:k1:tokens:day:${windowSlot('day', day, true).bucket}`;

  it('charges the estimate, then the reported usage; refunds failures; keeps the reservation when usage is unknown', async () => {
    const { limiter: rateLimiter } = limiter({ limits: [{ scope: 'key', tokens: 10_000, per: 'day' }] }, { now: () => day, backend, prefix });
    const first = limitContext({ caller: { key: 'k1' }, content: 'one two three four', maxTokens: 50 });
    const estimate = estimatePromptTokens('chat', first.body) + 50;
    assert.equal(await admit(rateLimiter, first), null);
    assert.equal(await counterValue(rateLimiter, key), estimate);
    finish(first, 200, { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
    await logPhase(rateLimiter, first);
    assert.equal(await counterValue(rateLimiter, key), 13, 'charged 13 real tokens, refunded the rest of the estimate');

    const over = limitContext({ caller: { key: 'k1' }, maxTokens: 10 });
    const overEstimate = estimatePromptTokens('chat', over.body) + 10;
    await admit(rateLimiter, over);
    finish(over, 200, { prompt_tokens: 100, completion_tokens: 200, total_tokens: 300 });
    await logPhase(rateLimiter, over);
    assert.equal(await counterValue(rateLimiter, key), 13 + 300, `charged the difference above the estimate (${overEstimate})`);

    const failed = limitContext({ caller: { key: 'k1' }, maxTokens: 10 });
    await admit(rateLimiter, failed);
    finish(failed, 502, null);
    await logPhase(rateLimiter, failed);
    assert.equal(await counterValue(rateLimiter, key), 313, 'a failed call is refunded');

    const cut = limitContext({ caller: { key: 'k1' }, maxTokens: 10 });
    const cutEstimate = estimatePromptTokens('chat', cut.body) + 10;
    await admit(rateLimiter, cut);
    finish(cut, 499, null);
    await logPhase(rateLimiter, cut);
    assert.equal(await counterValue(rateLimiter, key), 313 + cutEstimate, 'a cut stream without usage keeps its reservation');
  });
});

describe(`budgets (cost_usd, ${backend} counters)`, { skip: backend === 'redis' && !withRedis }, () => {
  const prefix = `tollgate-test:${randomUUID()}:`;
  // $1 a token makes the arithmetic visible.
  const pricing = { echo: { '*': { input: 1_000_000, output: 1_000_000 } } };

  it('rolls over at the calendar month (UTC)', async () => {
    let now = Date.UTC(2026, 11, 31, 23, 59, 0);
    const { limiter: rateLimiter } = limiter({ limits: [{ scope: 'key', cost_usd: 25, per: 'month', name: 'monthly' }] }, { now: () => now, pricing, backend, prefix });
    const request = () => limitContext({ caller: { key: 'k1' }, content: 'hi', maxTokens: 10 });
    const first = request();
    assert.equal(await admit(rateLimiter, first), null);
    finish(first, 200, { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 });
    await logPhase(rateLimiter, first);
    const blocked = await admit(rateLimiter, request());
    assert.equal(blocked?.status, 429);
    assert.equal(blocked?.code, 'budget_exceeded');
    assert.match(blocked!.message, /Budget nearly spent for key 'k1': monthly \(spent \$20 of \$25 this month\); this request's estimated cost of \$18 is more than the \$5 left\. .* Set a lower max_tokens, or wait until it resets at 2027-01-01T00:00:00\.000Z\./);
    assert.equal(blocked?.headers['retry-after'], '60');
    assert.equal(blocked?.headers['x-should-retry'], undefined, 'a minute is short enough for an SDK to wait');
    now = Date.UTC(2027, 0, 1, 0, 0, 1);
    assert.equal(await admit(rateLimiter, request()), null, 'a new month, a new budget');
  });

  it('charges what was spent when nothing could be reserved (a name priced only once routing chose what served)', async () => {
    const now = Date.UTC(2026, 11, 3);
    const { limiter: rateLimiter } = limiter({ limits: [{ scope: 'key', cost_usd: 25, per: 'day' }] }, { now: () => now, pricing: { echo: { served: { input: 1_000_000, output: 1_000_000 } } }, backend, prefix });
    const request = () => {
      const ctx = limitContext({ caller: { key: 'k-unreserved' }, model: 'some-alias', maxTokens: 10 });
      ctx.target = { ...ctx.target!, model: 'served' };
      return ctx;
    };
    for (let call = 0; call < 2; call++) {
      const ctx = request();
      assert.equal(await admit(rateLimiter, ctx), null, 'nothing reserved: admitted while the budget is not spent');
      finish(ctx, 200, { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 });
      await logPhase(rateLimiter, ctx);
    }
    const blocked = await admit(rateLimiter, request());
    assert.equal(blocked?.code, 'budget_exceeded', 'the $40 spent through the name was charged');
    assert.match(blocked!.message, /spent \$40 of \$25 this day/);
  });

  it('under concurrency never spends more than the budget plus what was in flight, and alerts once per threshold', async () => {
    const now = Date.UTC(2026, 11, 3);
    const { limiter: rateLimiter, lines } = limiter({ limits: [{ scope: 'global', cost_usd: 100, per: 'month', name: 'team budget', alerts: [50, 80, 100] }] }, { now: () => now, pricing, backend, prefix });
    let spent = 0;
    let rejected = 0;
    for (let round = 0; round < 10; round++) {
      // A burst: every request reserves its estimate before any finishes.
      const burst = Array.from({ length: 10 }, () => limitContext({ content: 'four words right here', maxTokens: 5 }));
      const admitted: RequestContext[] = [];
      for (const ctx of burst) {
        const error = await admit(rateLimiter, ctx);
        if (error) {
          assert.equal(error.code, 'budget_exceeded');
          rejected++;
        } else admitted.push(ctx);
      }
      for (const ctx of admitted) {
        // Real usage at or under the reservation (prompt estimate + max_tokens).
        finish(ctx, 200, { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 });
        spent += 9;
        await logPhase(rateLimiter, ctx);
      }
    }
    assert.ok(rejected > 0);
    assert.ok(spent <= 100, `spent ${spent}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const alerts = lines.filter((line) => line.type === 'budget_alert');
    assert.deepEqual(alerts.map((line) => line.threshold_percent).sort((a, b) => Number(a) - Number(b)), spent >= 100 ? [50, 80, 100] : [50, 80]);
  });

  it('a soft budget lets requests through and warns once', async () => {
    const now = Date.UTC(2026, 11, 3);
    const { limiter: rateLimiter, lines } = limiter({ limits: [{ scope: 'key', cost_usd: 10, per: 'day', mode: 'soft', alerts: [] }] }, { now: () => now, pricing, backend, prefix });
    for (let index = 0; index < 5; index++) {
      const ctx = limitContext({ caller: { key: 'k1' }, maxTokens: 5 });
      assert.equal(await admit(rateLimiter, ctx), null);
      finish(ctx, 200, { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 });
      await logPhase(rateLimiter, ctx);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(lines.filter((line) => typeof line.msg === 'string' && line.msg.startsWith('soft limit')).length, 1);
  });
});
}

describe('limits stored on keys, consumers and teams', () => {
  it('converts the list form, the shorthand record and a budget to caller limits', async () => {
    const { toCallerLimits } = await import('../../src/identity/caller-limits.ts');
    assert.deepEqual(toCallerLimits('key', [{ requests: 20, per: 'minute' }]), [{ scope: 'key', requests: 20, per: 'minute' }]);
    assert.deepEqual(toCallerLimits('team', { rpm: 60, tpd: 100000, concurrent: 3, nonsense: 1 }, { max_usd: 50, period: '30d' }), [
      { scope: 'team', requests: 60, per: 'minute' },
      { scope: 'team', tokens: 100000, per: 'day' },
      { scope: 'team', concurrent: 3 },
      { scope: 'team', cost_usd: 50, per: 'month' },
    ]);
    assert.deepEqual(toCallerLimits('key', null, { max_usd: 5, period: '7d' }), [], 'a week is not a supported period');
  });
});

describe('scopes that need no caller', () => {
  it('counts route (matched routes only), model, ip and header scopes per value', async () => {
    const { limiter: rateLimiter } = limiter({
      limits: [
        { scope: 'route', requests: 1, per: 'minute' },
        { scope: 'model', requests: 2, per: 'minute' },
        { scope: 'header:X-Tenant', requests: 3, per: 'minute' },
      ],
    });
    const routed = (name: string | null, model = 'echo/a') => {
      const ctx = limitContext({ model });
      ctx.route = name === null ? null : ({ name } as RequestContext['route']);
      return ctx;
    };
    assert.equal(await admit(rateLimiter, routed('r1')), null);
    assert.match((await admit(rateLimiter, routed('r1')))!.message, /route 'r1'/);
    assert.equal(await admit(rateLimiter, routed(null)), null, 'no route: the route limit does not apply');
    assert.match((await admit(rateLimiter, routed(null)))!.message, /model 'echo\/a'/);
    assert.equal(await admit(rateLimiter, routed(null, 'echo/b')), null);
    const tenant = () => limitContext({ model: `echo/${Math.random()}`, headers: { 'x-tenant': 't1' } });
    assert.equal(await admit(rateLimiter, tenant()), null);
    assert.equal(await admit(rateLimiter, tenant()), null);
    assert.equal(await admit(rateLimiter, tenant()), null);
    assert.match((await admit(rateLimiter, tenant()))!.message, /x-tenant 't1'/);
  });
});
