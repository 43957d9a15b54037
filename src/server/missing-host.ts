import type { IncomingMessage } from 'node:http';
import { clientConnectionErrors } from '../errors/client-connection-errors.ts';
import { GatewayError } from '../errors/gateway-error.ts';

/**
 * Node's own check of an HTTP/1.1 request without Host (RFC 9112 §3.2) answers a bare, empty 400
 * before any event the listener could answer in JSON: both listeners turn it off
 * (`requireHostHeader: false`) and refuse such a request here instead, with the error object (and
 * the data plane's x-request-id and access line), closing the connection as Node does. HTTP/1.0
 * has no Host requirement.
 */
export const ownHostCheck = { requireHostHeader: false } as const;

/**
 * A request with more Host lines than one, which RFC 9112 §3.2 requires a server to refuse with
 * 400 whatever its version: Node keeps the first in `headers.host` and drops the rest, while a
 * proxy in front may route by the last, so which name the request was for is not known.
 */
function duplicateHost(): GatewayError {
  return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'duplicate_host_header', message: 'The request carries more than one Host header (RFC 9112 §3.2); the connection is closed.' });
}

/** How many Host lines the request came with: `rawHeaders` keeps every line, `headers` only the first Host. */
function hostLineCount(request: IncomingMessage): number {
  let count = 0;
  for (let index = 0; index < request.rawHeaders.length; index += 2) if (request.rawHeaders[index].toLowerCase() === 'host') count++;
  return count;
}

/**
 * The refusal of a request whose Host header RFC 9112 §3.2 makes a 400: an HTTP/1.1 request
 * without one, or any request with more than one; null for any other. Both listeners call it
 * first, before the Host is read for anything else.
 */
export function missingHostRefusal(request: IncomingMessage): GatewayError | null {
  if (request.headers.host === undefined) {
    return request.httpVersionMajor === 1 && request.httpVersionMinor === 1 ? clientConnectionErrors.missingHost() : null;
  }
  return hostLineCount(request) > 1 ? duplicateHost() : null;
}
