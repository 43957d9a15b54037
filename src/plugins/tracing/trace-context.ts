import type { IncomingHttpHeaders } from 'node:http';
import { createTraceState, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';

// version-traceid-parentid-flags; a later version may append fields after a dash (W3C Trace
// Context, "versioning of traceparent").
const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const zeroTraceId = '0'.repeat(32);
const zeroSpanId = '0'.repeat(16);

/** tracestate's own limit (W3C Trace Context): a longer header is dropped, not cut. */
const traceStateMaxLength = 512;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The context the gateway's server span starts in: the caller's span when the request carries a
 * valid W3C `traceparent` (with its `tracestate`), so the gateway's spans join the caller's trace;
 * else the root (a new trace). An invalid header is ignored, as the spec asks.
 */
export function parentContext(headers: IncomingHttpHeaders): Context {
  const traceparent = single(headers.traceparent)?.trim().toLowerCase();
  if (!traceparent) return ROOT_CONTEXT;
  const match = traceparentPattern.exec(traceparent);
  if (!match) return ROOT_CONTEXT;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return ROOT_CONTEXT;
  if (traceId === zeroTraceId || spanId === zeroSpanId) return ROOT_CONTEXT;
  const rawTraceState = headers.tracestate === undefined ? undefined : Array.isArray(headers.tracestate) ? headers.tracestate.join(',') : headers.tracestate;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId,
    // Only the sampled bit is defined; the others are kept off.
    traceFlags: Number.parseInt(flags, 16) & 1,
    isRemote: true,
    traceState: rawTraceState && rawTraceState.length <= traceStateMaxLength ? createTraceState(rawTraceState) : undefined,
  });
}
