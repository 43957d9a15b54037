import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { adviseRetry } from '../../src/pipeline/advise-retry.ts';

function providerError(status: number, headers: Record<string, string>): GatewayError {
  return new GatewayError({ status, type: status >= 500 ? 'upstream_error' : 'invalid_request_error', code: `upstream_http_${status}`, message: 'failed', headers, upstream: true });
}

test("a provider's x-should-retry is left to reach the SDK after a single attempt, either way", () => {
  assert.equal(adviseRetry(providerError(500, { 'x-should-retry': 'false' }), 1), null);
  assert.equal(adviseRetry(providerError(400, { 'x-should-retry': 'true' }), 1), null);
});

test("once the gateway retried or failed over, a provider's x-should-retry: true is overridden, whatever the status", () => {
  assert.deepEqual(adviseRetry(providerError(503, { 'x-should-retry': 'true' }), 2), { 'x-should-retry': 'false' });
  assert.deepEqual(adviseRetry(providerError(400, { 'x-should-retry': 'true' }), 2), { 'x-should-retry': 'false' });
  assert.equal(adviseRetry(providerError(400, {}), 2), null, 'a 400 the provider says nothing of: the SDK does not retry it anyway');
});

test("a provider's x-should-retry: true with a Retry-After longer than a minute is overridden", () => {
  assert.deepEqual(adviseRetry(providerError(400, { 'x-should-retry': 'true', 'retry-after': '120' }), 1), { 'x-should-retry': 'false' });
});
