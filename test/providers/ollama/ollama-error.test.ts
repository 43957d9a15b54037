import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapOllamaError } from '../../../src/providers/ollama/ollama-error.ts';
import { fixtureBytes } from './fixtures.ts';

const map = (status: number, name: string, headers: Record<string, string> = {}, apiKey?: string) => mapOllamaError('ollama', status, headers, fixtureBytes(name).toString('utf8'), apiKey);

test('404 model not found: not_found_error / model_not_found with Ollama\'s message', () => {
  const error = map(404, 'error-404-model-not-found.json');
  assert.deepEqual([error.status, error.type, error.code, error.param, error.upstream], [404, 'not_found_error', 'model_not_found', 'model', true]);
  assert.equal(error.message, 'model "llama3.3" not found, try pulling it first');
});

test('400: invalid_request_error with the message', () => {
  const error = map(400, 'error-400.json');
  assert.deepEqual([error.status, error.type, error.code], [400, 'invalid_request_error', 'upstream_http_400']);
  assert.equal(error.message, 'registry.ollama.ai/library/gemma:2b does not support tools');
});

test('500: upstream_error; 401 (ollama.com): invalid_api_key; 429 keeps Retry-After', () => {
  const internal = map(500, 'error-500.json');
  assert.deepEqual([internal.status, internal.type, internal.code, internal.message], [500, 'upstream_error', 'upstream_http_500', 'llama runner process has terminated: exit status 2']);
  const unauthorized = map(401, 'error-401.json');
  assert.deepEqual([unauthorized.status, unauthorized.type, unauthorized.code], [401, 'authentication_error', 'invalid_api_key']);
  const limited = mapOllamaError('ollama', 429, { 'retry-after': '7' }, '{"error":"too many requests"}');
  assert.deepEqual([limited.type, limited.code, limited.headers], ['rate_limit_error', 'rate_limit_exceeded', { 'retry-after': '7' }]);
});

test('the API key never appears in the message; odd bodies still give an error', () => {
  const leaked = mapOllamaError('ollama', 401, {}, '{"error":"key sk-secret-123 is not valid"}', 'sk-secret-123');
  assert.doesNotMatch(leaked.message, /sk-secret-123/);
  assert.match(leaked.message, /\[redacted\]/);
  const html = mapOllamaError('ollama', 502, {}, '<html>Bad Gateway</html>');
  assert.deepEqual([html.status, html.type], [502, 'upstream_error']);
  assert.match(html.message, /HTTP 502/);
  const plain = mapOllamaError('ollama', 404, {}, '404 page not found');
  assert.deepEqual([plain.code, plain.message], ['upstream_http_404', '404 page not found']);
});
