import { SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { RequestContext } from '../../pipeline/context.ts';
import type { RequestCost } from '../../usage/compute-cost.ts';
import { genAiOperationName, genAiProviderName, providerAddress, requestParameters, usageAttributes } from './gen-ai-attributes.ts';
import { parentContext } from './trace-context.ts';

/** Where a cache plugin says it answered the request (as the usage ledger reads it). */
const cacheStateKey = 'cache';

/** A performance.now() reading of the request as wall-clock milliseconds, on the clock of ctx.startedAt. */
function wallClock(ctx: RequestContext, at: number): number {
  return ctx.startedAt + (at - ctx.receivedAt);
}

/**
 * What went wrong, as error.type: the gateway's error code (`upstream_timeout`, `rate_limited`,
 * ...), also for a stream that failed after its 200; a client that left is
 * `client_closed_request`. Null for a request that succeeded.
 */
function failureOf(ctx: RequestContext): string | null {
  if (ctx.error) return ctx.error.code;
  if (ctx.status === 499) return 'client_closed_request';
  if (ctx.status >= 400) return String(ctx.status);
  return null;
}

function markFailed(span: Span, failure: string): void {
  span.setAttribute('error.type', failure);
  // The code only: an error's message may quote what the provider said about the prompt.
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
}

/** The upstream call failed, rather than the gateway refusing its answer (an output guardrail). */
function upstreamFailed(ctx: RequestContext): boolean {
  const error = ctx.error;
  if (!error) return ctx.status === 499;
  // No answer to the last attempt, an upstream error, or a stream that broke after its 200.
  return error.upstream || ctx.upstreamFirstByteAt < ctx.upstreamStartedAt || ctx.status < 400;
}

function serverAttributes(ctx: RequestContext, cost: RequestCost | null): Attributes {
  const cache = ctx.state.get(cacheStateKey) as { hit?: boolean } | undefined;
  return {
    'http.request.method': ctx.method,
    // The data plane's paths are fixed per endpoint (no ids in them), so the path is the route.
    'http.route': ctx.path,
    'url.path': ctx.path,
    'http.response.status_code': ctx.status,
    'gen_ai.operation.name': genAiOperationName(ctx.operation),
    'gen_ai.request.model': ctx.requestedModel,
    'gen_ai.request.stream': ctx.stream,
    'tollgate.request_id': ctx.id,
    'tollgate.client_format': ctx.clientFormat,
    'tollgate.route': ctx.route?.name,
    'tollgate.variant': ctx.variant,
    'tollgate.attempts': ctx.attempts,
    'tollgate.provider': ctx.target?.provider.settings.name,
    'tollgate.model': ctx.target?.model,
    // The key's id (as in the usage ledger and Admin API), never the key itself.
    'tollgate.key_id': ctx.caller.key,
    'tollgate.consumer': ctx.caller.consumer,
    'tollgate.team': ctx.caller.team,
    'tollgate.cost_usd': cost?.usd,
    'tollgate.cost_estimated': cost?.estimated ? true : undefined,
    'tollgate.cache_hit': ctx.answeredFromCache === true || cache?.hit === true,
    'tollgate.bytes_out': ctx.bytesOut,
  };
}

function upstreamAttributes(ctx: RequestContext): Attributes {
  const target = ctx.target!;
  const { address, port } = providerAddress(target);
  const attributes: Attributes = {
    'gen_ai.operation.name': genAiOperationName(ctx.operation),
    'gen_ai.provider.name': genAiProviderName(target.provider.settings.type),
    // The name before gen_ai.provider.name, still what many backends read.
    'gen_ai.system': genAiProviderName(target.provider.settings.type),
    'gen_ai.request.model': target.model,
    // The model that served as the gateway knows it (the target's); a provider's dated version string is not kept.
    'gen_ai.response.model': target.model,
    'gen_ai.request.stream': ctx.stream,
    ...requestParameters(ctx),
    ...usageAttributes(ctx),
    'server.address': address,
    'server.port': port,
    'tollgate.provider': target.provider.settings.name,
  };
  if (ctx.stream && ctx.upstreamFirstByteAt >= ctx.upstreamStartedAt) attributes['gen_ai.response.time_to_first_chunk'] = (ctx.upstreamFirstByteAt - ctx.upstreamStartedAt) / 1000;
  return attributes;
}

/**
 * The spans of one finished request, with the times the pipeline recorded (log phase: the
 * response is already sent). A server span from arrival to the end of the response, in the
 * caller's trace when it sent a traceparent; and, when a provider was called, a client span for the
 * upstream call (its last attempt: from sending it to the end of the response, which for a
 * stream is the end of the provider's stream), named `{operation} {model}` as the GenAI
 * conventions name them, carrying the model, parameters and token usage. Never a prompt or an answer.
 */
export function recordRequestSpans(tracer: Tracer, ctx: RequestContext, cost: () => RequestCost | null): void {
  const parent = parentContext(ctx.headers);
  const end = wallClock(ctx, ctx.finishedAt);
  const server = tracer.startSpan(`${ctx.method} ${ctx.path}`, { kind: SpanKind.SERVER, startTime: wallClock(ctx, ctx.receivedAt) }, parent);
  // Not sampled: nothing is exported, so nothing more is built.
  if (!server.isRecording()) return;
  server.setAttributes(serverAttributes(ctx, cost()));
  const failure = failureOf(ctx);
  if (failure !== null) markFailed(server, failure);

  if (ctx.target && ctx.upstreamStartedAt > 0) {
    const upstreamStart = wallClock(ctx, ctx.upstreamStartedAt);
    const upstream = tracer.startSpan(`${genAiOperationName(ctx.operation)} ${ctx.target.model}`, { kind: SpanKind.CLIENT, startTime: upstreamStart, attributes: upstreamAttributes(ctx) }, trace.setSpan(parent, server));
    if (ctx.upstreamFirstByteAt >= ctx.upstreamStartedAt) upstream.addEvent('gen_ai.response.first_chunk', wallClock(ctx, ctx.upstreamFirstByteAt));
    if (failure !== null && upstreamFailed(ctx)) markFailed(upstream, failure);
    upstream.end(end);
  }
  server.end(end);
}
