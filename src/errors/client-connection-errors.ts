import { GatewayError } from './gateway-error.ts';

/**
 * Errors of the client's connection rather than of its request's content: a body the client did
 * not finish sending, HTTP that Node's parser refuses, a request that took too long to arrive
 * (server/client-error.ts). Recorded as the client's doing, never as the gateway's 5xx.
 */
export const clientConnectionErrors = {
  /** The client closed (or reset) its connection before its request was complete. */
  clientClosed(): GatewayError {
    return new GatewayError({ status: 499, type: 'api_error', code: 'client_closed_request', message: 'The client closed the connection before its request was complete.' });
  },
  /** The whole request (headers and body) did not arrive within server.request_timeout. */
  requestTimeout(): GatewayError {
    return new GatewayError({ status: 408, type: 'invalid_request_error', code: 'request_timeout', message: 'The request did not arrive in time (server.request_timeout); the connection is closed.' });
  },
  /** HTTP/1.1 the parser refuses: a malformed request line, header or chunked body framing. `reason`: the parser's own words (llhttp's, never the client's bytes). */
  malformedRequest(reason: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'malformed_request', message: `The request is not well-formed HTTP/1.1 (${reason}); the connection is closed.` });
  },
  /** An HTTP/1.1 request without a Host header, which RFC 9112 §3.2 requires a server to refuse with 400. */
  missingHost(): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'missing_host_header', message: 'An HTTP/1.1 request must carry a Host header (RFC 9112 §3.2); the connection is closed.' });
  },
  /** The request line and headers together exceed Node's header size limit (--max-http-header-size). */
  headersTooLarge(limitBytes: number): GatewayError {
    return new GatewayError({ status: 431, type: 'invalid_request_error', code: 'request_headers_too_large', message: `The request's headers exceed ${limitBytes} bytes; the connection is closed.` });
  },
  /** Chunk extensions (`;name=value` after a chunk size) beyond what Node's parser accepts. */
  chunkExtensionsTooLarge(): GatewayError {
    return new GatewayError({ status: 413, type: 'invalid_request_error', code: 'chunk_extensions_too_large', message: 'The chunked body carries more chunk extensions than the gateway accepts; the connection is closed.' });
  },
};
