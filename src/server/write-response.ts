import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { GatewayError } from '../errors/gateway-error.ts';
import { anthropicErrorReply } from '../formats/anthropic/anthropic-error-body.ts';
import type { ClientFormat } from '../providers/provider.ts';

/** Sends a complete JSON response (an object, or already-serialized text/bytes); returns the bytes written. */
export function writeJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): number {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': length });
  response.end(payload);
  return length;
}

/** Sends a gateway error in OpenAI's shape; `overrides` win over the error's own headers. */
export function writeOpenAIError(response: ServerResponse, error: GatewayError, headers: Record<string, string>, overrides: Record<string, string> | null = null): number {
  return writeJson(response, error.status, error.toOpenAIBody(), { ...headers, ...error.headers, ...overrides });
}

/**
 * Sends a gateway error in the client's format (OpenAI's or Anthropic's error object).
 * `overrides` win over the error's own headers (the gateway's retry advice over a provider's).
 */
export function writeClientError(response: ServerResponse, format: ClientFormat, error: GatewayError, headers: Record<string, string>, overrides: Record<string, string> | null = null): number {
  if (format === 'anthropic') {
    const reply = anthropicErrorReply(error);
    // The SDKs' error.requestID reads `request-id`: the gateway's id unless an Anthropic provider's own comes with the error.
    const requestId = headers['request-id'] ?? headers['x-request-id'];
    // Anthropic's error bodies carry the request's id too; the gateway's own do as well (a provider's keeps its own).
    const body = typeof reply.body === 'string' || requestId === undefined || reply.body.request_id !== undefined ? reply.body : { ...reply.body, request_id: requestId };
    return writeJson(response, reply.status, body, { ...(requestId === undefined ? {} : { 'request-id': requestId }), ...headers, ...error.headers, ...overrides });
  }
  return writeOpenAIError(response, error, headers, overrides);
}

/** Starts an SSE response. */
export function startEventStream(response: ServerResponse, status: number, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  response.flushHeaders();
}

/** The client's socket when the gateway may frame HTTP chunks on it itself (headers out, chunked, nothing queued in the response), else null. */
function ownChunkSocket(response: ServerResponse): Socket | null {
  const socket = response.socket;
  if (socket === null || !response.headersSent || !response.chunkedEncoding || response.writableEnded || (response as { outputSize?: number }).outputSize !== 0) return null;
  return socket;
}

/**
 * Writes one piece of a started event stream; false when the client's socket buffer is full (wait
 * for `whenWritable`). Once the headers are out, the piece goes to the socket as one HTTP chunk
 * (size line, bytes, CRLF) in one write: `response.write` sends the same chunk as four writes
 * through the socket's cork buffer, a deferred uncork and a vectored write, which per SSE event
 * was about a quarter of what a passed-through stream allocated. Anything else (headers not
 * flushed, a client without chunked encoding, no socket) goes through `response.write`. Only for a
 * response started with startEventStream, which puts the headers on the wire first. `length`: the
 * data's size in bytes, when the caller already has it.
 */
export function writeEventBytes(response: ServerResponse, data: string | Uint8Array, length = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength): boolean {
  const socket = ownChunkSocket(response);
  if (socket === null) return response.write(data);
  if (length === 0) return true;
  const chunk = httpChunk(length);
  const at = chunk.length - length - 2;
  if (typeof data === 'string') chunk.write(data, at, 'utf8');
  else chunk.set(data, at);
  return socket.write(chunk);
}

/** One HTTP chunk of `length` data bytes, framed (size line, CRLF after the data) for the caller to fill: the data goes at `chunk.length - length - 2`. */
function httpChunk(length: number): Buffer {
  const size = length.toString(16);
  const chunk = Buffer.allocUnsafe(size.length + length + 4);
  chunk.write(size, 0, 'latin1');
  chunk[size.length] = 13;
  chunk[size.length + 1] = 10;
  chunk[chunk.length - 2] = 13;
  chunk[chunk.length - 1] = 10;
  return chunk;
}

/** Resolves when the client's socket can take more (writeEventBytes returned false) or the client is gone. */
export function whenWritable(response: ServerResponse): Promise<unknown> {
  // The socket's own 'drain': the response relays it only after its own write() returned false.
  const socket = response.socket;
  if (response.destroyed || socket === null) return Promise.resolve();
  return new Promise((resolve) => {
    // Both listeners go: the socket outlives this response (keep-alive).
    const done = () => {
      socket.off('drain', done);
      response.off('close', done);
      resolve(undefined);
    };
    socket.once('drain', done);
    response.once('close', done);
  });
}

const dataPrefix = 'data: ';

/**
 * Writes one SSE `data:` event whose payload is `json` (its size in bytes: `jsonLength`), as
 * writeEventBytes would write `data: ${json}\n\n`, but without first joining the three into one
 * string: that string and the flat copy a socket write makes of it were two allocations of the
 * event's size per chunk. The same conditions and fallback as writeEventBytes.
 */
export function writeDataEvent(response: ServerResponse, json: string, jsonLength = Buffer.byteLength(json)): boolean {
  const socket = ownChunkSocket(response);
  if (socket === null) return response.write(`${dataPrefix}${json}\n\n`);
  const length = dataPrefix.length + jsonLength + 2;
  const chunk = httpChunk(length);
  let at = chunk.length - length - 2;
  at += chunk.write(dataPrefix, at, 'latin1');
  at += chunk.write(json, at, 'utf8');
  chunk[at] = 10;
  chunk[at + 1] = 10;
  return socket.write(chunk);
}
