import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateLimitExceeded } from '../../src/plugins/rate-limit/rate-limit-errors.ts';
import type { ApplicableLimit } from '../../src/plugins/rate-limit/applicable-limits.ts';

// The 429's "Please try again in ..." must never say less than its Retry-After (which rounds up):
// a client or operator waiting what the message says would be refused again (limits audit 2).
describe('a rate-limit refusal says to wait at least as long as its Retry-After', () => {
  const applicable = { limit: { scope: 'key', name: 'rpm', value: 10, per: 'minute', unit: 'requests' }, scopeValue: 'k1' } as unknown as ApplicableLimit;
  const estimate = { inputTokens: 0, outputTokens: 0, maxTokensSet: false, costUsd: 0 };

  for (const [milliseconds, said] of [[13_400, '14s'], [66_200, '67s'], [1_234, '1.3s'], [9_901, '10.0s'], [250.2, '251ms']] as const) {
    it(`${milliseconds} ms: "${said}"`, () => {
      const error = rateLimitExceeded(applicable, 10, 1, milliseconds, {}, estimate);
      assert.match(error.message, new RegExp(`Please try again in ${said.replace('.', '\\.')}\\.$`));
      const header = Number(error.headers?.['retry-after']);
      assert.ok(Number.parseFloat(said) * (said.endsWith('ms') ? 0.001 : 1) >= Math.min(header, milliseconds / 1000), `${said} vs Retry-After ${header}`);
    });
  }
});
