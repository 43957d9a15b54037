import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { StreamStartScanner } from '../../../src/providers/anthropic/hold-anthropic-stream-start.ts';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { startProviderGateway, type ProviderGateway } from '../../helpers/provider-gateway.ts';
import { anthropicMessage, anthropicStream } from './checking-anthropic-stand-in.ts';

const model = 'anthropic/claude-sonnet-4-5';
const streamHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_011Streamed' };

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** What Anthropic sends under load: a 200, message_start, ping, then an error event before any content. */
function earlyError(errorType = 'overloaded_error', message = 'Overloaded'): string {
  const { content: _content, stop_reason: _stop, ...start } = anthropicMessage('');
  return event('message_start', { message: { ...start, content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } }) + event('ping', {}) + `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: errorType, message }, request_id: 'req_011InStream' })}\n\n`;
}

/** A stream whose error comes after its first content (a real mid-stream failure). */
function lateError(): string {
  const whole = anthropicStream('hello there');
  return whole.slice(0, whole.indexOf('event: content_block_stop')) + `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`;
}

/**
 * An error Anthropic sends in a 200 stream before any content is an error before the first byte:
 * the Anthropic SDK (byte passthrough) gets Anthropic's status for it (529 for an overload) and no
 * stream, an OpenAI client gets the HTTP error too; streams that start normally pass as they came.
 */
describe('anthropic provider: an error event before the first content', () => {
  let running: ProviderGateway;
  let anthropic: Anthropic;
  let reply: Reply = replyWhole(200, streamHeaders, () => earlyError());

  before(async () => {
    running = await startProviderGateway((request, response) => reply(request, response), (url) => ({ env: { ANTHROPIC_API_KEY: 'sk-ant-upstream', ANTHROPIC_BASE_URL: url } }));
    anthropic = new Anthropic({ baseURL: running.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    running.upstream.requests.length = 0;
    reply = replyWhole(200, streamHeaders, () => earlyError());
  });
  after(() => running.close());

  it('Anthropic SDK (passthrough): an overload right after message_start and ping is HTTP 529 OverloadedError, with its request-id', async () => {
    for (const pieceSize of [0, 7]) {
      reply = pieceSize === 0 ? replyWhole(200, streamHeaders, () => earlyError()) : replyInPieces(streamHeaders, () => Buffer.from(earlyError()), pieceSize);
      const error = await anthropic.messages
        .stream({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
        .finalMessage()
        .catch((caught: unknown) => caught);
      assert.ok(error instanceof Anthropic.APIError, String(error));
      assert.equal(error.status, 529, `pieces of ${pieceSize}`);
      assert.ok(error instanceof Anthropic.OverloadedError);
      assert.equal((error.error as { error: { type: string } }).error.type, 'overloaded_error');
      assert.equal(error.requestID, 'req_011Streamed');
    }
  });

  it('other error types get the status they stand for (rate_limit_error -> 429)', async () => {
    reply = replyWhole(200, streamHeaders, () => earlyError('rate_limit_error', 'Slow down'));
    const response = await fetch(`${running.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(response.status, 429);
    assert.equal(((await response.json()) as { error: { type: string } }).error.type, 'rate_limit_error');
  });

  it('a stream that starts normally comes back byte for byte, however it is split; an error after content stays in-stream', async () => {
    const body = anthropicStream('hello there');
    for (const pieceSize of [0, 1, 5, 64]) {
      reply = pieceSize === 0 ? replyWhole(200, streamHeaders, () => body) : replyInPieces(streamHeaders, () => Buffer.from(body), pieceSize);
      const response = await fetch(`${running.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(response.status, 200);
      assert.equal(await response.text(), body, `pieces of ${pieceSize}`);
    }
    const crlf = body.replaceAll('\n', '\r\n');
    reply = replyInPieces(streamHeaders, () => Buffer.from(crlf), 3);
    const response = await fetch(`${running.gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(await response.text(), crlf, 'CRLF line ends');

    reply = replyWhole(200, streamHeaders, () => lateError());
    let text = '';
    const stream = anthropic.messages.stream({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).on('text', (delta) => {
      text += delta;
    });
    await assert.rejects(stream.finalMessage(), (error: unknown) => error instanceof Anthropic.APIError && /Overloaded/.test(error.message));
    assert.equal(text, 'hello there', 'the content before the error reached the client');
  });

  it('OpenAI SDK (translated): the same early overload is an HTTP 503 before any chunk', async () => {
    const openai = new OpenAI({ baseURL: running.gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const error = await openai.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.APIError, String(error));
    assert.equal(error.status, 503);
    assert.equal(error.code, 'overloaded_error');
    // A normal stream still starts with the role chunk.
    reply = replyWhole(200, streamHeaders, () => anthropicStream('hello there'));
    const chunks = [];
    for await (const chunk of await openai.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] })) chunks.push(chunk);
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'hello there');
  });
});

describe('StreamStartScanner', () => {
  const scan = (text: string, pieceSize: number) => {
    const scanner = new StreamStartScanner();
    const bytes = Buffer.from(text);
    for (let offset = 0; offset < bytes.length; offset += pieceSize) {
      const verdict = scanner.push(bytes.subarray(offset, offset + pieceSize));
      if (verdict !== null) return verdict;
    }
    return scanner.end();
  };

  it('waits through message_start and ping; decides at the first other event, any split, any line end', () => {
    for (const pieceSize of [1, 2, 7, 1000]) {
      assert.deepEqual(scan(anthropicStream('hi'), pieceSize), { kind: 'answer' });
      assert.deepEqual(scan(anthropicStream('hi').replaceAll('\n', '\r\n'), pieceSize), { kind: 'answer' });
      assert.deepEqual(scan(anthropicStream('hi').replaceAll('\n', '\r'), pieceSize), { kind: 'answer' });
      const verdict = scan(earlyError(), pieceSize);
      assert.equal(verdict?.kind, 'error');
      assert.equal(JSON.parse((verdict as { data: string }).data).error.type, 'overloaded_error');
    }
  });

  it('an event without an event line is named by its data; an error without its closing blank line still counts at the end', () => {
    assert.deepEqual(scan('data: {"type":"message_start"}\n\n: comment\n\ndata: {"type":"content_block_delta"}\n\n', 4), { kind: 'answer' });
    assert.equal(scan('event: message_start\ndata: {}\n\nevent: error\ndata: {"type":"error"}', 5)?.kind, 'error');
    assert.equal(scan('event: message_start\ndata: {}\n\n', 5), null);
  });
});
