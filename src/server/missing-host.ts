import type { IncomingMessage } from 'node:http';
import { clientConnectionErrors } from '../errors/client-connection-errors.ts';
import type { GatewayError } from '../errors/gateway-error.ts';

/**
 * Node's own check of an HTTP/1.1 request without Host (RFC 9112 §3.2) answers a bare, empty 400
 * before any event the listener could answer in JSON: both listeners turn it off
 * (`requireHostHeader: false`) and refuse such a request here instead, with the error object (and
 * the data plane's x-request-id and access line), closing the connection as Node does. HTTP/1.0
 * has no Host requirement.
 */
export const ownHostCheck = { requireHostHeader: false } as const;

/** The refusal of a request that lacks the Host header HTTP/1.1 requires; null for any other. */
export function missingHostRefusal(request: IncomingMessage): GatewayError | null {
  if (request.headers.host !== undefined || request.httpVersionMajor !== 1 || request.httpVersionMinor !== 1) return null;
  return clientConnectionErrors.missingHost();
}
