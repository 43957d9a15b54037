import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toMilliseconds } from '../../src/config/units.ts';
import { rateLimitConfigSchema } from '../../src/plugins/rate-limit/rate-limit-config.ts';

// redis_timeout is a duration, as in the cache plugin: `250ms`, `1s`; a bare number is refused, as for every duration.
describe('rate-limit redis_timeout', () => {
  const timeout = (value?: unknown) => toMilliseconds(rateLimitConfigSchema.parse(value === undefined ? {} : { redis_timeout: value }).redis_timeout);

  it('takes a duration with its unit, default 250 ms', () => {
    assert.equal(timeout(), 250);
    assert.equal(timeout('250ms'), 250);
    assert.equal(timeout('1s'), 1000);
  });

  it('refuses zero, negative, bare numbers and unit-less strings', () => {
    for (const value of [0, '0ms', -5, 300, '250', 'soon']) assert.equal(rateLimitConfigSchema.safeParse({ redis_timeout: value }).success, false, String(value));
  });
});
