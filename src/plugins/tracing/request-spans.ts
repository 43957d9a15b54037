import { SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Target } from '../../routing/target.ts';
import { modelLabelValue, type ModelLabels } from '../../telemetry/model-labels.ts';
import { boundedModelName } from '../../telemetry/model-standing.ts';
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

/** The client left (or stopped reading) before its answer was complete: 499, the client's doing, not the upstream's. */
function clientLeft(ctx: RequestContext): boolean {
  return ctx.error === null ? ctx.status === 499 : ctx.error.status === 499;
}

/**
 * The upstream call failed, rather than the gateway refusing its answer (an output guardrail) or
 * the client leaving (the server span says that; the call's span is marked tollgate.client_closed).
 */
function upstreamFailed(ctx: RequestContext): boolean {
  const error = ctx.error;
  if (error === null || error.status === 499) return false;
  // No answer to the last attempt, an upstream error, or a stream that broke after its 200.
  return error.upstream || ctx.upstreamFirstByteAt < ctx.upstreamStartedAt || ctx.status < 400;
}

/** The provider's answer to the last attempt came (its headers, or the first event an adapter waits for). */
function answered(ctx: RequestContext): boolean {
  return ctx.upstreamStartedAt > 0 && ctx.upstreamFirstByteAt >= ctx.upstreamStartedAt;
}

/**
 * http.route: the data plane's paths are fixed per endpoint, so the path is the route, but for a
 * model's entry (its id is in the path) and a path the gateway does not serve (the client's own
 * text, which has no route): the span name must stay of low cardinality.
 */
function routeOf(ctx: RequestContext): string | undefined {
  if (ctx.endpoint === 'other') return undefined;
  if (ctx.endpoint === 'models') return ctx.path.startsWith('/v1/models/') ? '/v1/models/{model}' : ctx.path.startsWith('/models/') ? '/models/{model}' : ctx.path;
  return ctx.path;
}

/** The HTTP methods OpenTelemetry's HTTP conventions name as they are; any other is `_OTHER` (its own spelling in `http.request.method_original`). */
const knownMethods = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

/** The method as the conventions record it, and for the span's name `HTTP` for one they do not know. */
function conventionalMethod(method: string): { attribute: string; original?: string; spanName: string } {
  return knownMethods.has(method) ? { attribute: method, spanName: method } : { attribute: '_OTHER', original: method, spanName: 'HTTP' };
}

function serverAttributes(ctx: RequestContext, cost: RequestCost | null): Attributes {
  const method = conventionalMethod(ctx.method);
  const cache = ctx.state.get(cacheStateKey) as { hit?: boolean } | undefined;
  return {
    'http.request.method': method.attribute,
    'http.request.method_original': method.original,
    'http.route': routeOf(ctx),
    'url.path': ctx.path,
    'http.response.status_code': ctx.status,
    // The model list, count_tokens, a preflight... are no GenAI operation.
    'gen_ai.operation.name': ctx.endpoint === undefined ? genAiOperationName(ctx.operation) : undefined,
    // The client's own text: kept (a trace is where one request's detail belongs), its control characters percent-encoded.
    'gen_ai.request.model': ctx.requestedModel === '' ? undefined : modelLabelValue(ctx.requestedModel),
    'gen_ai.request.stream': ctx.stream,
    'tollgate.request_id': ctx.id,
    'tollgate.client_format': ctx.clientFormat,
    'tollgate.route': ctx.route?.name,
    'tollgate.variant': ctx.variant,
    'tollgate.attempts': ctx.attempts,
    'tollgate.provider': ctx.target?.provider.settings.name,
    'tollgate.model': ctx.target ? modelLabelValue(ctx.target.model) : undefined,
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

/** A call's attributes known when it starts: the target it goes to and the request's parameters. */
function attemptAttributes(ctx: RequestContext, target: Target, attempt: number): Attributes {
  const { address, port } = providerAddress(target);
  return {
    'gen_ai.operation.name': genAiOperationName(ctx.operation),
    'gen_ai.provider.name': genAiProviderName(target.provider.settings.type),
    // The name before gen_ai.provider.name, still what many backends read.
    'gen_ai.system': genAiProviderName(target.provider.settings.type),
    'gen_ai.request.model': modelLabelValue(target.model),
    'gen_ai.request.stream': ctx.stream,
    ...requestParameters(ctx),
    'server.address': address,
    'server.port': port,
    'tollgate.provider': target.provider.settings.name,
    'tollgate.attempt': attempt,
  };
}

/** What the last call adds when the request is done: the model that served (when it answered), usage, time to the first chunk. */
function answerAttributes(ctx: RequestContext): Attributes {
  const attributes: Attributes = usageAttributes(ctx);
  if (!answered(ctx)) return attributes;
  // The model that served as the gateway knows it (the target's); a provider's dated version string is not kept.
  attributes['gen_ai.response.model'] = modelLabelValue(ctx.target!.model);
  if (ctx.stream) attributes['gen_ai.response.time_to_first_chunk'] = (ctx.upstreamFirstByteAt - ctx.upstreamStartedAt) / 1000;
  return attributes;
}

/** One upstream attempt's span, with the target it went to (its name is given when the request is done). */
interface AttemptSpan {
  span: Span;
  attempt: number;
  target: Target;
}

/** A request's spans while it runs (ctx.state under the plugin's name): started at the first upstream attempt. */
interface RequestSpans {
  parent: Context;
  server: Span;
  attempts: AttemptSpan[];
}

const stateKey = 'tracing';

function startServerSpan(tracer: Tracer, ctx: RequestContext): RequestSpans {
  const parent = parentContext(ctx.headers);
  const route = routeOf(ctx);
  const method = conventionalMethod(ctx.method).spanName;
  const server = tracer.startSpan(route === undefined ? method : `${method} ${route}`, { kind: SpanKind.SERVER, startTime: wallClock(ctx, ctx.receivedAt) }, parent);
  return { parent, server, attempts: [] };
}

/** W3C `traceparent` (and `tracestate`) naming a span as the parent of what the provider does. */
function traceHeaders(span: Span): Record<string, string> {
  const { traceId, spanId, traceFlags, traceState } = span.spanContext();
  const headers: Record<string, string> = { traceparent: `00-${traceId}-${spanId}-${(traceFlags & 1) === 1 ? '01' : '00'}` };
  const state = traceState?.serialize();
  if (state) headers.tracestate = state;
  return headers;
}

/**
 * Before each upstream attempt (onUpstreamRequest): a client span for the call, started now, and
 * its `traceparent` for the provider (ctx.upstreamHeaders), so a traced upstream (a vLLM or an
 * Ollama behind an instrumented proxy, another gateway) joins the trace under this attempt. The
 * header goes even when the trace is not sampled, with its sampled flag off, as W3C Trace Context asks.
 */
export function beginAttemptSpan(tracer: Tracer, ctx: RequestContext): void {
  let spans = ctx.state.get(stateKey) as RequestSpans | undefined;
  if (spans === undefined) {
    spans = startServerSpan(tracer, ctx);
    ctx.state.set(stateKey, spans);
  }
  const target = ctx.target!;
  // Named `{operation} {model}` when the request is done (attemptSpanName): only then is it known whether the provider answered.
  const span = tracer.startSpan(
    genAiOperationName(ctx.operation),
    { kind: SpanKind.CLIENT, startTime: wallClock(ctx, performance.now()), attributes: spans.server.isRecording() ? attemptAttributes(ctx, target, ctx.attempts) : undefined },
    trace.setSpan(spans.parent, spans.server),
  );
  spans.attempts.push({ span, attempt: ctx.attempts, target });
  ctx.upstreamHeaders = traceHeaders(span);
}

/**
 * An upstream span's name, `{operation} {model}` as the GenAI conventions name it, with the model
 * as /metrics labels it (ModelLabels): a model name is the client's to write (`open/<anything>`),
 * and span names become series in span-metrics pipelines, so they stay as bounded as the labels —
 * a model the configuration names, or one an open provider has answered (at most 100 per
 * provider), else `other`; control characters percent-encoded.
 */
function attemptSpanName(ctx: RequestContext, labels: ModelLabels, { target }: AttemptSpan, succeeded: boolean): string {
  return `${genAiOperationName(ctx.operation)} ${boundedModelName(labels, ctx, target, succeeded)}`;
}

/**
 * The spans of one finished request, with the times the pipeline recorded (log phase: the
 * response is already sent). A server span from arrival to the end of the response, in the
 * caller's trace when it sent a traceparent; and a client span per upstream attempt, named
 * `{operation} {model}` as the GenAI conventions name them: an attempt that failed ends when it
 * failed, with its error code; the last one ends with the response (for a stream, the end of the
 * provider's stream) and carries the model that served and the token usage. Never a prompt or an answer.
 */
export function recordRequestSpans(tracer: Tracer, ctx: RequestContext, cost: () => RequestCost | null, labels: ModelLabels): void {
  const spans = (ctx.state.get(stateKey) as RequestSpans | undefined) ?? startServerSpan(tracer, ctx);
  const { server, attempts } = spans;
  const end = wallClock(ctx, ctx.finishedAt);
  // Not sampled: nothing is exported, so nothing more is built.
  if (!server.isRecording()) return;
  server.setAttributes(serverAttributes(ctx, cost()));
  const failure = failureOf(ctx);
  if (failure !== null) markFailed(server, failure);

  const last = attempts.length - 1;
  attempts.forEach((attemptSpan, index) => {
    const { span, attempt } = attemptSpan;
    const failed = ctx.failedAttempts?.find((record) => record.attempt === attempt);
    if (index < last || (failed !== undefined && ctx.upstreamFirstByteAt < ctx.upstreamStartedAt)) {
      // An attempt that got no answer (the gateway retried, fell back, or gave up).
      span.updateName(attemptSpanName(ctx, labels, attemptSpan, false));
      markFailed(span, failed?.code ?? 'unknown');
      span.end(failed === undefined ? end : wallClock(ctx, failed.endedAt));
      return;
    }
    span.updateName(attemptSpanName(ctx, labels, attemptSpan, ctx.status < 400 && ctx.error === null));
    span.setAttributes(answerAttributes(ctx));
    // A stream's first chunk (the time is answerAttributes'); a whole answer has none.
    if (ctx.stream && answered(ctx)) span.addEvent('gen_ai.response.first_chunk', wallClock(ctx, ctx.upstreamFirstByteAt));
    if (failure !== null && upstreamFailed(ctx)) markFailed(span, failure);
    // The client left: not the upstream's failure (the span stays unset), but worth finding.
    else if (clientLeft(ctx)) span.setAttribute('tollgate.client_closed', true);
    span.end(end);
  });
  server.end(end);
}
