import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { errors } from '../../src/errors/catalogue.ts';
import { shouldFallBack } from '../../src/routing/fallback-policy.ts';
import { RetryBudget } from '../../src/routing/retry-budget.ts';
import { backoffDelayMs, compileRetryPolicy, healthVerdict, isRetryable, mergeRetryConfigs, retryAfterMs } from '../../src/routing/retry-policy.ts';
import { TargetHealth, defaultHealthSettings } from '../../src/routing/target-health.ts';

const settings = { ...defaultHealthSettings, consecutiveFailures: 3, cooldownMs: 1000, maxCooldownMs: 5000 };

function providerError(status: number, headers: Record<string, string> = {}, code = `upstream_http_${status}`): GatewayError {
  return new GatewayError({ status, type: 'upstream_error', code, message: 'x', headers, upstream: true });
}

describe('circuit breaker (TargetHealth)', () => {
  it('opens after N consecutive failures; a success in between resets the count', () => {
    const health = new TargetHealth(settings);
    health.recordFailure(0, false, null);
    health.recordFailure(1, false, null);
    health.recordSuccess(2, false, null);
    health.recordFailure(3, false, null);
    health.recordFailure(4, false, null);
    assert.equal(health.state, 'closed');
    health.recordFailure(5, false, null);
    assert.equal(health.state, 'open');
    assert.equal(health.isAvailable(500), false);
  });

  it('lets one half-open probe through after the cooldown; success closes, failure re-opens for twice as long', () => {
    const health = new TargetHealth(settings);
    for (let index = 0; index < 3; index++) health.recordFailure(0, false, null);
    assert.equal(health.isAvailable(999), false);
    assert.equal(health.isAvailable(1000), true);
    const probe = health.beginAttempt(1000);
    assert.equal(probe, true);
    assert.equal(health.state, 'half-open');
    assert.equal(health.isAvailable(1000), false, 'only one probe at a time');
    health.recordFailure(1100, true, null);
    assert.equal(health.state, 'open');
    assert.equal(health.openUntil, 1100 + 2000, 'the cooldown doubled');
    health.beginAttempt(3100);
    health.recordFailure(3200, true, null);
    assert.equal(health.openUntil, 3200 + 4000);
    health.beginAttempt(7200);
    health.recordFailure(7300, true, null);
    assert.equal(health.openUntil, 7300 + 5000, 'capped by max_cooldown');
    assert.equal(health.beginAttempt(12_300), true);
    health.recordSuccess(12_400, true, 50);
    assert.equal(health.state, 'closed');
    assert.equal(health.openings, 0);
    assert.equal(health.beginAttempt(12_500), false, 'closed: not a probe');
  });

  it('opens on the error rate over a window once enough attempts were seen', () => {
    const health = new TargetHealth({ ...settings, consecutiveFailures: 0, errorRate: { threshold: 0.5, windowMs: 10_000, minRequests: 10 } });
    for (let index = 0; index < 9; index++) {
      if (index % 2 === 0) health.recordFailure(index, false, null);
      else health.recordSuccess(index, false, null);
    }
    assert.equal(health.state, 'closed', 'too few attempts to judge');
    health.recordFailure(10, false, null);
    assert.equal(health.state, 'open');
  });

  it('a 429 cools the target down for Retry-After without opening the circuit', () => {
    const health = new TargetHealth(settings);
    health.recordRateLimit(0, false, 2500);
    assert.equal(health.state, 'closed');
    assert.equal(health.isAvailable(2499), false);
    assert.equal(health.isAvailable(2500), true);
    assert.equal(health.availableAt(100), 2500);
    health.recordRateLimit(3000, false, null);
    assert.equal(health.cooldownUntil, 3000 + settings.rateLimitCooldownMs);
  });

  it('an answer ends a rate-limit cooldown only for an attempt sent after the 429', () => {
    const health = new TargetHealth(settings);
    health.recordRateLimit(1000, false, 120_000);
    health.recordSuccess(1200, false, 150, 900);
    assert.equal(health.isAvailable(1300), false, 'sent before the 429: says nothing about it');
    health.recordSuccess(1400, false, null);
    assert.equal(health.isAvailable(1500), false, 'send time unknown: the cooldown stays');
    health.recordSuccess(2100, false, 100, 2000);
    assert.equal(health.isAvailable(2200), true);
  });

  it('an abandoned probe frees the slot', () => {
    const health = new TargetHealth(settings);
    for (let index = 0; index < 3; index++) health.recordFailure(0, false, null);
    health.beginAttempt(1000);
    health.abandon(true);
    assert.equal(health.isAvailable(1000), true);
  });
});

describe('retry policy', () => {
  const policy = compileRetryPolicy(mergeRetryConfigs({ attempts: 3, backoff: { base: '100ms' } }, { backoff: { max: '1s' } }));

  it('merges layers field by field', () => {
    assert.equal(policy.attempts, 3);
    assert.equal(policy.backoffBaseMs, 100);
    assert.equal(policy.backoffMaxMs, 1000);
  });

  it('classifies retryable failures (configurable)', () => {
    assert.equal(isRetryable(policy, errors.upstreamUnreachable('p', 'ECONNREFUSED')), true);
    assert.equal(isRetryable(policy, errors.upstreamTimeout('p', 'first byte')), true);
    for (const status of [429, 500, 502, 503, 504]) assert.equal(isRetryable(policy, providerError(status)), true, String(status));
    for (const status of [400, 401, 404, 501]) assert.equal(isRetryable(policy, providerError(status)), false, String(status));
    assert.equal(isRetryable(policy, errors.missingProviderCredential('p')), false, 'gateway errors are never retried');
    const only500 = compileRetryPolicy({ on: [500] });
    assert.equal(isRetryable(only500, providerError(429)), false);
    assert.equal(isRetryable(only500, errors.upstreamUnreachable('p', 'x')), false);
  });

  it("counts Groq's 498 (flex tier at capacity) as 503 from a groq provider only: retries and health", () => {
    assert.equal(isRetryable(policy, providerError(498), 'groq'), true);
    assert.equal(isRetryable(policy, providerError(498), 'openai-compatible'), false);
    assert.equal(isRetryable(policy, providerError(498)), false);
    assert.equal(isRetryable(compileRetryPolicy({ on: [429] }), providerError(498), 'groq'), false, 'as 503, which this list leaves out');
    assert.equal(isRetryable(compileRetryPolicy({ on: [498] }), providerError(498), 'groq'), true, 'or named itself');
    assert.equal(healthVerdict(providerError(498), 'groq'), 'failure');
    assert.equal(healthVerdict(providerError(498, { 'retry-after': '2' }), 'groq'), 'rate-limited');
    assert.equal(healthVerdict(providerError(498), 'openai-compatible'), 'alive');
  });

  it('backs off exponentially with full jitter, capped', () => {
    assert.equal(backoffDelayMs(policy, 1, () => 0.999), 99);
    assert.equal(backoffDelayMs(policy, 2, () => 0.999), 199);
    assert.equal(backoffDelayMs(policy, 3, () => 0.5), 200);
    assert.equal(backoffDelayMs(policy, 10, () => 0.999), 999, 'capped at max');
    assert.equal(backoffDelayMs(policy, 3, () => 0), 0, 'full jitter reaches 0');
  });

  it('reads Retry-After in seconds, as an HTTP date, and retry-after-ms', () => {
    assert.equal(retryAfterMs(providerError(429, { 'retry-after': '7' })), 7000);
    assert.equal(retryAfterMs(providerError(429, { 'retry-after-ms': '250', 'retry-after': '1' })), 250);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs(providerError(429, { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now), 3000);
    assert.equal(retryAfterMs(providerError(429)), null);
  });
});

describe('retry budget', () => {
  it('allows retries up to the ratio of first attempts plus the steady allowance', () => {
    const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 0, windowMs: 10_000 });
    let retries = 0;
    for (let request = 0; request < 100; request++) {
      budget.recordFirstAttempt(request);
      for (let attempt = 0; attempt < 3; attempt++) if (budget.tryRetry(request)) retries++;
    }
    assert.equal(retries, 20);
  });

  it('the window slides: old first attempts stop counting', () => {
    const budget = new RetryBudget({ ratio: 0.5, minPerSecond: 0, windowMs: 1000 });
    for (let request = 0; request < 10; request++) budget.recordFirstAttempt(0);
    assert.equal(budget.tryRetry(10), true);
    assert.equal(budget.tryRetry(5000), false, 'the first attempts left the window');
    const quiet = new RetryBudget({ ratio: 0, minPerSecond: 2, windowMs: 1000 });
    assert.equal(quiet.tryRetry(0), true);
    assert.equal(quiet.tryRetry(0), true);
    assert.equal(quiet.tryRetry(0), false, 'the steady allowance is spent');
  });
});

describe('fallback conditions', () => {
  const all = new Set(['retryable', 'rate_limit', 'timeout', 'context_length_exceeded', 'content_filter', 'unavailable'] as const);
  it('takes a fallback only on the configured conditions', () => {
    assert.equal(shouldFallBack(all, providerError(500), true), true);
    assert.equal(shouldFallBack(new Set(['rate_limit'] as const), providerError(500), true), false);
    assert.equal(shouldFallBack(new Set(['rate_limit'] as const), providerError(429), true), true);
    assert.equal(shouldFallBack(new Set(['timeout'] as const), errors.upstreamTimeout('p', 'idle'), false), true);
    const tooLong = new GatewayError({ status: 400, type: 'invalid_request_error', code: 'context_length_exceeded', message: 'too long', upstream: true });
    assert.equal(shouldFallBack(new Set(['context_length_exceeded'] as const), tooLong, false), true);
    assert.equal(shouldFallBack(new Set(['retryable'] as const), tooLong, false), false);
    const byMessage = new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_request', message: "This model's maximum context length is 8192 tokens", upstream: true });
    assert.equal(shouldFallBack(new Set(['context_length_exceeded'] as const), byMessage, false), true);
    const filtered = new GatewayError({ status: 400, type: 'invalid_request_error', code: 'content_policy_violation', message: 'no', upstream: true });
    assert.equal(shouldFallBack(new Set(['content_filter'] as const), filtered, false), true);
    assert.equal(shouldFallBack(all, providerError(400), false), false, 'an ordinary 400 is the client’s');
  });
});

describe('config reload', () => {
  it('target health carries over to the next router when the previous one is passed', async () => {
    const { Router } = await import('../../src/routing/router.ts');
    const { configSchema } = await import('../../src/config/schema.ts');
    const { fakeProvider } = await import('./routing-fixtures.ts');
    const providers = new Map([['a', fakeProvider('a')]]);
    const config = configSchema.parse({ models: { g: { targets: [{ provider: 'a', model: 'm' }] } } });
    const first = Router.build(config, providers, []);
    const health = first.groups.get('g')!.targets[0].health;
    health.recordRateLimit(performance.now(), false, 60_000);
    const second = Router.build(config, providers, [], { previous: first });
    assert.equal(second.groups.get('g')!.targets[0].health, health);
    assert.equal(second.resolve('a/m').targets[0].health, health, 'direct provider/model names share it too');
    const changed = Router.build(configSchema.parse({ ...config, routing: { health: { cooldown: '1s' } } }), providers, [], { previous: first });
    assert.notEqual(changed.groups.get('g')!.targets[0].health, health, 'new health settings start fresh');
    await Promise.all([first.close(), second.close(), changed.close()]);
  });
});
