import type { Usage } from '../canonical/chat.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { Target } from '../routing/target.ts';
import { cutStreamUsage } from '../usage/cut-stream-usage.ts';
import type { RequestContext } from './context.ts';

/**
 * Failures that cut an attempt after its provider may have reported usage (a stream's held start,
 * src/providers/hold-stream-start.ts): the connection lost, a timeout (the request deadline
 * included), a stream that ended or could not be read before its first content. The provider had
 * processed the prompt and bills what it reported. Not an error the provider sent itself (an
 * `error` event, Anthropic's overload right after message_start): that is its answer to the call,
 * counted like the same error sent as an HTTP status, at no usage.
 */
const cuts: ReadonlySet<string> = new Set(['upstream_connection_lost', 'upstream_timeout', 'upstream_bad_response', 'deadline_exceeded']);

/** The last usage one attempt's provider reported (ProviderCall.onReportedUsage); watched only on streams. */
export class ReportedUsage {
  last: Usage | null = null;
  /** performance.now() of the first report: the provider had answered (its upstream first-byte time, should the attempt be cut). */
  firstAt = 0;
  readonly listener = (usage: Usage): void => {
    if (this.last === null) this.firstAt = performance.now();
    this.last = usage;
  };
}

/**
 * After an attempt that failed: what its provider had reported, when the failure cut it (`cuts`),
 * goes to ctx.failedAttemptUsage as a cut stream's usage (cutStreamUsage: nothing was streamed to
 * the client, flagged estimated), priced later at this attempt's target.
 */
export function keepFailedAttemptUsage(ctx: RequestContext, target: Target, reported: ReportedUsage | null, error: GatewayError): void {
  if (reported === null || reported.last === null || !cuts.has(error.code)) return;
  (ctx.failedAttemptUsage ??= []).push({ usage: cutStreamUsage(reported.last, 0), target });
}

/**
 * An attempt the client left before its stream started (held): it is the request's last attempt,
 * so what its provider had reported is the request's usage, as for a stream the client cuts later.
 */
export function keepAbandonedAttemptUsage(ctx: RequestContext, reported: ReportedUsage | null): void {
  if (reported !== null && reported.last !== null && ctx.usage === null) ctx.usage = cutStreamUsage(reported.last, 0);
}
