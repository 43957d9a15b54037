import type { ServerResponse } from 'node:http';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { Provider } from '../providers/provider.ts';
import type { CompiledRoute, RoutePlan, Router } from '../routing/router.ts';
import { writeClientError, writeJson } from '../server/write-response.ts';
import { adviseRetry } from './advise-retry.ts';
import { callProvider } from './call-provider.ts';
import type { CompiledPipeline } from './compile-pipeline.ts';
import type { Caller, RequestContext } from './context.ts';
import type { EarlyReply, Plugin } from './plugin.ts';
import { deliverReply, encodeClientResponse } from './deliver-reply.ts';
import { moveUpstreamRateLimits } from './reply-headers.ts';

/** What the pipeline needs from the running configuration. */
export interface PipelineRuntime {
  router: Router;
  pipelineFor(route: CompiledRoute | null): CompiledPipeline;
  /** Some consumer or team has plugins of its own (`consumers:`, `teams:`). */
  readonly hasCallerPlugins?: boolean;
  /** The route's pipeline with the authenticated caller's team and consumer plugins layered on. */
  pipelineForCaller?(route: CompiledRoute | null, caller: Caller): CompiledPipeline;
  /** True when the provider has no configured credential and needs one. */
  requiresKey(provider: Provider): boolean;
  /** A provider credential stored through the Admin API, which overrides the configured one. */
  storedCredential?(providerName: string): string | undefined;
}

// What Node accepts in a header value without throwing, less Latin-1's upper half (which a client reads as UTF-8 mojibake).
const plainHeaderValue = /^[\t\x20-\x7e]*$/;

/**
 * A name (a client's model, a configured route or provider) as a header value: as it is when it is
 * printable ASCII, else percent-encoded (`up/%E6%A8%A1%E5%9E%8B`). Node throws on a control
 * character or one above U+00FF in a header, which would fail a request the provider has answered.
 */
function headerValue(name: string): string {
  return plainHeaderValue.test(name) ? name : encodeURIComponent(name);
}

function responseHeaders(ctx: RequestContext): Record<string, string> {
  const headers: Record<string, string> = { ...ctx.responseHeaders, 'x-request-id': ctx.id };
  // Anthropic's SDKs read `request-id` (a message's `_request_id`): the gateway's id where no Anthropic provider's own comes along (replyHeaders keeps that one).
  if (ctx.clientFormat === 'anthropic' && headers['request-id'] === undefined) headers['request-id'] = ctx.id;
  // Only when a provider was called: a request the gateway refused itself before any call (strict_params, an adapter's conversion error) has none of them.
  const called = ctx.calledTarget ?? ctx.target;
  if (called && ctx.attempts > 0) {
    headers['x-tollgate-provider'] = headerValue(called.provider.settings.name);
    headers['x-tollgate-model'] = headerValue(called.model);
    headers['x-tollgate-attempts'] = String(ctx.attempts);
  }
  if (ctx.route) headers['x-tollgate-route'] = headerValue(ctx.route.name);
  if (ctx.variant !== undefined) headers['x-tollgate-variant'] = headerValue(ctx.variant);
  return headers;
}

function toGatewayError(ctx: RequestContext, error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  ctx.logger.error({ err: error, requestId: ctx.id }, 'unexpected failure while handling a request');
  return errors.internal();
}

/** The outcome of a call whose client left before its answer was whole, when nothing on the way recorded one. */
function clientClosedRequest(): GatewayError {
  return new GatewayError({ status: 499, type: 'api_error', code: 'client_closed_request', message: 'The client closed the connection before its answer was complete.' });
}

/**
 * An aborted request's outcome: a client that left is 499 client_closed_request, also when the
 * stream it cut recorded that as its error, and also when nothing did. A stream with a chunk in
 * hand as the client leaves (it came in the same turn as the close) finds the connection gone on
 * writing it and ends quietly, the upstream read that the abort fails being nobody's to hear then:
 * without this, about one abort in sixteen of a translated stream was a 499 without its code. One
 * the gateway ended itself (a stop past its drain timeout: the abort's reason is the GatewayError)
 * has that error, and its status unless a stream had already sent 200.
 */
function endAborted(ctx: RequestContext, response: ServerResponse): void {
  const reason: unknown = ctx.signal.reason;
  if (!(reason instanceof GatewayError)) {
    ctx.status = 499;
    ctx.error ??= clientClosedRequest();
    return;
  }
  ctx.error = reason;
  if (!response.headersSent || ctx.status === 499 || ctx.status === 0) ctx.status = reason.status;
}

function runLogPhase(ctx: RequestContext, pipeline: CompiledPipeline): void {
  if (ctx.inFlightTarget) ctx.inFlightTarget.inFlight--;
  ctx.finishedAt = performance.now();
  if (!pipeline.onLog) return;
  for (const plugin of pipeline.onLog) {
    try {
      plugin.onLog!(ctx);
    } catch (error) {
      ctx.logger.error({ err: error, plugin: plugin.name }, 'a log-phase plugin failed');
    }
  }
}

/**
 * The data plane's phases for one model request: route, access plugins, upstream call with
 * failover, response plugins and serialization, then the log phase once the response is done.
 */
/** Plugins in the authentication range (3000-3999) run before anything else that may refuse. */
const authenticationPriority = 3000;

/** Runs only a pipeline's authentication plugins (for answers that need no provider). */
async function authenticate(ctx: RequestContext, pipeline: CompiledPipeline): Promise<void> {
  for (const plugin of pipeline.onRequest ?? []) {
    if (plugin.priority >= authenticationPriority) await plugin.onRequest!(ctx);
  }
}

/**
 * A request no model or route fits: the default pipeline's authentication plugins still run
 * first, so an unauthenticated caller gets 401, not a hint of which models exist. (Routing itself
 * is synchronous and, when it finds a plan, costs no promise.)
 */
async function refuseUnrouted(ctx: RequestContext, runtime: PipelineRuntime, routingError: unknown): Promise<never> {
  await authenticate(ctx, runtime.pipelineFor(null));
  throw routingError;
}

/** Runs the access phase's hooks from `from` on; the first early answer (a cache hit) ends it. */
async function runAccessPhase(ctx: RequestContext, hooks: Plugin[] | null, from: number): Promise<EarlyReply | undefined> {
  if (hooks === null) return undefined;
  for (let index = from; index < hooks.length; index++) {
    // Awaited only when it is a promise: most hooks answer synchronously.
    const answer = hooks[index].onRequest!(ctx);
    const early = answer instanceof Promise ? await answer : answer;
    if (early) return early;
  }
  return undefined;
}

/**
 * The access phase when consumers or teams have plugins of their own: the route's authentication
 * plugins run first; then, the caller known, its pipeline (pipelineForCaller) takes over for the
 * rest of the request (`switchTo`): its access hooks below the authentication range, the upstream
 * call, the response and the log phase.
 */
async function runCallerAccessPhase(ctx: RequestContext, runtime: PipelineRuntime, route: CompiledRoute | null, pipeline: CompiledPipeline, switchTo: (own: CompiledPipeline) => void): Promise<EarlyReply | undefined> {
  const hooks = pipeline.onRequest ?? [];
  let index = 0;
  while (index < hooks.length && hooks[index].priority >= authenticationPriority) {
    const answer = hooks[index].onRequest!(ctx);
    const early = answer instanceof Promise ? await answer : answer;
    if (early) return early;
    index++;
  }
  const own = runtime.pipelineForCaller!(route, ctx.caller);
  if (own === pipeline) return runAccessPhase(ctx, hooks, index);
  switchTo(own);
  // The caller's own plugins may change its answers (response guardrails): a shared cache keys on them.
  if (own.callerLayers !== undefined) (ctx.answerVariesBy ??= []).push(`plugins\u0000${own.callerLayers}`);
  const ownHooks = own.onRequest ?? [];
  let from = 0;
  while (from < ownHooks.length && ownHooks[from].priority >= authenticationPriority) from++;
  return runAccessPhase(ctx, ownHooks, from);
}

/** Writes a provider's reply to the client: deliverReply for chat's operations, deliverForwardedReply for forwarded ones. */
export type DeliverReply = typeof deliverReply;

export async function handleModelRequest(ctx: RequestContext, runtime: PipelineRuntime, response: ServerResponse, deliver: DeliverReply = deliverReply): Promise<void> {
  // Until a route is known, the default pipeline logs the request (a 404 is logged too).
  let pipeline: CompiledPipeline = runtime.pipelineFor(null);
  try {
    let plan: RoutePlan;
    try {
      plan = runtime.router.plan(ctx.requestedModel, ctx.path, ctx.headers);
    } catch (routingError) {
      return await refuseUnrouted(ctx, runtime, routingError);
    }
    ctx.route = plan.route;
    ctx.routePlan = plan;
    pipeline = runtime.pipelineFor(plan.route);
    let early: EarlyReply | void | undefined;
    if (runtime.hasCallerPlugins === true) {
      early = await runCallerAccessPhase(ctx, runtime, plan.route, pipeline, (own) => (pipeline = own));
    } else if (pipeline.onRequest) {
      // Inline rather than runAccessPhase: no promise at all when every hook answers synchronously.
      for (const plugin of pipeline.onRequest) {
        const answer = plugin.onRequest!(ctx);
        early = answer instanceof Promise ? await answer : answer;
        if (early) break;
      }
    }
    if (early) {
      ctx.status = early.status;
      // Early answers (cache hits) are canonical responses: written in the client's format.
      const body = encodeClientResponse(ctx, early.body);
      ctx.bytesOut = writeJson(response, early.status, body, { ...early.headers, ...responseHeaders(ctx) });
      return;
    }
    const reply = await callProvider(ctx, plan, pipeline, runtime.requiresKey, runtime.storedCredential);
    await deliver(ctx, reply, pipeline, response, responseHeaders(ctx));
  } catch (error) {
    const gatewayError = toGatewayError(ctx, error);
    ctx.error = gatewayError;
    ctx.status = gatewayError.status;
    if (!response.headersSent && !response.destroyed) {
      const gatewayHeaders = responseHeaders(ctx);
      if (gatewayError.upstream) moveUpstreamRateLimits(gatewayError.headers, gatewayHeaders);
      ctx.bytesOut = writeClientError(response, ctx.clientFormat, gatewayError, gatewayHeaders, adviseRetry(gatewayError, ctx.attempts, ctx.target?.provider.settings.type));
      // The status the client got, for the log phase: an Anthropic client gets Anthropic's own (529, not the 503 retries read).
      ctx.status = response.statusCode;
    } else if (!response.destroyed) response.end();
  } finally {
    if (ctx.signal.aborted && (!ctx.error || ctx.error.status === 499)) endAborted(ctx, response);
    runLogPhase(ctx, pipeline);
  }
}

/**
 * A request the gateway answers outside the model pipeline (the model list, Anthropic's
 * count_tokens): the authentication plugins run first, as for a model request, then (with
 * `route`) the model must be routable and `answer` gets its plan (count_tokens may ask the
 * provider it goes to). No limits are counted; the route's log phase runs once the answer is
 * written (an access line, metrics, a span; the usage ledger records no ctx.endpoint answer).
 */
export async function handleLocalAnswer(ctx: RequestContext, runtime: PipelineRuntime, response: ServerResponse, answer: (plan: RoutePlan | null) => unknown, options: { route?: boolean } = {}): Promise<void> {
  let route: CompiledRoute | null = null;
  try {
    // The route the request matches authenticates it: key-auth on a route (`path: /v1/*`, a model
    // pattern) guards the model list, a model's entry and count_tokens as it guards the calls.
    route = runtime.router.matchRoute(ctx.requestedModel, ctx.path, ctx.headers);
    await authenticate(ctx, runtime.pipelineFor(route));
    const plan = options.route ? runtime.router.planFor(route, ctx.requestedModel) : null;
    const pending = answer(plan);
    // Awaited only when it is a promise: the model list answers at once.
    const body = pending instanceof Promise ? await pending : pending;
    ctx.status = 200;
    ctx.bytesOut = writeJson(response, 200, body, responseHeaders(ctx));
  } catch (error) {
    const gatewayError = toGatewayError(ctx, error);
    ctx.error = gatewayError;
    ctx.status = gatewayError.status;
    if (!response.headersSent && !response.destroyed) {
      ctx.bytesOut = writeClientError(response, ctx.clientFormat, gatewayError, responseHeaders(ctx));
      ctx.status = response.statusCode;
    }
  } finally {
    runLogPhase(ctx, runtime.pipelineFor(route));
  }
}

/**
 * The log phase of a request the data plane answered itself before any pipeline ran (a body it
 * could not read or parse, a wrong method, an unknown path, a preflight, a draining node): the
 * default pipeline's log-phase plugins see it as they see a request no route fits, so it has its
 * access line, its count in /metrics and its span, and a model endpoint's refusal its usage record.
 * Called only on those paths, after the answer is written; `ctx.status` and `ctx.error` say what it was.
 */
export function logAnswer(ctx: RequestContext, runtime: PipelineRuntime): void {
  runLogPhase(ctx, runtime.pipelineFor(null));
}
