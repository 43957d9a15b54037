import type { Readable } from 'node:stream';
import { UpstreamBody } from './upstream-body.ts';

/** A body read piece by piece: an upstream response's (UpstreamBody), or any Node stream of bytes. */
export type PieceSource = UpstreamBody | Readable;

/** What a stream translator reads: a body, or any async iterable of bytes (tests, a body already read). */
export type PieceInput = PieceSource | AsyncIterable<Uint8Array | string>;

/**
 * Hands each piece of a body to `onPiece` as it arrives: per piece no promise, iterator result or
 * async frame, which `for await` costs (at 1,000 open streams most of the garbage). Resolves when
 * the body ends, or as soon as `onPiece` returns false (the rest is discarded: the body is
 * destroyed). Rejects with what `onPiece` throws (the body is destroyed), the body's error, or a
 * close before its end, so it never stays pending.
 */
export function eachPiece(body: PieceSource, onPiece: (piece: Buffer) => boolean | void): Promise<void> {
  if (body instanceof UpstreamBody) return eachPieceOfBody(body, onPiece);
  return eachPieceOfStream(body, onPiece);
}

function eachPieceOfBody(body: UpstreamBody, onPiece: (piece: Buffer) => boolean | void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    body.read({
      piece: (piece) => {
        let more: boolean | void;
        try {
          more = onPiece(piece);
        } catch (error) {
          body.destroy();
          reject(error as Error);
          return;
        }
        if (more === false) {
          body.destroy();
          resolve();
        }
      },
      end: () => resolve(),
      error: (error) => reject(error),
    });
  });
}

/** eachPiece for a Node stream, with 'data' events. */
function eachPieceOfStream(body: Readable, onPiece: (piece: Buffer) => boolean | void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onData = (piece: Buffer) => {
      let more: boolean | void;
      try {
        more = onPiece(piece);
      } catch (error) {
        finish(error as Error);
        discardBody(body);
        return;
      }
      if (more === false) {
        finish();
        discardBody(body);
      }
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(error);
    const onClose = () => finish(Object.assign(new Error('the upstream body closed before its end'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
  });
}

function ignore(): void {}

/**
 * Destroys a body that is no longer read. An UpstreamBody aborts its request and says nothing
 * more. A Node stream may report the abort that follows as an 'error' event; with the reader's
 * listeners gone it would be an uncaught exception (the process would exit), so it goes to a
 * listener that ignores it.
 */
export function discardBody(body: PieceSource): void {
  if (body instanceof UpstreamBody) {
    body.destroy();
    return;
  }
  body.on('error', ignore);
  body.destroy();
}
