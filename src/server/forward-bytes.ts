import type { ServerResponse } from 'node:http';
import { eachPiece, type PieceSource } from '../upstream/each-piece.ts';
import { writeEventBytes } from './write-response.ts';

/** Sends bytes or text to the client (empty sends nothing). */
export type Send = (data: Buffer | string) => void;

/**
 * Copies an upstream body to the client as its pieces arrive (upstream/each-piece.ts: no async
 * work per piece). `forward` sees every piece and sends what the client gets, any number of
 * times (what it sent before throwing still goes out). Backpressure: when the client's socket
 * buffer is full the upstream body is paused until it drains, so a slow client slows the provider
 * instead of growing memory. Rejects with what `forward` throws or the body's error (an upstream failure,
 * or the abort that follows the client leaving, which also ends a pause).
 */
export async function forwardBytes(body: PieceSource, response: ServerResponse, forward: (piece: Buffer, send: Send) => void): Promise<void> {
  // The socket's 'drain' (writeEventBytes writes to it); the socket outlives the response (keep-alive).
  const socket = response.socket;
  let full = false;
  const send: Send = (data) => {
    if (data.length > 0 && !response.destroyed && !writeEventBytes(response, data)) full = true;
  };
  const resume = () => {
    full = false;
    body.resume();
  };
  try {
    await eachPiece(body, (piece) => {
      forward(piece, send);
      if (full && !body.isPaused() && socket !== null) {
        body.pause();
        socket.once('drain', resume);
      }
    });
  } finally {
    socket?.off('drain', resume);
  }
}
