import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapBedrockError, mapBedrockStreamException } from '../../../src/providers/bedrock/bedrock-error.ts';
import { fixtureBytes } from './event-stream-fixtures.ts';

function errorType(name: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'a1d2c37b-e82f-438e-b0bd-06c4815cbb58' };
}

function mapFixture(status: number, name: string, fixture: string, extraHeaders: Record<string, string> = {}) {
  return mapBedrockError('bedrock', status, { ...errorType(name), ...extraHeaders }, fixtureBytes(fixture).toString('utf8'));
}

describe('mapBedrockError', () => {
  it('400 ValidationException -> invalid_request_error with the message', () => {
    const error = mapFixture(400, 'ValidationException', 'error-400-validation.json');
    assert.equal(error.status, 400);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.code, 'invalid_request');
    assert.match(error.message, /roles must alternate/);
    assert.equal(error.upstream, true);
  });

  it('400 "Input is too long" / "too many input tokens" -> context_length_exceeded on messages', () => {
    const error = mapFixture(400, 'ValidationException', 'error-400-context-length.json');
    assert.equal(error.code, 'context_length_exceeded');
    assert.equal(error.param, 'messages');
    const other = mapBedrockError('bedrock', 400, errorType('ValidationException'), '{"message":"The request had too many input tokens for the model."}');
    assert.equal(other.code, 'context_length_exceeded');
  });

  it("400 Claude's \"input length and `max_tokens` exceed context limit\" -> context_length_exceeded (fallbacks on that condition fire)", () => {
    const error = mapFixture(400, 'ValidationException', 'error-400-context-limit.json');
    assert.deepEqual([error.status, error.code, error.param], [400, 'context_length_exceeded', 'messages']);
    assert.match(error.message, /187254 \+ 20000 > 200000/);
    // A validation error that merely names max_tokens is not about the context.
    const unrelated = mapBedrockError('bedrock', 400, errorType('ValidationException'), '{"message":"The model returned the following errors: `max_tokens` must be greater than `thinking.budget_tokens`."}');
    assert.equal(unrelated.code, 'invalid_request');
  });

  it('403 AccessDeniedException -> permission_error; a bad credential -> 401 authentication_error', () => {
    const denied = mapFixture(403, 'AccessDeniedException', 'error-403-access-denied.json');
    assert.deepEqual([denied.status, denied.type, denied.code], [403, 'permission_error', 'access_denied']);
    const invalid = mapFixture(403, 'UnrecognizedClientException', 'error-403-unrecognized-client.json');
    assert.deepEqual([invalid.status, invalid.type, invalid.code], [401, 'authentication_error', 'invalid_api_key']);
    const signature = mapBedrockError('bedrock', 403, errorType('InvalidSignatureException'), '{"message":"The request signature we calculated does not match the signature you provided."}');
    assert.deepEqual([signature.status, signature.type], [401, 'authentication_error']);
  });

  it('404 ResourceNotFoundException -> not_found_error model_not_found', () => {
    const error = mapFixture(404, 'ResourceNotFoundException', 'error-404-not-found.json');
    assert.deepEqual([error.status, error.type, error.code], [404, 'not_found_error', 'model_not_found']);
  });

  it('429 ThrottlingException -> rate_limit_error, Retry-After kept when sent', () => {
    const error = mapFixture(429, 'ThrottlingException', 'error-429-throttling.json', { 'retry-after': '7' });
    assert.deepEqual([error.status, error.type, error.code], [429, 'rate_limit_error', 'rate_limit_exceeded']);
    assert.deepEqual(error.headers, { 'retry-after': '7' });
    assert.deepEqual(mapFixture(429, 'ThrottlingException', 'error-429-throttling.json').headers, {});
  });

  it('500, 503, model timeout (408) and model error (424)', () => {
    const internal = mapFixture(500, 'InternalServerException', 'error-500-internal.json');
    assert.deepEqual([internal.status, internal.type, internal.code], [500, 'upstream_error', 'internal_server_error']);
    const unavailable = mapFixture(503, 'ServiceUnavailableException', 'error-503-unavailable.json');
    assert.deepEqual([unavailable.status, unavailable.type, unavailable.code], [503, 'upstream_error', 'service_unavailable']);
    const timeout = mapBedrockError('bedrock', 408, errorType('ModelTimeoutException'), '{"message":"Model has timed out in processing the request."}');
    assert.deepEqual([timeout.status, timeout.type, timeout.code], [408, 'timeout_error', 'model_timeout']);
    const modelError = mapBedrockError('bedrock', 424, errorType('ModelErrorException'), '{"message":"The model failed."}');
    assert.deepEqual([modelError.status, modelError.type, modelError.code], [502, 'upstream_error', 'model_error']);
  });

  it('no error type header: the status decides; an HTML body is not echoed', () => {
    const error = mapBedrockError('bedrock', 502, {}, '<html><body>Bad Gateway</body></html>');
    assert.deepEqual([error.status, error.type, error.code], [502, 'upstream_error', 'upstream_http_502']);
    assert.equal(error.message, "Provider 'bedrock' answered with HTTP 502.");
    const fromBody = mapBedrockError('bedrock', 400, {}, '{"__type":"com.amazon.coral.validate#ValidationException","message":"bad"}');
    assert.equal(fromBody.code, 'invalid_request');
  });

  it('redacts credentials AWS might echo', () => {
    const error = mapBedrockError('bedrock', 403, errorType('AccessDeniedException'), '{"message":"Key wJalrXUtnFEMI/K7MDENG is not allowed"}', ['wJalrXUtnFEMI/K7MDENG']);
    assert.equal(error.message, 'Key [redacted] is not allowed');
  });
});

describe('mapBedrockStreamException', () => {
  it('lowerCamel exception types map like the HTTP ones', () => {
    const throttled = mapBedrockStreamException('bedrock', 'throttlingException', '{"message":"Too many tokens, please wait."}');
    assert.deepEqual([throttled.status, throttled.type, throttled.message], [429, 'rate_limit_error', 'Too many tokens, please wait.']);
    const streamError = mapBedrockStreamException('bedrock', 'modelStreamErrorException', '{"message":"stream broke","originalStatusCode":500}');
    assert.deepEqual([streamError.status, streamError.type, streamError.code], [502, 'upstream_error', 'model_stream_error']);
    const unknown = mapBedrockStreamException('bedrock', 'somethingNewException', '{}');
    assert.deepEqual([unknown.status, unknown.code], [502, 'SomethingNewException']);
  });
});
