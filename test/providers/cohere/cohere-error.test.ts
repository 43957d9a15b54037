import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapCohereError } from '../../../src/providers/cohere/cohere-error.ts';
import { fixtureBytes } from './fixtures.ts';

function map(status: number, fixture: string, headers: Record<string, string> = {}, apiKey?: string) {
  return mapCohereError('cohere', status, headers, fixtureBytes(fixture).toString('utf8'), apiKey);
}

describe('mapCohereError', () => {
  const cases: Array<[number, string, number, string, string]> = [
    [400, 'error-400.json', 400, 'invalid_request_error', 'invalid_request'],
    [400, 'error-400-context-length.json', 400, 'invalid_request_error', 'context_length_exceeded'],
    [400, 'error-400-max-tokens.json', 400, 'invalid_request_error', 'invalid_request'],
    [401, 'error-401.json', 401, 'authentication_error', 'invalid_api_key'],
    [402, 'error-402.json', 402, 'permission_error', 'insufficient_quota'],
    [404, 'error-404.json', 404, 'not_found_error', 'model_not_found'],
    [429, 'error-429.json', 429, 'rate_limit_error', 'rate_limit_exceeded'],
    [498, 'error-498.json', 401, 'authentication_error', 'invalid_api_key'],
    [500, 'error-500.json', 500, 'upstream_error', 'upstream_server_error'],
    [503, 'error-503.json', 503, 'upstream_error', 'upstream_unavailable'],
  ];
  for (const [status, fixture, expectedStatus, type, code] of cases) {
    it(`${status} ${fixture} -> ${expectedStatus} ${type} ${code}`, () => {
      const error = map(status, fixture);
      assert.equal(error.status, expectedStatus);
      assert.equal(error.type, type);
      assert.equal(error.code, code);
      assert.equal(error.upstream, true);
      assert.equal(error.message, JSON.parse(fixtureBytes(fixture).toString('utf8')).message);
    });
  }

  it('422, 499 and 504 keep their meaning for clients and routing', () => {
    assert.equal(mapCohereError('cohere', 422, {}, '{"message":"invalid field"}').status, 422);
    const cancelled = mapCohereError('cohere', 499, {}, '{"message":"request cancelled"}');
    assert.deepEqual([cancelled.status, cancelled.type], [502, 'upstream_error']);
    const timeout = mapCohereError('cohere', 504, {}, '{"message":"gateway timeout"}');
    assert.deepEqual([timeout.status, timeout.type, timeout.code], [504, 'timeout_error', 'upstream_timeout']);
  });

  it('Retry-After is kept', () => {
    assert.deepEqual(map(429, 'error-429.json', { 'retry-after': '12' }).headers, { 'retry-after': '12' });
    assert.deepEqual(map(429, 'error-429.json').headers, {});
  });

  it('the API key is redacted, HTML is never echoed, an empty body gets a message', () => {
    const echoed = mapCohereError('cohere', 401, {}, '{"message":"invalid api token: co-secret-key-123"}', 'co-secret-key-123');
    assert.equal(echoed.message, 'invalid api token: [redacted]');
    assert.equal(mapCohereError('cohere', 502, {}, '<html><body>Bad gateway</body></html>').message, "Provider 'cohere' answered with HTTP 502.");
    assert.equal(mapCohereError('cohere', 500, {}, '').message, "Provider 'cohere' answered with HTTP 500.");
    assert.equal(mapCohereError('cohere', 503, {}, 'upstream connect error').message, 'upstream connect error');
  });

  it('the OpenAI error body', () => {
    assert.deepEqual(map(400, 'error-400-context-length.json').toOpenAIBody(), {
      error: { message: JSON.parse(fixtureBytes('error-400-context-length.json').toString('utf8')).message, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' },
    });
  });
});
