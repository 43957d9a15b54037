import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { clientConnectionErrors } from '../errors/client-connection-errors.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { statusTexts } from './node-http.ts';

/** A connection's failure as Node's server reports it ('clientError'): a parser error (HPE_*), the request timeout, a socket error. */
export type ConnectionFailure = Error & { code?: string; reason?: string };

/** Failures that mean the client went away: nothing can be answered, and nothing it sent was wrong. */
const clientLeftCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'HPE_INVALID_EOF_STATE']);

/**
 * What a connection's failure is, as the client's doing: 408 for server.request_timeout, 431 for
 * headers past Node's limit, 413 for too many chunk extensions, 400 for any other HTTP the parser
 * refuses (a malformed request line, header or chunk size), and 499 for a client that left (a
 * reset, or the end of its connection in the middle of a request).
 */
export function connectionErrorOf(failure: ConnectionFailure, headerLimitBytes: number): GatewayError {
  const code = failure.code ?? '';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return clientConnectionErrors.requestTimeout();
  if (code === 'HPE_HEADER_OVERFLOW') return clientConnectionErrors.headersTooLarge(headerLimitBytes);
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return clientConnectionErrors.chunkExtensionsTooLarge();
  if (code.startsWith('HPE_') && !clientLeftCodes.has(code)) return clientConnectionErrors.malformedRequest(failure.reason ?? code);
  return clientConnectionErrors.clientClosed();
}

/** What became of a request whose body failed: its error, and the answer the client got (when it could get one). */
export interface BodyFailure {
  error: GatewayError;
  /** The request id the answer carried; null when none was sent. */
  id: string | null;
  bytesOut: number;
}

// Kept only for a connection whose request body failed, until the connection is collected.
const bodyFailures = new WeakMap<object, BodyFailure>();

/** Notes what the request on `socket` failed with, for its own log phase (the body's reader sees only 'aborted'). */
export function noteBodyFailure(socket: Duplex, failure: BodyFailure): void {
  bodyFailures.set(socket, failure);
}

/**
 * What reading the body of `request` failed with, given what its reader rejected with: what the
 * connection's failure noted, else (the reader's 'aborted') a client that left; null for a refusal
 * of the gateway's own (a GatewayError: too large, undecodable), which is answered as usual.
 */
export function bodyFailureOf(request: IncomingMessage, rejection: unknown): BodyFailure | null {
  return bodyFailures.get(request.socket) ?? (rejection instanceof GatewayError ? null : { error: clientConnectionErrors.clientClosed(), id: null, bytesOut: 0 });
}

/** The response being answered on the connection, if any (Node's own field; null between requests). */
export function responseInFlight(socket: Duplex): ServerResponse | null {
  return (socket as unknown as { _httpMessage?: ServerResponse | null })._httpMessage ?? null;
}

/**
 * The whole answer, written straight to the socket, to a request the parser refused before it was
 * one (no request or response object exists): OpenAI's error object, and the connection closes.
 */
export function rawErrorAnswer(error: GatewayError, id: string): string {
  const body = JSON.stringify(error.toOpenAIBody());
  return `HTTP/1.1 ${error.status} ${statusTexts[error.status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\nx-request-id: ${id}\r\n\r\n${body}`;
}
