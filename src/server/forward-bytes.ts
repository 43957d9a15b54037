import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

/**
 * Copies an upstream body to the client as its pieces arrive, with 'data' events instead of an
 * async iterator: per piece, no promise, no iterator result and no async frame (a stream of a
 * thousand small events otherwise allocates several kilobytes per event, which at 1,000 open
 * streams is most of the garbage). Backpressure as before: when the client's socket buffer is
 * full the upstream body is paused until it drains, so a slow client slows the provider instead
 * of growing memory.
 *
 * `transform` sees every piece (to read usage or count events) and returns what to send, bytes or
 * text (empty sends nothing; what it throws ends the copy with that error). Resolves when the
 * body ends; rejects with the body's error (an upstream failure, or the abort that follows the
 * client leaving, which also ends a pause).
 */
export function forwardBytes(body: Readable, response: ServerResponse, transform: (piece: Buffer) => Buffer | string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let waitingForDrain = false;
    const resume = () => {
      waitingForDrain = false;
      body.resume();
    };
    const onData = (piece: Buffer) => {
      let out: Buffer | string;
      try {
        out = transform(piece);
      } catch (error) {
        // A plugin refused the stream (or failed): the caller reports it in-stream.
        finish(error as Error);
        body.destroy();
        return;
      }
      if (out.length === 0 || response.destroyed) return;
      if (!response.write(out) && !waitingForDrain) {
        waitingForDrain = true;
        body.pause();
        response.once('drain', resume);
      }
    };
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      response.off('drain', resume);
      if (error) reject(error);
      else resolve();
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(error);
    // Destroyed without an error and before its end: still a cut, never a promise left pending.
    const onClose = () => finish(Object.assign(new Error('the upstream body closed before its end'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
  });
}
