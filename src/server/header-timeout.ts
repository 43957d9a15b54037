import { GatewayError } from '../errors/gateway-error.ts';

/**
 * The longest a data-plane connection may take to send a request line and headers: Node's own
 * default for `headersTimeout`, kept. It is no setting of its own (Node refuses a headersTimeout
 * above a requestTimeout, so a shorter server.request_timeout lowers it, and only that).
 */
export const headerTimeoutCapMs = 60_000;

/** The header timeout of a listener whose server.request_timeout is `requestTimeoutMs` (0: off). */
export function headerTimeoutOf(requestTimeoutMs: number): number {
  return requestTimeoutMs > 0 ? Math.min(headerTimeoutCapMs, requestTimeoutMs) : headerTimeoutCapMs;
}

/** A duration in the config's own words (`2s`, `1.5s`). */
function seconds(ms: number): string {
  return `${ms / 1000}s`;
}

/**
 * 408 for a request whose line and headers started to arrive but were not all there within the
 * header timeout. Its message names what set the limit (a client's operator reads it to find the
 * knob): server.request_timeout when that is the shorter, else the gateway's fixed 60 s, which
 * the 408 of a slow body (server.request_timeout) would wrongly blame.
 */
export function headersTimedOut(requestTimeoutMs: number): GatewayError {
  const limitMs = headerTimeoutOf(requestTimeoutMs);
  const limit = limitMs < headerTimeoutCapMs || limitMs === requestTimeoutMs ? `server.request_timeout (${seconds(limitMs)})` : `${seconds(limitMs)}, the gateway's header timeout (fixed; a shorter server.request_timeout lowers it)`;
  return new GatewayError({ status: 408, type: 'invalid_request_error', code: 'request_timeout', message: `The request's line and headers did not arrive within ${limit}; the connection is closed.` });
}
