import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureStatusOfSuccessBody, mapOpenAICompatibleError, mapOpenAIStreamStartError } from '../../src/providers/openai-compatible-error.ts';

describe('mapOpenAICompatibleError: the error objects of OpenAI-format services', () => {
  it("keeps an `error` object as sent, filling in the `code` and `param` a service leaves out (Groq)", () => {
    const error = mapOpenAICompatibleError('groq', 401, {}, JSON.stringify({ error: { message: 'Invalid API Key', type: 'invalid_request_error' } }));
    assert.deepEqual([error.status, error.type, error.code, error.param, error.message], [401, 'invalid_request_error', 'upstream_http_401', null, 'Invalid API Key']);
    assert.deepEqual(error.toOpenAIBody(), { error: { message: 'Invalid API Key', type: 'invalid_request_error', param: null, code: 'upstream_http_401' } });
  });

  it("keeps an OpenRouter error's numeric code and metadata for OpenAI clients", () => {
    const body = { error: { code: 502, message: 'Provider returned error', metadata: { provider_name: 'OpenAI', raw: 'upstream says no' } } };
    const error = mapOpenAICompatibleError('openrouter', 502, {}, JSON.stringify(body));
    assert.deepEqual(error.toOpenAIBody().error, { message: 'Provider returned error', type: 'upstream_error', param: null, code: 502, metadata: { provider_name: 'OpenAI', raw: 'upstream says no' } });
  });

  it("reads Cerebras' error object at the top level of the body, its type, param and code as sent", () => {
    const body = { message: "messages.2.assistant.reasoning_content: property 'messages.2.assistant.reasoning_content' is unsupported", type: 'invalid_request_error', param: 'validation_error', code: 'wrong_api_format' };
    const error = mapOpenAICompatibleError('cerebras', 400, {}, JSON.stringify(body));
    assert.deepEqual([error.status, error.type, error.code, error.param, error.message], [400, 'invalid_request_error', 'wrong_api_format', 'validation_error', body.message]);
    assert.deepEqual(error.toOpenAIBody().error, body);
  });

  it("keeps xAI's `code` beside its string `error`", () => {
    const error = mapOpenAICompatibleError('xai', 429, { 'retry-after': '2' }, JSON.stringify({ code: 'Some resource has been exhausted', error: 'Your team has reached its monthly spending limit.' }));
    assert.deepEqual([error.status, error.type, error.code, error.message, error.headers['retry-after']], [429, 'rate_limit_error', 'Some resource has been exhausted', 'Your team has reached its monthly spending limit.', '2']);
  });

  it('reads a message, a detail or plain text from other bodies, never HTML', () => {
    assert.equal(mapOpenAICompatibleError('x', 400, {}, '{"message":"plain message"}').message, 'plain message');
    assert.equal(mapOpenAICompatibleError('x', 401, {}, '{"detail":"Unauthorized"}').message, 'Unauthorized');
    assert.equal(mapOpenAICompatibleError('x', 503, {}, 'Loading model').message, 'Loading model');
    assert.equal(mapOpenAICompatibleError('x', 401, {}, '<html><body>401</body></html>').message, "Provider 'x' answered with HTTP 401.");
  });
});

describe('failureStatusOfSuccessBody: a 200 that is an error (OpenRouter)', () => {
  it("is the error's code when that is an HTTP status, else 502", () => {
    assert.equal(failureStatusOfSuccessBody(Buffer.from('{"error":{"code":502,"message":"Provider returned error","metadata":{}}}')), 502);
    assert.equal(failureStatusOfSuccessBody(Buffer.from('\n\n{"error":{"code":429,"message":"Rate limited"},"user_id":"u"}')), 429);
    assert.equal(failureStatusOfSuccessBody(Buffer.from('{"error":{"code":"server_error","message":"boom"}}')), 502);
  });

  it('is null for answers, an error that sits beside choices or data, and text that mentions "error"', () => {
    const answer = { id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'the word "error" and {"error":{}} in text' }, finish_reason: 'stop' }] };
    assert.equal(failureStatusOfSuccessBody(Buffer.from(JSON.stringify(answer))), null);
    assert.equal(failureStatusOfSuccessBody(Buffer.from(JSON.stringify({ ...answer, error: { message: 'partial' } }))), null);
    assert.equal(failureStatusOfSuccessBody(Buffer.from(JSON.stringify({ object: 'list', data: [], error: { message: 'x' } }))), null);
    assert.equal(failureStatusOfSuccessBody(Buffer.from('{"error":"a string"}')), null);
    assert.equal(failureStatusOfSuccessBody(Buffer.from('not json "error"')), null);
  });
});

describe('mapOpenAIStreamStartError: an error as the first event of a 200 stream', () => {
  it("keeps vLLM's error object whole: its type and param as sent, the status its code names", () => {
    const sent = { object: 'error', message: 'max_tokens is too large', type: 'BadRequestError', param: null, code: 400 };
    const error = mapOpenAIStreamStartError({ error: sent });
    assert.ok(error);
    assert.deepEqual([error.status, error.type, error.param, error.message, error.upstream], [400, 'BadRequestError', null, 'max_tokens is too large', true]);
    assert.deepEqual(error.toOpenAIBody().error, sent);
  });

  it('fills in what the object lacks as for an HTTP error of that status; an answer is no error', () => {
    const error = mapOpenAIStreamStartError({ error: { message: 'Rate limit exceeded', code: 429 } });
    assert.deepEqual(error?.toOpenAIBody().error, { message: 'Rate limit exceeded', type: 'rate_limit_error', param: null, code: 429 });
    assert.equal(mapOpenAIStreamStartError({ choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] }), null);
  });
});
