import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { translatePieces, type PieceTranslator } from '../../src/upstream/translate-pieces.ts';

/** Splits each piece into its characters; end() emits 'end' or throws when told to. */
function characters(options: { failAtEnd?: boolean; failOn?: string } = {}): PieceTranslator<string> {
  return {
    piece: (piece, emit) => {
      for (const character of piece.toString()) {
        if (character === options.failOn) throw new Error(`bad ${character}`);
        emit(character);
      }
    },
    end: (emit) => {
      if (options.failAtEnd) throw new Error('cut off');
      emit('end');
    },
    error: (error) => new Error(`mapped: ${(error as Error).message}`),
  };
}

async function readAll(items: AsyncIterable<string>): Promise<{ items: string[]; error: string | null }> {
  const seen: string[] = [];
  try {
    for await (const item of items) seen.push(item);
  } catch (error) {
    return { items: seen, error: (error as Error).message };
  }
  return { items: seen, error: null };
}

describe('translatePieces', () => {
  it('hands out every item in order, then what end() adds', async () => {
    const body = new PassThrough();
    const reading = readAll(translatePieces(body, characters()));
    body.write('ab');
    body.write('c');
    body.end('d');
    assert.deepEqual(await reading, { items: ['a', 'b', 'c', 'd', 'end'], error: null });
  });

  it('a failure in a piece reaches the reader after the items made before it, mapped, and destroys the body', async () => {
    const body = new PassThrough();
    const reading = readAll(translatePieces(body, characters({ failOn: '!' })));
    body.write('ab!cd');
    assert.deepEqual(await reading, { items: ['a', 'b'], error: 'mapped: bad !' });
    assert.equal(body.destroyed, true);
  });

  it("end() throwing and the body's own error are failures too", async () => {
    const cut = new PassThrough();
    const cutReading = readAll(translatePieces(cut, characters({ failAtEnd: true })));
    cut.end('xy');
    assert.deepEqual(await cutReading, { items: ['x', 'y'], error: 'mapped: cut off' });

    const broken = new PassThrough();
    const brokenReading = readAll(translatePieces(broken, characters()));
    broken.write('z');
    broken.destroy(new Error('socket hang up'));
    assert.deepEqual(await brokenReading, { items: ['z'], error: 'mapped: socket hang up' });
  });

  it('a body that closes before its end fails the reader instead of leaving it waiting', async () => {
    const body = new PassThrough();
    const reading = readAll(translatePieces(body, characters()));
    body.write('q');
    body.destroy();
    const outcome = await reading;
    assert.deepEqual(outcome.items, ['q']);
    assert.match(outcome.error ?? '', /closed before its end/);
  });

  it('does not read before the first item is asked for, pauses the body while many items wait, and return() destroys it', async () => {
    const body = new PassThrough();
    const items = translatePieces(body, characters());
    body.write('a'.repeat(100));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(body.listenerCount('data'), 0, 'not read before next()');
    assert.deepEqual(await items.next(), { done: false, value: 'a' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(body.isPaused(), true, 'paused with 99 items waiting');
    for (let index = 0; index < 99; index++) await items.next();
    assert.equal(body.isPaused(), false, 'reading again once the reader caught up');
    assert.deepEqual(await items.return!(), { done: true, value: undefined });
    assert.equal(body.destroyed, true);
    assert.deepEqual(await items.next(), { done: true, value: undefined });
  });

  it('reads any async iterable, not only streams', async () => {
    async function* pieces() {
      yield 'hi';
      yield Buffer.from('!?');
    }
    assert.deepEqual(await readAll(translatePieces(pieces(), characters())), { items: ['h', 'i', '!', '?', 'end'], error: null });
  });
});
