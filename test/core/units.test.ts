import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser, type ServerSentEvent } from '../../src/upstream/sse-parser.ts';
import { smoothWeighted } from '../../src/routing/strategies.ts';
import type { Target } from '../../src/routing/target.ts';
import type { Provider } from '../../src/providers/provider.ts';
import { StreamUsageTail } from '../../src/pipeline/passthrough-usage.ts';
import { toBytes, toMilliseconds } from '../../src/config/units.ts';

function parseAll(pieces: Array<string | Uint8Array>): ServerSentEvent[] {
  const parser = new SseParser();
  const events = pieces.flatMap((piece) => parser.push(piece));
  return [...events, ...parser.end()];
}

describe('SseParser', () => {
  const stream = 'event: message_start\ndata: {"a":"héllo ✓ 𝄞"}\n\n: comment\r\ndata: line1\r\ndata: line2\r\n\r\ndata: [DONE]\n\n';
  const expected = [
    { event: 'message_start', data: '{"a":"héllo ✓ 𝄞"}', id: undefined },
    { event: undefined, data: 'line1\nline2', id: undefined },
    { event: undefined, data: '[DONE]', id: undefined },
  ];

  it('parses events, comments, CRLF and multi-line data', () => {
    assert.deepEqual(parseAll([stream]), expected);
  });

  it('gives the same events when the bytes are split at every offset (UTF-8 included)', () => {
    const bytes = Buffer.from(stream);
    for (let offset = 0; offset <= bytes.length; offset++) {
      assert.deepEqual(parseAll([bytes.subarray(0, offset), bytes.subarray(offset)]), expected, `split at ${offset}`);
    }
  });

  it('drops a byte order mark that starts the bytes (split anywhere), keeps one later, and decodes bad or cut UTF-8 as U+FFFD', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('data: \ufeffé€𝄞\n\n')]);
    for (let offset = 0; offset <= withBom.length; offset++) {
      const pieces = [withBom.subarray(0, offset), withBom.subarray(offset)];
      assert.deepEqual(parseAll(pieces), [{ event: undefined, data: '\ufeffé€𝄞', id: undefined }], `split at ${offset}`);
    }
    const fourByte = Buffer.from('data: 𝄞\n\n');
    assert.deepEqual(parseAll([fourByte.subarray(0, 7), fourByte.subarray(7, 8), fourByte.subarray(8, 9), fourByte.subarray(9)]), [{ event: undefined, data: '𝄞', id: undefined }]);
    assert.deepEqual(parseAll([Buffer.from([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0xff, 0x61, 0x0a, 0x0a])]), [{ event: undefined, data: '\ufffda', id: undefined }]);
    assert.deepEqual(parseAll([Buffer.from('data: a'), Buffer.from([0xe2, 0x82])]), [{ event: undefined, data: 'a\ufffd', id: undefined }]);
  });

  it('reads CR-only line ends, fields without a space or a value, id and unknown fields, split anywhere', () => {
    const crStream = 'id: 7\revent:delta\rdata:a\rdata\rretry: 10\rdata: b\r\r:c\r\rdata: z';
    const crExpected = [
      { event: 'delta', data: 'a\n\nb', id: '7' },
      { event: undefined, data: 'z', id: '7' },
    ];
    for (let offset = 0; offset <= crStream.length; offset++) {
      assert.deepEqual(parseAll([crStream.slice(0, offset), crStream.slice(offset)]), crExpected, `split at ${offset}`);
    }
  });

  it('delivers a last event without its blank line at the end', () => {
    assert.deepEqual(parseAll(['data: tail']), [{ event: undefined, data: 'tail', id: undefined }]);
  });
});

describe('smooth weighted round-robin', () => {
  it('gives each target exactly its share over a window, spread out', () => {
    const provider = {} as Provider;
    const targets: Target[] = [
      { provider, model: 'a', weight: 70, priority: 0, inFlight: 0 },
      { provider, model: 'b', weight: 20, priority: 1, inFlight: 0 },
      { provider, model: 'c', weight: 10, priority: 2, inFlight: 0 },
    ];
    const order = smoothWeighted(targets);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let index = 0; index < 10_000; index++) counts[order()[0].model]++;
    assert.deepEqual(counts, { a: 7000, b: 2000, c: 1000 });
    const failover = order();
    assert.equal(failover.length, 3);
    assert.equal(new Set(failover).size, 3);
  });
});

describe('usage from a passed-through stream', () => {
  it('finds the usage chunk at the end even when the tail starts mid-event', () => {
    const tail = new StreamUsageTail();
    tail.push(Buffer.from(`data: {"choices":[{"delta":{"content":"${'x'.repeat(9000)}"}}]}\n\n`));
    tail.push(Buffer.from('data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}\n\ndata: [DONE]\n\n'));
    assert.deepEqual(tail.usage(), { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
  });

  it('reads a usage chunk split over many small pieces, and counts the events', () => {
    const tail = new StreamUsageTail();
    const events = Array.from({ length: 40 }, (_, index) => `data: {"choices":[{"index":0,"delta":{"content":"word ${index} "}}],"usage":null}\n\n`);
    const text = events.join('') + 'data: {"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":40,"total_tokens":51}}\n\ndata: [DONE]\n\n';
    // Pieces of 7 bytes, each an exactly-sized buffer as Node's socket reads are.
    for (let at = 0; at < text.length; at += 7) tail.push(Buffer.from(new Uint8Array(Buffer.from(text.slice(at, at + 7)))));
    assert.deepEqual(tail.usage(), { prompt_tokens: 11, completion_tokens: 40, total_tokens: 51 });
    // The 40 deltas and the usage chunk; [DONE] carries nothing.
    assert.equal(tail.events, 41);
  });

  it('copies a held piece that is a view of a larger buffer (the buffer may be reused)', () => {
    const tail = new StreamUsageTail();
    const read = Buffer.alloc(64 * 1024);
    const first = 'data: {"choices":[],"usage":{"total_';
    tail.push(read.subarray(100, 100 + read.write(first, 100)));
    read.fill(0);
    tail.push(Buffer.from('tokens":5}}\n\n'));
    assert.deepEqual(tail.usage(), { total_tokens: 5 });
    assert.equal(tail.events, 1);
  });

  it('reads CRLF-framed events, skips "usage": null, and reads an unfinished last event', () => {
    const crlf = new StreamUsageTail();
    crlf.push(Buffer.from('data: {"choices":[{"delta":{"content":"hi"}}],"usage":null}\r\n\r\n'));
    crlf.push(Buffer.from('data: {"choices":[],"usage": {"prompt_tokens":2,"completion_tokens":1,"total_tokens":3}}\r\n\r'));
    crlf.push(Buffer.from('\ndata: [DONE]\r\n\r\n'));
    assert.deepEqual(crlf.usage(), { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 });
    assert.equal(crlf.events, 2);

    const nullOnly = new StreamUsageTail();
    nullOnly.push(Buffer.from('data: {"choices":[{"delta":{"content":"a \\"usage\\": {"}}],"usage":null}\n\n'));
    assert.equal(nullOnly.usage(), null);

    const cut = new StreamUsageTail();
    cut.push(Buffer.from('data: {"choices":[],"usage":{"total_tokens":9}}'));
    assert.deepEqual(cut.usage(), { total_tokens: 9 });
    assert.equal(cut.events, 0);
  });
});

describe('units', () => {
  it('reads durations and sizes', () => {
    assert.equal(toMilliseconds('1.5s'), 1500);
    assert.equal(toMilliseconds('2m'), 120_000);
    assert.equal(toMilliseconds(250), 250);
    assert.equal(toBytes('10mib'), 10 * 1024 * 1024);
    assert.equal(toBytes('1kb'), 1000);
  });
});
