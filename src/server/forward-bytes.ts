import type { ServerResponse } from 'node:http';
import { errors } from '../errors/catalogue.ts';
import { discardBody, eachPiece, type PieceSource } from '../upstream/each-piece.ts';
import { UpstreamBody } from '../upstream/upstream-body.ts';
import { ClientStallWatch } from './client-stall-watch.ts';
import { writeEventBytes } from './write-response.ts';

/** Sends bytes or text to the client (empty sends nothing). */
export type Send = (data: Buffer | string) => void;

/**
 * Copies an upstream body to the client as its pieces arrive (upstream/each-piece.ts: no async
 * work per piece). `forward` sees every piece and sends what the client gets, any number of
 * times (what it sent before throwing still goes out). Backpressure: when the client's socket
 * buffer is full the upstream body is paused until it drains, so a slow client slows the provider
 * instead of growing memory. A client that takes none of the bytes for the body's stall limit
 * (client-stall-watch.ts; a slow one that keeps taking some is waited for) is disconnected and the
 * body discarded: rejects with `client_stalled`. Otherwise rejects with what `forward` throws or
 * the body's error (an upstream failure, or the abort that follows the client leaving, which also
 * ends a pause).
 */
export function forwardBytes(body: PieceSource, response: ServerResponse, forward: (piece: Buffer, send: Send) => void): Promise<void> {
  // The socket's 'drain' (writeEventBytes writes to it); the socket outlives the response (keep-alive).
  const socket = response.socket;
  const stallLimitMs = body instanceof UpstreamBody ? body.stallLimitMs : Infinity;
  let full = false;
  let watch: ClientStallWatch | null = null;
  const send: Send = (data) => {
    if (data.length > 0 && !response.destroyed && !writeEventBytes(response, data)) full = true;
  };
  return new Promise<void>((resolve, reject) => {
    const finish = (): void => {
      socket?.off('drain', resume);
      watch?.stop();
      watch = null;
    };
    const resume = (): void => {
      full = false;
      watch?.stop();
      watch = null;
      body.resume();
    };
    const stalled = (waitedMs: number): void => {
      finish();
      reject(errors.clientStalled(waitedMs));
      discardBody(body);
      response.destroy();
    };
    eachPiece(body, (piece) => {
      forward(piece, send);
      if (full && !body.isPaused() && socket !== null) {
        body.pause();
        socket.once('drain', resume);
        if (stallLimitMs !== Infinity) watch = new ClientStallWatch(socket, stallLimitMs, stalled);
      }
    }).then(
      () => {
        finish();
        resolve();
      },
      (error: unknown) => {
        finish();
        reject(error);
      },
    );
  });
}
