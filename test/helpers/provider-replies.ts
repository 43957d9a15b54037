import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RecordedRequest } from './stand-in-server.ts';

/** How a stand-in provider answers one request; tests swap it between cases. */
export type Reply = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

/**
 * Answers with the whole body in one write. The body is read when a request comes, not when the
 * reply is made, so a default reply names a fixture without reading it.
 */
export function replyWhole(status: number, headers: OutgoingHttpHeaders, body: () => Buffer | string): Reply {
  return (_request, response) => {
    response.writeHead(status, headers);
    response.end(body());
  };
}

/**
 * Answers 200 and writes the body `pieceSize` bytes at a time, one event-loop turn apart, so
 * characters, lines, events and binary frames are split across TCP writes as a real network does.
 */
export function replyInPieces(headers: OutgoingHttpHeaders, body: () => Buffer, pieceSize: number): Reply {
  return async (_request, response) => {
    const bytes = body();
    response.writeHead(200, headers);
    for (let offset = 0; offset < bytes.length; offset += pieceSize) {
      response.write(bytes.subarray(offset, offset + pieceSize));
      await nextTurn();
    }
    response.end();
  };
}

/**
 * Answers 200, writes the first part of a stream, then drops the connection: what a provider
 * crashing mid-answer looks like. The 20 ms lets the gateway forward what came before the drop.
 */
export function replyThenDrop(headers: OutgoingHttpHeaders, firstPart: () => Buffer): Reply {
  return (_request, response) => {
    response.writeHead(200, headers);
    response.write(firstPart());
    setTimeout(() => response.socket?.destroy(), 20);
  };
}
