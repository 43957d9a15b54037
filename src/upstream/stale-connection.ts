/**
 * A pooled keep-alive connection the provider closed as it was being reused: the provider's idle
 * timer ran out (uvicorn, which vLLM runs on, closes after 5 s and sends no Keep-Alive hint) while
 * the gateway's request was on its way, so the request met a closed socket and no answer. It was
 * not processed, and it is not the provider failing. As browsers and Go's HTTP client do, such a
 * request is sent once more on a new connection (UpstreamClient), outside the routing retry policy
 * and unseen by target health: when the connection had served an earlier request, no byte of an
 * answer (not even a 1xx) came, and the failure is a reset or close within `staleFailureWindowMs`
 * of the request going out. A later one is a provider that took the request and then died: the
 * routing retry policy's to judge, as any other failure. Every request body is whole in memory
 * (UpstreamRequest.body), so it can always be sent again.
 */

/**
 * How soon after the request went out a reset still means a connection closed while idle: the
 * provider's close was already on the wire, so it arrives within a round trip (plus an event-loop
 * turn or two on a loaded gateway), far under a model's time to answer.
 */
export const staleFailureWindowMs = 2_000;

/** The error codes of a connection closed or reset under a request (undici's SocketError is UND_ERR_SOCKET). */
const closedConnectionCodes: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Whether `error` is a connection closed or reset under the request (not a timeout, an abort or a parse error). */
export function isClosedConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && closedConnectionCodes.has(code);
}
