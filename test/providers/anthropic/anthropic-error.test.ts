import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anthropicErrorReply } from '../../../src/formats/anthropic/anthropic-error-body.ts';
import { mapAnthropicError, mapAnthropicStreamError } from '../../../src/providers/anthropic/anthropic-error.ts';
import { AnthropicUpstreamError } from '../../../src/providers/anthropic/anthropic-upstream-error.ts';

const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' });

test('each documented HTTP error maps to its status, OpenAI type and code (Anthropic\'s type; OpenAI\'s rate_limit_exceeded for a 429)', () => {
  const table: Array<[number, string, number, string]> = [
    [400, 'invalid_request_error', 400, 'invalid_request_error'],
    [401, 'authentication_error', 401, 'authentication_error'],
    [402, 'billing_error', 402, 'permission_error'],
    [403, 'permission_error', 403, 'permission_error'],
    [404, 'not_found_error', 404, 'not_found_error'],
    [413, 'request_too_large', 413, 'invalid_request_error'],
    [429, 'rate_limit_error', 429, 'rate_limit_error'],
    [500, 'api_error', 500, 'api_error'],
    [504, 'timeout_error', 504, 'timeout_error'],
    [529, 'overloaded_error', 503, 'api_error'],
  ];
  for (const [status, anthropicType, expectedStatus, expectedType] of table) {
    const error = mapAnthropicError('anthropic', status, {}, body(anthropicType, `m ${status}`));
    const code = anthropicType === 'rate_limit_error' ? 'rate_limit_exceeded' : anthropicType;
    assert.deepEqual({ status: error.status, type: error.type, code: error.code, message: error.message, upstream: error.upstream }, { status: expectedStatus, type: expectedType, code, message: `m ${status}`, upstream: true }, String(status));
  }
});

test('a too-long prompt is context_length_exceeded', () => {
  const error = mapAnthropicError('anthropic', 400, {}, body('invalid_request_error', 'prompt is too long: 208310 tokens > 200000 maximum'));
  assert.equal(error.code, 'context_length_exceeded');
  assert.equal(error.param, 'messages');
  assert.equal(error.type, 'invalid_request_error');
});

test('retry-after and Anthropic rate-limit headers are kept; others are not', () => {
  const error = mapAnthropicError('anthropic', 429, { 'retry-after': '17', 'anthropic-ratelimit-requests-remaining': '0', 'set-cookie': 'x', 'request-id': 'req_1' }, body('rate_limit_error', 'slow down'));
  assert.deepEqual(error.headers, { 'retry-after': '17', 'anthropic-ratelimit-requests-remaining': '0' });
});

test('bodies that are not Anthropic errors still give a clear error; markup is never shown', () => {
  const html = mapAnthropicError('anthropic', 502, {}, '<html><body>Bad gateway</body></html>');
  assert.equal(html.status, 502);
  assert.equal(html.type, 'upstream_error');
  assert.match(html.message, /HTTP 502/);
  const plain = mapAnthropicError('anthropic', 401, {}, 'no key');
  assert.deepEqual([plain.status, plain.type, plain.code, plain.message], [401, 'authentication_error', 'authentication_error', 'no key']);
});

test('the API key never appears in an error, even if the provider echoes it', () => {
  const error = mapAnthropicError('anthropic', 401, {}, body('authentication_error', 'invalid x-api-key sk-ant-secret-123'), 'sk-ant-secret-123');
  assert.doesNotMatch(JSON.stringify(error.toOpenAIBody()), /sk-ant-secret-123/);
});

test('stream error events take their status from the error type', () => {
  assert.equal(mapAnthropicStreamError('anthropic', { type: 'overloaded_error', message: 'Overloaded' }).status, 503);
  assert.equal(mapAnthropicStreamError('anthropic', { type: 'api_error', message: 'x' }).status, 500);
  const rateLimited = mapAnthropicStreamError('anthropic', { type: 'rate_limit_error', message: 'x' });
  assert.deepEqual([rateLimited.status, rateLimited.code], [429, 'rate_limit_exceeded']);
  const unknown = mapAnthropicStreamError('anthropic', undefined);
  assert.deepEqual([unknown.status, unknown.code, unknown.upstream], [500, 'api_error', true]);
});

test('for an Anthropic-format client: the status and body as Anthropic sent them, request-id and x-should-retry kept', () => {
  const text = body('overloaded_error', 'Overloaded');
  const error = mapAnthropicError('anthropic', 529, { 'request-id': 'req_011', 'x-should-retry': 'true', 'set-cookie': 'x' }, text, 'sk-ant-secret-123', { forAnthropicClient: true });
  assert.ok(error instanceof AnthropicUpstreamError);
  assert.equal(error.status, 503, 'retries and health still read 503');
  assert.equal(error.anthropicStatus, 529);
  assert.equal(error.anthropicBody, text);
  assert.deepEqual(error.headers, { 'request-id': 'req_011', 'x-should-retry': 'true' });
  assert.deepEqual(anthropicErrorReply(error), { status: 529, body: text });
});

test('for an Anthropic-format client: a key is scrubbed from the body; a body that is not Anthropic JSON, or still holds the key once decoded, is rendered by the gateway', () => {
  const echoed = mapAnthropicError('anthropic', 401, {}, body('authentication_error', 'invalid x-api-key sk-ant-secret-123'), 'sk-ant-secret-123', { forAnthropicClient: true });
  assert.ok(echoed instanceof AnthropicUpstreamError);
  assert.doesNotMatch(echoed.anthropicBody, /sk-ant-secret-123/);
  assert.match(echoed.anthropicBody, /req_011CSHoEeqs5C35K2UUqR7Fy/);
  const escaped = JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'key' } }).replace('key', 'sk\\u002dant\\u002dsecret\\u002d123');
  const hidden = mapAnthropicError('anthropic', 401, {}, escaped, 'sk-ant-secret-123', { forAnthropicClient: true });
  assert.ok(!(hidden instanceof AnthropicUpstreamError));
  const html = mapAnthropicError('anthropic', 502, {}, '<html>Bad gateway</html>', undefined, { forAnthropicClient: true });
  assert.ok(!(html instanceof AnthropicUpstreamError));
  assert.deepEqual(anthropicErrorReply(html), { status: 502, body: { type: 'error', error: { type: 'api_error', message: "Provider 'anthropic' answered with HTTP 502." } } });
});
