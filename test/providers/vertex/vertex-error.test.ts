import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapVertexError } from '../../../src/providers/vertex/vertex-error.ts';
import { vertexFixture } from './google-stand-in.ts';

describe('vertex errors', () => {
  const map = (status: number, fixture: string, headers: Record<string, string> = {}) => mapVertexError('vertex', status, headers, vertexFixture(fixture).toString('utf8'), ['ya29.secret-token']);

  it("Google's shape: status, OpenAI type and a stable code", () => {
    assert.deepEqual([401, 403, 404, 429].map((status) => {
      const error = map(status, { 401: 'error-401-unauthenticated.json', 403: 'error-403-permission-denied.json', 404: 'error-404-model.json', 429: 'error-429-resource-exhausted.json' }[status]!);
      return [error.status, error.type, error.code, error.upstream];
    }), [
      [401, 'authentication_error', 'invalid_api_key', true],
      [403, 'permission_error', 'permission_denied', true],
      [404, 'not_found_error', 'model_not_found', true],
      [429, 'rate_limit_error', 'rate_limit_exceeded', true],
    ]);
  });

  it('Retry-After is kept from the header, or from RetryInfo', () => {
    assert.deepEqual(map(429, 'error-429-resource-exhausted.json', { 'retry-after': '30' }).headers, { 'retry-after': '30' });
    const withInfo = JSON.stringify({ error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.5s' }] } });
    assert.deepEqual(mapVertexError('vertex', 429, {}, withInfo, []).headers, { 'retry-after': '3' });
  });

  it("context length: Gemini's token count, Claude's prompt is too long (either shape)", () => {
    const gemini = JSON.stringify({ error: { code: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', status: 'INVALID_ARGUMENT' } });
    const claudeGoogleShape = JSON.stringify({ error: { code: 400, message: 'prompt is too long: 215833 tokens > 200000 maximum', status: 'INVALID_ARGUMENT' } });
    for (const body of [gemini, claudeGoogleShape, vertexFixture('error-400-claude-prompt-too-long.json').toString('utf8')]) {
      const error = mapVertexError('vertex', 400, {}, body, []);
      assert.equal(error.code, 'context_length_exceeded', body);
      assert.equal(error.status, 400);
    }
  });

  it("Claude's overloaded_error (529) reads as 503; the token never appears", () => {
    const error = mapVertexError('vertex', 529, {}, '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded for ya29.secret-token"}}', ['ya29.secret-token']);
    assert.equal(error.status, 503);
    assert.equal(error.code, 'overloaded_error');
    assert.equal(error.message, 'Overloaded for [redacted]');
  });
});
