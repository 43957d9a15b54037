import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamStart } from '../../../src/providers/hold-stream-start.ts';
import { keepAliveHoldMs, OpenAIStreamStartScanner } from '../../../src/providers/openai/openai-stream-start.ts';

const error = 'data: {"error":{"message":"The server is overloaded.","type":"server_error","param":null,"code":null}}\n\n';
const chunk = 'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n';

/** The scanner's verdict on `text` cut into two pieces at `cut` (the whole text when `cut` is its length), and how many bytes it needed. */
function verdictOf(text: string, cut: number, ended = false): { start: StreamStart; after: 'first' | 'second' | 'end' } {
  const bytes = Buffer.from(text);
  const scanner = new OpenAIStreamStartScanner();
  const first = scanner.push(bytes.subarray(0, cut));
  if (first !== null) return { start: first, after: 'first' };
  if (cut < bytes.length) {
    const second = scanner.push(bytes.subarray(cut));
    if (second !== null) return { start: second, after: 'second' };
  }
  return { start: ended ? scanner.end() : null, after: 'end' };
}

describe('OpenAIStreamStartScanner', () => {
  it('an error object as the first event, cut anywhere (LF or CRLF framing, data: with or without a space): its data', () => {
    for (const text of [error, error.replace(/\n/g, '\r\n'), error.replace('data: {', 'data:{ '), `: OPENROUTER PROCESSING\n\n${error}`]) {
      for (let cut = 1; cut <= text.length; cut++) {
        const { start } = verdictOf(text + chunk, cut);
        assert.equal(start?.kind, 'error', `${JSON.stringify(text)} cut at ${cut}`);
        assert.match(start?.kind === 'error' ? start.data : '', /^\{ ?"error"/);
      }
    }
  });

  it('a normal first event is an answer once it is whole (in the first piece of a real stream)', () => {
    for (let cut = 1; cut <= chunk.length; cut++) {
      const { start, after } = verdictOf(chunk, cut);
      assert.deepEqual(start, { kind: 'answer' }, `cut at ${cut}`);
      assert.equal(after, cut === chunk.length ? 'first' : 'second', `cut at ${cut}`);
    }
  });

  it("OpenRouter's error chunk (an `error` beside a choice that finished with \"error\") as the first event, cut anywhere: its data", () => {
    const openRouterError = 'data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"m","provider":"p","error":{"code":429,"message":"Rate limited upstream"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}\n\n';
    for (let cut = 1; cut <= openRouterError.length; cut++) {
      const { start } = verdictOf(openRouterError + chunk, cut);
      assert.equal(start?.kind, 'error', `cut at ${cut}`);
      assert.match(start?.kind === 'error' ? start.data : '', /"code":429/);
    }
    // A chunk whose text quotes "error" is an answer.
    assert.deepEqual(verdictOf(chunk.replace('"Hi"', '"an \\"error\\" here"'), chunk.length + 20).start, { kind: 'answer' });
  });

  it('keep-alive comments and blank lines alone are held, also a comment cut between pieces; a stream that ends so is an answer', () => {
    assert.deepEqual(verdictOf(': OPENROUTER PROCESSING\n\n', 25), { start: null, after: 'end' });
    assert.deepEqual(verdictOf(': OPENROUTER PROCESSING\r\n\r\n: OPENROUTER PROCESSING\r\n\r\n', 30), { start: null, after: 'end' });
    assert.deepEqual(verdictOf(': OPENR', 7), { start: null, after: 'end' });
    assert.deepEqual(verdictOf('\n\n', 2), { start: null, after: 'end' });
    assert.deepEqual(verdictOf(': OPENROUTER PROCESSING\n\n', 25, true).start, { kind: 'answer' });
    assert.deepEqual(verdictOf(': OPENR', 7, true).start, { kind: 'answer' });
  });

  it(`keep-alive comments alone are held for ${keepAliveHoldMs} ms at most: a piece of them alone after that is an answer`, () => {
    let now = 1000;
    const scanner = new OpenAIStreamStartScanner(() => now);
    assert.equal(scanner.push(Buffer.from(': OPENROUTER PROCESSING\n\n')), null);
    now += keepAliveHoldMs - 1;
    assert.equal(scanner.push(Buffer.from(': OPENROUTER PROCESSING\n\n')), null);
    now += 1;
    assert.deepEqual(scanner.push(Buffer.from(': OPENROUTER PROCESSING\n\n')), { kind: 'answer' });

    // A first event that comes after the limit in the same piece as the comments still decides.
    const late = new OpenAIStreamStartScanner(() => now);
    now += keepAliveHoldMs;
    assert.equal(late.push(Buffer.from(`: OPENROUTER PROCESSING\n\n${error}`))?.kind, 'error');
  });

  it('anything but a comment, a blank line or a data line first is an answer', () => {
    assert.deepEqual(verdictOf('event: message\ndata: {"error":{}}\n\n', 40).start, { kind: 'answer' });
    assert.deepEqual(verdictOf('data: [DONE]\n\n', 14).start, { kind: 'answer' });
  });

  it("an error key that is no error object, or beside a normal choice, is an answer (openAIStreamError's reading)", () => {
    assert.deepEqual(verdictOf('data: {"error": "a string"}\n\n', 29).start, { kind: 'answer' });
    assert.deepEqual(verdictOf('data: {"error": {"message": "x"}, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}\n\n', 99).start, { kind: 'answer' });
    assert.deepEqual(verdictOf('data: {"error": {"message": "x"}, "choices": [{"index": 0, "delta": {}, "finish_reason": "error"}]}\n\n', 99).start?.kind, 'error');
    assert.deepEqual(verdictOf('data: {"error": {not json}}\n\n', 29).start, { kind: 'answer' });
  });

  it('undecided until the event is whole; a stream that ends first is judged on what came', () => {
    assert.deepEqual(verdictOf(error.slice(0, 20), 20), { start: null, after: 'end' });
    assert.deepEqual(verdictOf('data: {"err', 11, true).start, { kind: 'answer' });
    assert.equal(verdictOf(error.trimEnd(), error.trimEnd().length, true).start?.kind, 'error');
    assert.deepEqual(verdictOf('', 0, true).start, { kind: 'answer' });
  });
});
