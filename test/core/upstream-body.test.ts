import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectBody } from '../../src/upstream/read-body.ts';
import { UpstreamBody, type BodyFlow, type PieceReader } from '../../src/upstream/upstream-body.ts';

/** A producer that records what the body asked of it. */
function recordingFlow(): BodyFlow & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    abort: (reason) => calls.push(`abort: ${reason.message}`),
    settled: () => calls.push('settled'),
  };
}

/** A reader that records every call, as text. */
function recordingReader(onPiece?: (piece: Buffer) => void): PieceReader & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    piece: (piece) => {
      seen.push(piece.toString());
      onPiece?.(piece);
    },
    end: () => seen.push('<end>'),
    error: (error) => seen.push(`<error: ${error.message}>`),
  };
}

const bytes = (text: string) => Buffer.from(text);

describe('UpstreamBody', () => {
  it('hands pieces that came before the reader first, then the rest as they arrive, then the end', () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    body.push(bytes('a'));
    body.push(bytes('b'));
    const reader = recordingReader();
    body.read(reader);
    assert.deepEqual(reader.seen, ['a', 'b']);
    body.push(bytes('c'));
    body.finish();
    assert.deepEqual(reader.seen, ['a', 'b', 'c', '<end>']);
    assert.deepEqual(flow.calls, ['settled']);
    assert.equal(body.destroyed, false);
  });

  it('holds pieces while paused, pauses the producer above 64 KiB held, and resumes it once they are read', () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    const reader = recordingReader();
    body.read(reader);
    body.pause();
    const piece = 'x'.repeat(20 * 1024);
    for (let index = 0; index < 4; index++) body.push(bytes(piece));
    assert.deepEqual(reader.seen, []);
    assert.deepEqual(flow.calls, ['pause'], 'one pause once more than 64 KiB is held');
    body.resume();
    assert.equal(reader.seen.length, 4);
    assert.deepEqual(flow.calls, ['pause', 'resume']);
  });

  it('delivers, in order, pieces the producer hands over within resume() (undici does)', () => {
    const body = new UpstreamBody();
    const flow: BodyFlow = {
      pause: () => {},
      resume: () => {
        body.push(bytes('during-1'));
        body.push(bytes('during-2'));
      },
      abort: () => {},
    };
    body.attachFlow(flow);
    const reader = recordingReader();
    body.read(reader);
    body.pause();
    body.push(bytes('y'.repeat(70 * 1024)));
    body.resume();
    assert.deepEqual(
      reader.seen.map((text) => text.slice(0, 8)),
      ['yyyyyyyy', 'during-1', 'during-2'],
    );
  });

  it('a reader that pauses inside piece() gets nothing more until it resumes', () => {
    const body = new UpstreamBody();
    body.push(bytes('1'));
    body.push(bytes('2'));
    body.push(bytes('3'));
    body.finish();
    const reader = recordingReader(() => body.pause());
    body.read(reader);
    assert.deepEqual(reader.seen, ['1']);
    body.resume();
    assert.deepEqual(reader.seen, ['1', '2']);
    body.resume();
    assert.deepEqual(reader.seen, ['1', '2', '3']);
    body.resume();
    assert.deepEqual(reader.seen, ['1', '2', '3', '<end>']);
  });

  it('a failure drops what is held and reaches the reader once; the producer is settled, not aborted', () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    const reader = recordingReader();
    body.read(reader);
    body.push(bytes('seen'));
    body.pause();
    body.push(bytes('held'));
    body.fail(new Error('socket reset'));
    assert.deepEqual(reader.seen, ['seen', '<error: socket reset>'], 'the error reaches a paused reader too');
    body.push(bytes('late'));
    body.finish();
    assert.deepEqual(reader.seen, ['seen', '<error: socket reset>']);
    assert.deepEqual(flow.calls, ['settled']);
  });

  it('a failure before any reader reaches the reader when it attaches', () => {
    const body = new UpstreamBody();
    body.push(bytes('dropped'));
    body.fail(new Error('reset'));
    const reader = recordingReader();
    body.read(reader);
    assert.deepEqual(reader.seen, ['<error: reset>']);
  });

  it('destroy() aborts the producer, drops what is held and says nothing more to the reader', () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    const reader = recordingReader();
    body.read(reader);
    body.pause();
    body.push(bytes('held'));
    body.destroy(new Error('client left'));
    body.resume();
    body.finish();
    assert.deepEqual(reader.seen, []);
    assert.deepEqual(flow.calls, ['abort: client left', 'settled']);
    assert.equal(body.destroyed, true);
  });

  it('destroying a body whose producer is done aborts nothing', () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    body.push(bytes('a'));
    body.finish();
    body.destroy();
    assert.deepEqual(flow.calls, ['settled']);
  });

  it('bytes put back with unshift() come first for the next reader', () => {
    const body = new UpstreamBody();
    const first = recordingReader();
    body.read(first);
    body.push(bytes('start'));
    body.stopReading();
    body.push(bytes('-rest'));
    body.unshift(bytes('start'));
    body.finish();
    const second = recordingReader();
    body.read(second);
    assert.deepEqual(first.seen, ['start']);
    assert.deepEqual(second.seen, ['start', '-rest', '<end>']);
  });

  it('refuses a second reader while one is attached', () => {
    const body = new UpstreamBody();
    body.read(recordingReader());
    assert.throws(() => body.read(recordingReader()), /already has a reader/);
  });

  it('dump() reads a short body to its end (the connection stays usable) and destroys a long one', async () => {
    const shortFlow = recordingFlow();
    const short = new UpstreamBody(shortFlow);
    const dumped = short.dump();
    short.push(bytes('error page'));
    short.finish();
    await dumped;
    assert.deepEqual(shortFlow.calls, ['settled']);

    const longFlow = recordingFlow();
    const long = new UpstreamBody(longFlow);
    const dumping = long.dump();
    for (let index = 0; index < 3; index++) long.push(Buffer.alloc(64 * 1024));
    await dumping;
    assert.equal(long.destroyed, true);
    assert.match(longFlow.calls[0] ?? '', /^abort/);
  });

  it('reads as an async iterator and whole (collectBody); of() is a complete body', async () => {
    const body = new UpstreamBody();
    const pieces: string[] = [];
    const reading = (async () => {
      for await (const piece of body) pieces.push(piece.toString());
    })();
    body.push(bytes('a'));
    setImmediate(() => {
      body.push(bytes('b'));
      body.finish();
    });
    await reading;
    assert.deepEqual(pieces, ['a', 'b']);
    assert.equal((await collectBody(UpstreamBody.of(bytes('whole')))).toString(), 'whole');
    assert.equal((await collectBody(UpstreamBody.of(Buffer.alloc(0)))).length, 0);
  });

  it('leaving an async iteration early destroys the body (its request is aborted)', async () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    body.push(bytes('a'));
    body.push(bytes('b'));
    for await (const piece of body) {
      assert.equal(piece.toString(), 'a');
      break;
    }
    assert.equal(body.destroyed, true);
    assert.match(flow.calls[0] ?? '', /^abort/);
  });

  it('an async iteration rejects with the failure', async () => {
    const body = new UpstreamBody();
    setImmediate(() => body.fail(new Error('cut')));
    await assert.rejects(
      (async () => {
        for await (const _piece of body) {
          // nothing arrives
        }
      })(),
      /cut/,
    );
  });
});
