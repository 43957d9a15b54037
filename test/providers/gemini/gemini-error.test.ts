import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapGeminiError } from '../../../src/providers/gemini/gemini-error.ts';
import { fixtureBytes } from './fixtures.ts';

const map = (status: number, name: string, headers: Record<string, string> = {}, apiKey?: string) => mapGeminiError('gemini', status, headers, fixtureBytes(name).toString('utf8'), apiKey);

test('API_KEY_INVALID (a 400 at Google) is a 401 authentication_error', () => {
  const error = map(400, 'error-400-api-key-invalid.json');
  assert.equal(error.status, 401);
  assert.equal(error.type, 'authentication_error');
  assert.equal(error.code, 'invalid_api_key');
  assert.equal(error.message, 'API key not valid. Please pass a valid API key.');
  assert.equal(error.upstream, true);
});

test('429 RESOURCE_EXHAUSTED is a rate_limit_error with Retry-After from RetryInfo, or the header', () => {
  const error = map(429, 'error-429.json');
  assert.equal(error.status, 429);
  assert.equal(error.type, 'rate_limit_error');
  assert.equal(error.code, 'rate_limit_exceeded');
  assert.deepEqual(error.headers, { 'retry-after': '37' });
  assert.deepEqual(map(429, 'error-429.json', { 'retry-after': '5' }).headers, { 'retry-after': '5' });
});

test('400 INVALID_ARGUMENT: invalid_request_error; a token-count overflow is context_length_exceeded', () => {
  const invalid = map(400, 'error-400-invalid-argument.json');
  assert.deepEqual([invalid.status, invalid.type, invalid.code], [400, 'invalid_request_error', 'invalid_argument']);
  const tooLong = map(400, 'error-400-context-length.json');
  assert.deepEqual([tooLong.status, tooLong.type, tooLong.code], [400, 'invalid_request_error', 'context_length_exceeded']);
});

test('403, 404, 500, 503 keep their status with the matching type', () => {
  assert.deepEqual([map(403, 'error-403.json').type, map(403, 'error-403.json').code], ['permission_error', 'permission_denied']);
  const notFound = map(404, 'error-404.json');
  assert.deepEqual([notFound.status, notFound.type, notFound.code], [404, 'not_found_error', 'model_not_found']);
  const internal = map(500, 'error-500.json');
  assert.deepEqual([internal.status, internal.type, internal.code, internal.upstream], [500, 'upstream_error', 'internal', true]);
  const unavailable = map(503, 'error-503.json');
  assert.deepEqual([unavailable.status, unavailable.type, unavailable.code], [503, 'upstream_error', 'unavailable']);
});

test('the API key never appears in the message; odd bodies still give an error', () => {
  const body = JSON.stringify({ error: { code: 400, message: 'Bad key secret-key-123 given', status: 'INVALID_ARGUMENT' } });
  const error = mapGeminiError('gemini', 400, {}, body, 'secret-key-123');
  assert.doesNotMatch(error.message, /secret-key-123/);
  const array = mapGeminiError('gemini', 404, {}, JSON.stringify([{ error: { code: 404, message: 'models/x is not found', status: 'NOT_FOUND' } }]));
  assert.equal(array.code, 'model_not_found');
  const html = mapGeminiError('gemini', 502, {}, '<html>Bad Gateway</html>');
  assert.equal(html.status, 502);
  assert.match(html.message, /HTTP 502/);
});
