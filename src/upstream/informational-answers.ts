import { undiciSymbols } from './undici-parts.ts';

/**
 * Every informational answer (1xx, 101 aside) before the final one is skipped, `100 Continue`
 * included: RFC 9110 15.2 asks a client to parse 1xx answers it did not expect, and some servers
 * and proxies send a `100 Continue` unasked. undici skips the others (103 Early Hints, 102
 * Processing) but destroys the connection on a 100, as it never sends `Expect: 100-continue`
 * (nodejs/undici#197), and every call to such a provider failed. Its HTTP/1.1 parser is not
 * exported, so the fix is made on the parser's class, once, from the first connection's parser
 * (UpstreamClient hears of each new connection before any request is written on it): a 100's
 * head goes on as an unassigned 1xx (199), which undici skips as it skips a 103, headers,
 * timeouts and keep-alive state handled as for that one. The gateway's handler never sees it
 * (it waits for a status of 200 or more). test/core/undici-parts.test.ts checks that undici's
 * parser still refuses a 100 in the way this undoes.
 */

/** The status a 100's head is passed on as: unassigned, and informational like 103. */
const continueStandIn = 199;

interface ParserMethods {
  onHeadersComplete(this: unknown, statusCode: number, upgrade: boolean, shouldKeepAlive: boolean): number;
}

let installed = false;

/**
 * Makes undici's HTTP/1.1 parser skip a `100 Continue` as any other informational answer. `targets`:
 * what undici's `connect` event names ([agent, pool, client]); the client's socket holds the parser.
 */
export function skipContinueAnswers(targets: readonly unknown[]): void {
  if (installed) return;
  const client = targets[targets.length - 1] as Record<symbol, unknown> | undefined;
  const socket = client?.[undiciSymbols.kSocket] as Record<symbol, unknown> | null | undefined;
  const parser = socket?.[undiciSymbols.kParser];
  if (parser === null || typeof parser !== 'object') return;
  const methods = Object.getPrototypeOf(parser) as ParserMethods;
  const original = methods.onHeadersComplete;
  if (typeof original !== 'function') return;
  installed = true;
  methods.onHeadersComplete = function onHeadersComplete(statusCode, upgrade, shouldKeepAlive) {
    return original.call(this, statusCode === 100 ? continueStandIn : statusCode, upgrade, shouldKeepAlive);
  };
}
