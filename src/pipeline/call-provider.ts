import { setTimeout as sleep } from 'node:timers/promises';
import type { CanonicalRequest } from '../canonical/operation.ts';
import { joinTextBlocks } from '../canonical/anthropic-text-blocks.ts';
import { errors } from '../errors/catalogue.ts';
import { narrowAllowedTools } from '../providers/narrow-allowed-tools.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { Provider, ProviderReply } from '../providers/provider.ts';
import { isContextLengthExceeded, shouldFallBack } from '../routing/fallback-policy.ts';
import { retryPolicyFor } from '../routing/route-compiler.ts';
import { backoffDelayMs, healthVerdict, isRetryable, retryAfterMs, type RetryPolicy } from '../routing/retry-policy.ts';
import type { RoutePlan, RoutingDecision } from '../routing/router.ts';
import { routingErrors } from '../errors/routing-errors.ts';
import { earliestAvailable, lastResortRetryTargets, lastResortTargets, noTargetError, usableTargets, type TargetAcceptor } from '../routing/selection.ts';
import type { SelectionInput } from '../routing/strategies.ts';
import type { ModelGroup, RoutedTarget } from '../routing/target.ts';
import { watchDispatch, type DispatchWatch } from '../upstream/dispatch-watch.ts';
import { mapUpstreamError } from '../upstream/upstream-client.ts';
import { keepAbandonedAttemptUsage, keepFailedAttemptUsage, ReportedUsage } from './attempt-usage.ts';
import type { CompiledPipeline } from './compile-pipeline.ts';
import type { RequestContext } from './context.ts';
import { checkDroppedParameters } from './check-parameters.ts';
import { checkThread } from './check-thread.ts';
import { allowsClientKey, clientProviderKey } from './client-provider-key.ts';
import { decideRoute } from './route-decision.ts';
import { customToolCallRefusal, legacyFunctionsRefusal } from '../providers/openai-only-request-parts.ts';
import { isNativeRefusal, nativeRefusalFor, sendToProvider, servesRequest } from './native-responses.ts';
import { checkNativeResponsesPlugins } from './native-responses-plugins.ts';

/**
 * The client's key is bound to the provider of the first attempt that sent it (ctx.clientKeyBinding):
 * a retry or fallback may send it again only to a provider of the same type and base URL (the same
 * service under another name), never to another one, which gets its own credential instead.
 */
function bindingAllows(ctx: RequestContext, provider: Provider): boolean {
  const binding = ctx.clientKeyBinding;
  return binding === undefined || (binding.type === provider.settings.type && binding.baseUrl === provider.settings.baseUrl);
}

/** The client's key for a call to `provider`, when BYOK allows it there and it has not gone to another provider; else undefined. */
function clientKeyFor(ctx: RequestContext, provider: Provider): string | undefined {
  if (!allowsClientKey(ctx, provider) || !bindingAllows(ctx, provider)) return undefined;
  return clientProviderKey(ctx);
}

/** A credential set through the Admin API (stored encrypted); it overrides the config's and the environment's. */
export type StoredCredentialLookup = (providerName: string) => string | undefined;

/** The credential a call to `provider` uses: the client's own under BYOK (binding it to that provider), else the stored one, else the configured one (missing_provider_key when required and absent). */
export function credentialFor(ctx: RequestContext, provider: Provider, requiresKey: (provider: Provider) => boolean, stored: StoredCredentialLookup | undefined): string | undefined {
  const own = clientKeyFor(ctx, provider);
  if (own !== undefined) {
    ctx.clientKeyBinding ??= { provider: provider.settings.name, type: provider.settings.type, baseUrl: provider.settings.baseUrl };
    return own;
  }
  const configured = stored?.(provider.settings.name) ?? provider.settings.apiKey;
  if (configured === undefined && requiresKey(provider)) throw missingCredential(ctx, provider);
  return configured;
}

/** missing_provider_key; when the client's key exists but went to another provider first, the message says so. */
function missingCredential(ctx: RequestContext, provider: Provider): GatewayError {
  const error = errors.missingProviderCredential(provider.settings.name);
  const binding = ctx.clientKeyBinding;
  if (binding !== undefined && allowsClientKey(ctx, provider) && clientProviderKey(ctx) !== undefined) {
    error.message = `No API key is configured for provider '${provider.settings.name}', and the client's own key is sent only to the provider it was first used with ('${binding.provider}', or one of the same type and base URL).`;
  }
  return error;
}

/**
 * The request deadline across attempts (routing.deadline / routes[].deadline): it bounds the
 * time until a response starts. Each attempt gets a signal that also fires at the deadline;
 * once a reply is returned the timer is cleared, so a long stream is bounded only by the
 * per-attempt timeouts.
 */
class RequestDeadline {
  readonly at: number;
  readonly ms: number;
  #timer: NodeJS.Timeout | undefined;
  #controller: AbortController | null = null;

  constructor(receivedAt: number, ms: number) {
    this.at = receivedAt + ms;
    this.ms = ms;
  }

  signalFor(clientSignal: AbortSignal): AbortSignal {
    const controller = new AbortController();
    this.#controller = controller;
    this.#timer = setTimeout(() => controller.abort(), Math.max(0, this.at - performance.now()));
    return AbortSignal.any([clientSignal, controller.signal]);
  }

  clear(): void {
    clearTimeout(this.#timer);
  }

  get fired(): boolean {
    return this.#controller?.signal.aborted === true;
  }
}

interface Attempts {
  ctx: RequestContext;
  decision: RoutingDecision;
  pipeline: CompiledPipeline;
  requiresKey: (provider: Provider) => boolean;
  storedCredential: StoredCredentialLookup | undefined;
  accept: TargetAcceptor;
  deadline: RequestDeadline | null;
  input: SelectionInput;
}

type GroupOutcome = { reply: ProviderReply } | { error: GatewayError; retryable: boolean; target: RoutedTarget | null };

/**
 * The gateway's own refusal of the request for a target, before anything went to its provider: a
 * parameter refused under strict_params, a thread or credential it cannot have, an adapter's
 * conversion error (an image in a system message for Gemini). No upstream attempt: not counted in
 * ctx.attempts (x-tollgate-attempts), no failed attempt (ctx.failedAttempts: no upstream time in
 * the metrics), the target's health untouched. Retries and fallbacks treat its error as before
 * (it is no upstream failure: not retried; a fallback only on what moves on from any group).
 */
class Refusal {
  readonly error: GatewayError;
  constructor(error: GatewayError) {
    this.error = error;
  }
}

/** Whether `error` is the gateway's own refusal: no request of the attempt went out, and it is no failure talking to a provider (a credential fetch's: Vertex's token). */
function refusedBeforeCall(error: GatewayError, dispatch: DispatchWatch): boolean {
  return !dispatch.dispatched && !error.upstream;
}

/** One upstream attempt: the reply, the GatewayError it failed with (health already updated), or the gateway's Refusal before any call. */
async function attempt(run: Attempts, target: RoutedTarget): Promise<ProviderReply | GatewayError | Refusal> {
  const { ctx, pipeline, deadline } = run;
  const provider = target.provider;
  // Put back should this turn out to be a refusal, which calls no provider.
  const calledBefore = ctx.calledTarget;
  const startedBefore = ctx.upstreamStartedAt;
  ctx.target = target;
  ctx.calledTarget = target;
  // Counted now, taken back for a refusal: the hooks before the call (tracing's span) number the attempt by it.
  ctx.attempts++;
  const isProbe = target.health.beginAttempt(performance.now());
  let sentAt = 0;
  // The credential the call went with (the gateway's, or the client's under BYOK); none for a keyless provider.
  let apiKey: string | undefined;
  // What the provider reports before the stream starts: billed even if the attempt is cut then.
  const reported = ctx.stream ? new ReportedUsage() : null;
  const dispatch: DispatchWatch = { dispatched: false };
  target.inFlight++;
  try {
    checkDroppedParameters(ctx, provider);
    checkThread(ctx, provider);
    apiKey = credentialFor(ctx, provider, run.requiresKey, run.storedCredential);
    if (pipeline.onUpstreamRequest) for (const plugin of pipeline.onUpstreamRequest) await plugin.onUpstreamRequest!(ctx);
    const rawModelUnchanged = !ctx.bodyChanged && target.model === ctx.requestedModel;
    const routed = (rawModelUnchanged ? ctx.body : { ...ctx.body, model: target.model }) as CanonicalRequest;
    const narrowed = provider.nativeFormat === 'openai' ? routed : narrowAllowedTools(ctx.operation, routed);
    // An Anthropic client's text blocks, separate parts for the guardrails, as one text to a provider of another format.
    const request = ctx.clientFormat === 'anthropic' && provider.nativeFormat !== 'anthropic' ? joinTextBlocks(ctx.operation, narrowed) : narrowed;
    if (provider.nativeFormat !== 'openai') {
      const refusal = customToolCallRefusal(ctx.operation, request, provider.settings.name) ?? legacyFunctionsRefusal(ctx.operation, request, provider.settings.name);
      if (refusal !== null) throw refusal;
    }
    sentAt = performance.now();
    ctx.upstreamStartedAt = sentAt;
    // A Responses request served natively goes to the provider's Responses API as the client's bytes (native-responses.ts).
    const reply = await watchDispatch(dispatch, () => sendToProvider(ctx, provider, {
      operation: ctx.operation,
      model: target.model,
      request,
      // The client's bytes only ever go to a provider that speaks the client's format.
      rawBody: ctx.bodyChanged || provider.nativeFormat !== ctx.clientFormat ? null : ctx.rawBody,
      rawModelUnchanged,
      stream: ctx.stream,
      apiKey,
      signal: deadline === null ? ctx.signal : deadline.signalFor(ctx.signal),
      requestId: ctx.id,
      clientFormat: ctx.clientFormat,
      clientHeaders: ctx.headers,
      upstreamHeaders: ctx.upstreamHeaders,
      onReportedUsage: reported?.listener,
    }));
    deadline?.clear();
    ctx.upstreamCredential = apiKey;
    ctx.upstreamFirstByteAt = performance.now();
    target.health.recordSuccess(ctx.upstreamFirstByteAt, isProbe, ctx.upstreamFirstByteAt - ctx.upstreamStartedAt, sentAt);
    ctx.inFlightTarget = target;
    return reply;
  } catch (error) {
    deadline?.clear();
    target.inFlight--;
    if (!(error instanceof GatewayError) || ctx.signal.aborted) {
      target.health.abandon(isProbe);
      if (ctx.signal.aborted) keepAbandonedAttemptUsage(ctx, reported);
      throw error;
    }
    if (deadline?.fired) {
      target.health.abandon(isProbe);
      const exceeded = routingErrors.deadlineExceeded(deadline.ms);
      keepFailedAttemptUsage(ctx, target, reported, exceeded);
      return exceeded;
    }
    if (refusedBeforeCall(error, dispatch)) {
      target.health.abandon(isProbe);
      ctx.attempts--;
      ctx.calledTarget = calledBefore;
      ctx.upstreamStartedAt = startedBefore;
      return new Refusal(error);
    }
    const now = performance.now();
    (ctx.failedAttempts ??= []).push({ attempt: ctx.attempts, startedAt: sentAt, endedAt: now, code: error.code, status: error.status, provider: provider.settings.name, answeredAt: reported?.last ? reported.firstAt : undefined });
    keepFailedAttemptUsage(ctx, target, reported, error);
    const elapsed = sentAt > 0 ? now - sentAt : null;
    switch (healthVerdict(error, provider.settings.type)) {
      case 'failure':
        target.health.recordFailure(now, isProbe, elapsed);
        break;
      case 'rate-limited':
        target.health.recordRateLimit(now, isProbe, retryAfterMs(error));
        break;
      case 'alive':
        target.health.recordSuccess(now, isProbe, null, sentAt > 0 ? sentAt : undefined);
        break;
      case 'none':
        target.health.abandon(isProbe);
    }
    // The message says whose credential was refused only when the gateway sent one of its own: a
    // configured key, or (no key) the credential the provider signs with (Provider.holdsCredential).
    const gatewayCredential = apiKey === undefined ? provider.holdsCredential === true : !usedClientKey(ctx, provider);
    return gatewayCredential ? asGatewayCredentialRefused(error, provider) : error;
  }
}

/** Whether a call to `provider` went with the client's own key (BYOK) rather than the gateway's credential. */
function usedClientKey(ctx: RequestContext, provider: Provider): boolean {
  return clientKeyFor(ctx, provider) !== undefined;
}

/**
 * A provider's 401 to the credential the gateway holds for it: the same status and code, with a
 * message that says whose credential it was. An SDK raises the same AuthenticationError as for a
 * bad gateway key, and the provider's own message ("Incorrect API key provided") would send the
 * application's developer looking at their key, when it is the operator's to fix.
 */
function asGatewayCredentialRefused(error: GatewayError, provider: Provider): GatewayError {
  if (!error.upstream || error.status !== 401) return error;
  // The message only, on this attempt's own error: an Anthropic client served by Anthropic still
  // gets Anthropic's body as it came (AnthropicUpstreamError), as every other passthrough error.
  error.message = `Provider '${provider.settings.name}' refused the credential the gateway holds for it (not the key this request sent): ${error.message}`;
  return error;
}

/**
 * How long to wait before the next retry in a group, or why there is none ('give-up': the last
 * error goes back; 'unavailable': every target the group may retry has an open circuit). No wait
 * when an untried target is usable; full-jitter backoff before trying a target again; when nothing
 * is usable, until the soonest rate-limit cooldown (Retry-After) ends, if that is soon enough.
 * Else the circuits are open: they decide which targets requests pick, but when no fallback could
 * take over (`lastResort`, as before the first attempt) the request keeps its own attempts on
 * those targets (first the untried, then with backoff); otherwise the group is unavailable.
 */
function retryDelay(run: Attempts, group: ModelGroup, policy: RetryPolicy, tried: readonly RoutedTarget[], retryNumber: number, now: number, lastResort: boolean): number | 'give-up' | 'unavailable' {
  const route = run.decision.route;
  const usable = usableTargets(group, route, run.accept, now);
  let wait = 0;
  if (usable.length === 0) {
    const soonest = policy.attempts === null ? Infinity : earliestAvailable(group, route, run.accept, now);
    if (soonest - now <= policy.retryAfterMaxMs) {
      // Timers may fire a little early against performance.now(): wake just after the cooldown.
      wait = Math.max(Math.ceil(soonest - now) + 2, backoffDelayMs(policy, retryNumber));
    } else {
      const broken = lastResortRetryTargets(group, route, run.accept, now);
      if (broken.length === 0) return 'give-up';
      const untried = broken.some((target) => !tried.includes(target));
      if (!untried && policy.attempts === null) return 'give-up';
      if (!lastResort) return 'unavailable';
      if (!untried) wait = backoffDelayMs(policy, retryNumber);
    }
  } else if (usable.every((target) => tried.includes(target))) {
    if (policy.attempts === null) return 'give-up';
    wait = backoffDelayMs(policy, retryNumber);
  }
  if (run.deadline !== null && now + wait >= run.deadline.at) return 'give-up';
  return wait;
}

/** Whether the pipeline can send this request to a target: operation supported, a credential at hand (the client's only while bound to no other provider). */
function acceptor(ctx: RequestContext, requiresKey: (provider: Provider) => boolean): TargetAcceptor {
  return (target) => target.provider.operations.has(ctx.operation) && servesRequest(ctx, target.provider) && !(requiresKey(target.provider) && clientKeyFor(ctx, target.provider) === undefined);
}

/** Why the pipeline refuses a target (null when it accepts it); built only when a group has no target left. */
function refusal(ctx: RequestContext, accept: TargetAcceptor): (target: RoutedTarget) => GatewayError | null {
  return (target) => {
    if (accept(target)) return null;
    const provider = target.provider;
    if (!provider.operations.has(ctx.operation)) return errors.operationNotSupported(provider.settings.name, ctx.operation);
    const native = nativeRefusalFor(ctx, provider);
    if (native !== null) return native;
    return missingCredential(ctx, provider);
  };
}

/**
 * The gateway refused the request for `target` before calling it: the client's error (its 4xx)
 * at info, as the access log records a refused request; a 5xx (a provider's configuration that
 * lacks what every call needs) at warn, for the operator to fix. No attempt number: none was made.
 */
function logRefusal(ctx: RequestContext, group: ModelGroup, target: RoutedTarget, error: GatewayError): void {
  const fields = { requestId: ctx.id, group: group.name, provider: target.provider.settings.name, model: target.model, status: error.status, code: error.code };
  if (error.status >= 500) ctx.logger.warn(fields, 'request refused before calling the provider');
  else ctx.logger.info(fields, 'request refused before calling the provider');
}

/**
 * Attempts within one group: the strategy's pick, then retries (other targets first). When health
 * rules out every target, before the first attempt or between retries, `lastResort` says to try
 * them anyway (no fallback could take over), within `attempts`; otherwise the group answers
 * no_healthy_target.
 */
async function tryGroup(run: Attempts, group: ModelGroup, explain: (target: RoutedTarget) => GatewayError | null, lastResort: boolean): Promise<GroupOutcome> {
  const { ctx, decision } = run;
  const policy = retryPolicyFor(decision.route, group);
  const tried: RoutedTarget[] = [];
  let lastError: GatewayError | null = null;
  let lastTarget: RoutedTarget | null = null;
  let retries = 0;
  for (;;) {
    if (lastError !== null) {
      const retryable = isRetryable(policy, lastError, lastTarget?.provider.settings.type);
      if (!retryable || retries >= (policy.attempts ?? group.targets.length - 1)) return { error: lastError, retryable, target: lastTarget };
      const now = performance.now();
      const wait = retryDelay(run, group, policy, tried, retries + 1, now, lastResort);
      if (wait === 'give-up') return { error: lastError, retryable, target: lastTarget };
      // The request stops because of the gateway's circuits, not its retry policy: 503 with the
      // remaining cooldown as Retry-After (the client may come back), or the fallback (`unavailable`).
      if (wait === 'unavailable') return { error: noTargetError(group, decision.route, explain, now), retryable, target: lastTarget };
      if (!group.budget.tryRetry(now)) {
        ctx.logger.warn({ requestId: ctx.id, group: group.name }, 'retry budget of the group is spent; not retrying');
        return { error: lastError, retryable, target: lastTarget };
      }
      retries++;
      if (wait > 0) {
        try {
          await sleep(wait, undefined, { signal: ctx.signal });
        } catch (error) {
          throw mapUpstreamError(error, lastTarget?.provider.settings.name ?? 'upstream', ctx.signal);
        }
      }
    }
    const now = performance.now();
    if (run.deadline !== null && now >= run.deadline.at) return { error: routingErrors.deadlineExceeded(run.deadline.ms), retryable: false, target: lastTarget };
    let usable = usableTargets(group, decision.route, run.accept, now);
    if (usable.length === 0) {
      if (lastResort) usable = lastError === null ? lastResortTargets(group, decision.route, run.accept) : lastResortRetryTargets(group, decision.route, run.accept, now);
      if (usable.length === 0 && lastError !== null) return { error: lastError, retryable: true, target: lastTarget };
      if (usable.length === 0) return { error: noTargetError(group, decision.route, explain, now), retryable: false, target: null };
    }
    run.input.now = now;
    const ordered = group.order(usable, run.input);
    const target = ordered.find((candidate) => !tried.includes(candidate)) ?? ordered[0];
    if (lastError === null) group.budget.recordFirstAttempt(now);
    const result = await attempt(run, target);
    if (result instanceof Refusal) {
      logRefusal(ctx, group, target, result.error);
      lastError = result.error;
    } else if (result instanceof GatewayError) {
      if (result.code === 'deadline_exceeded') return { error: result, retryable: false, target };
      ctx.logger.warn({ requestId: ctx.id, group: group.name, provider: target.provider.settings.name, model: target.model, status: result.status, code: result.code, attempt: ctx.attempts }, 'upstream attempt failed');
      lastError = result;
    } else return { reply: result };
    lastTarget = target;
    if (!tried.includes(target)) tried.push(target);
  }
}

/**
 * Finds a provider reply for the request. The router finishes its decision (caller-metadata
 * routes, content rules, canary split), unless the cache's lookup already did (decideRoute); then each group in turn (primary, then the route's
 * fallbacks when the failure is one `fallback_on` names) gets its strategy's pick and retries
 * with backoff under the group's retry budget. Nothing has reached the client yet: this
 * returns before any byte is written, so there is never a retry after the first byte.
 */
export async function callProvider(ctx: RequestContext, plan: RoutePlan, pipeline: CompiledPipeline, requiresKey: (provider: Provider) => boolean, storedCredential?: StoredCredentialLookup): Promise<ProviderReply> {
  checkNativeResponsesPlugins(ctx, pipeline);
  const decision = decideRoute(ctx, plan);
  const accept = acceptor(ctx, requiresKey);
  const explain = refusal(ctx, accept);
  const run: Attempts = {
    ctx,
    decision,
    pipeline,
    requiresKey,
    storedCredential,
    accept,
    deadline: decision.deadlineMs === null ? null : new RequestDeadline(ctx.receivedAt, decision.deadlineMs),
    input: { request: ctx, facts: decision.facts, now: 0 },
  };
  let failure: Extract<GroupOutcome, { error: GatewayError }> | null = null;
  const groups = decision.groups;
  for (let position = 0; position < groups.length; position++) {
    const group = groups[position];
    if (failure !== null) {
      // A group with no target for a natively served Responses request moves on, as for an unsupported operation.
      if (!shouldFallBack(decision.fallbackOn, failure.error, failure.retryable) && !isNativeRefusal(ctx, failure.error)) break;
      // A prompt too long for one model goes only to groups known to have a larger window.
      const failedWindow = failure.target?.price.contextWindow;
      if (isContextLengthExceeded(failure.error) && failedWindow !== undefined && group.largestContextWindow !== null && group.largestContextWindow <= failedWindow) continue;
      ctx.logger.warn({ requestId: ctx.id, group: group.name, after: failure.error.code }, 'falling back to the next model group');
    }
    const fallbackMayTakeOver = position < groups.length - 1 && decision.fallbackOn.has('unavailable');
    const outcome = await tryGroup(run, group, explain, !decision.failFast && !fallbackMayTakeOver);
    if ('reply' in outcome) return outcome.reply;
    failure = outcome;
  }
  throw failure?.error ?? errors.internal();
}
