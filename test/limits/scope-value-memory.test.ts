import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CounterKeyCache, counterKeyTurnMs } from '../../src/plugins/rate-limit/counter-key-cache.ts';
import { fromConfig } from '../../src/plugins/rate-limit/applicable-limits.ts';
import { MemoryBackend } from '../../src/plugins/rate-limit/memory-backend.ts';
import { rateLimitConfigSchema } from '../../src/plugins/rate-limit/rate-limit-config.ts';
import { RateLimiter } from '../../src/plugins/rate-limit/rate-limiter.ts';
import { windowSlot } from '../../src/plugins/rate-limit/windows.ts';
import { limitContext, limitDependencies } from './limit-context.ts';

/**
 * Leak audit, finding 2: a `header:x-user-id` per-minute limit kept every value's counter keys
 * (0.74 KB each) long after its window had ended: 4,796 values were all still held 6 minutes later.
 * Memory now follows the callers active in the last minute or two, on the limiter's own clock.
 */

const limiters: RateLimiter[] = [];
after(() => Promise.all(limiters.map((limiter) => limiter.close())));

function userLimiter(clock: { now: number }): RateLimiter {
  const { dependencies } = limitDependencies();
  const config = rateLimitConfigSchema.parse({ limits: [{ scope: 'header:x-user-id', requests: 3, per: 'minute' }] });
  const limiter = new RateLimiter(config, dependencies, { now: () => clock.now });
  limiters.push(limiter);
  return limiter;
}

function asUser(user: string) {
  return limitContext({ headers: { 'x-user-id': user } });
}

describe('per-caller state of the rate limiter follows the active callers', () => {
  it('5,000 distinct header values: their keys and counters go once their window has ended', async () => {
    const clock = { now: Date.UTC(2025, 0, 1, 12, 0, 10) };
    const limiter = userLimiter(clock);
    const backend = limiter.backend as MemoryBackend;
    for (let index = 0; index < 5_000; index++) await limiter.onRequest(asUser(`user-${index}`));
    assert.equal(limiter.cachedScopeValues, 5_000);
    assert.equal(backend.counterCount, 5_000);
    // Within the window that reads them they stay: the limit still holds.
    clock.now += 30_000;
    await limiter.onRequest(asUser('steady'));
    for (let index = 0; index < 2; index++) await limiter.onRequest(asUser('user-0'));
    await assert.rejects(async () => limiter.onRequest(asUser('user-0')), { code: 'rate_limit_exceeded' }, 'a value counted this minute still has its count');
    // Three minutes on, the per-minute windows of those 5,000 values have ended: only the caller still active is held.
    clock.now += 3 * 60_000;
    await limiter.onRequest(asUser('steady'));
    assert.equal(limiter.cachedScopeValues, 1);
    assert.equal(backend.counterCount, 1);
  });

  it('keeps a caller active in the last turn, with the same key strings', () => {
    const start = 1_000_000;
    const cache = new CounterKeyCache(start);
    const limit = fromConfig(rateLimitConfigSchema.parse({ limits: [{ scope: 'header:x-user-id', requests: 3, per: 'minute' }] }).limits[0]);
    const keys = (name: string) => ({ base: name, bucket: null, key: name, previousKey: null, mark: null });
    cache.set(limit, 'active', keys('active'), start);
    cache.set(limit, 'idle', keys('idle'), start);
    cache.turnIfDue(start + counterKeyTurnMs);
    const active = cache.get(limit, 'active');
    assert.equal(active?.key, 'active');
    assert.equal(cache.size, 2, 'a value unused for one turn is still held');
    cache.turnIfDue(start + 2 * counterKeyTurnMs);
    assert.equal(cache.get(limit, 'idle'), undefined, 'a value unused for two turns is let go');
    assert.equal(cache.get(limit, 'active'), active);
    assert.equal(cache.size, 1);
    cache.turnIfDue(start + 10 * counterKeyTurnMs);
    assert.equal(cache.size, 0, 'after a long idle time nothing is held');
  });

  it('a sliding bucket lives until the end of the next window that reads it, not two periods from its creation', () => {
    const minute = 60_000;
    const lateInTheMinute = Date.UTC(2025, 0, 1, 12, 0, 59);
    const slot = windowSlot('minute', lateInTheMinute, true);
    assert.equal(lateInTheMinute + slot.ttl, slot.end + minute + 1000);
    const early = windowSlot('minute', slot.start, true);
    assert.equal(slot.start + early.ttl, slot.end + minute + 1000);
  });
});
