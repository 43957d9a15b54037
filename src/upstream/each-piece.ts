import type { Readable } from 'node:stream';

/**
 * Hands each piece of a body to `onPiece` as it arrives, with 'data' events: per piece no promise,
 * iterator result or async frame, which `for await` costs (at 1,000 open streams most of the
 * garbage). Resolves when the body ends, or as soon as `onPiece` returns false (the rest is
 * discarded: the body is destroyed). Rejects with what `onPiece` throws (the body is destroyed),
 * the body's error, or a close before its end, so it never stays pending.
 */
export function eachPiece(body: Readable, onPiece: (piece: Buffer) => boolean | void): Promise<void> {
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
 * Destroys a body that is no longer read. undici reports the abort that follows as an 'error'
 * event; with the reader's listeners gone it would be an uncaught exception (the process would
 * exit), so it goes to a listener that ignores it. The body's 'close' still comes, which releases
 * the attempt's deadline timer.
 */
export function discardBody(body: Readable): void {
  body.on('error', ignore);
  body.destroy();
}
