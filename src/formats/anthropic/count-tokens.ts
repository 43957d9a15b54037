import type { ChatRequest } from '../../canonical/chat.ts';
import { credentialFor } from '../../pipeline/call-provider.ts';
import type { CompiledPipeline } from '../../pipeline/compile-pipeline.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { PipelineRuntime } from '../../pipeline/handle-request.ts';
import { countsTokens } from '../../providers/anthropic/count-anthropic-tokens.ts';
import type { RoutePlan } from '../../routing/router.ts';
import type { RoutedTarget } from '../../routing/target.ts';
import { estimatePromptTokens } from '../../usage/estimate-request-tokens.ts';

/** Plugins from this priority up to the admission range transform or guard the prompt (src/pipeline/plugin.ts). */
const guardrailPriorities = { from: 1000, below: 2000 };

/**
 * Runs the route's guardrails and transformations (pii, prompt-guard, content rules, templates)
 * on the request, as a model request would: a prompt they refuse is refused here too, and one
 * they change is not the client's bytes any more. Limits, the cache and logging do not run.
 * Returns whether the client's bytes may go to the provider as they are.
 */
async function passGuardrails(ctx: RequestContext, pipeline: CompiledPipeline): Promise<boolean> {
  for (const plugin of pipeline.onRequest ?? []) {
    if (plugin.priority < guardrailPriorities.from || plugin.priority >= guardrailPriorities.below) continue;
    const pending = plugin.onRequest!(ctx);
    if (pending instanceof Promise) await pending;
  }
  // A plugin that rewrites each upstream request could change what is counted: only the estimate is safe then.
  return !ctx.bodyChanged && (pipeline.onUpstreamRequest === null || pipeline.onUpstreamRequest.every((plugin) => plugin.upstreamRequestHeadersOnly === true));
}

/** The target the request would go to first: the primary group's pick, as its strategy makes it. */
function firstTarget(ctx: RequestContext, plan: RoutePlan): RoutedTarget | undefined {
  const decision = plan.router.decide(plan, ctx);
  const group = decision.groups[0];
  if (group === undefined || group.targets.length === 0) return undefined;
  return group.order(group.targets, { request: ctx, facts: decision.facts, now: performance.now() })[0];
}

/**
 * POST /v1/messages/count_tokens. When the model goes to a provider that counts tokens itself
 * (an `anthropic` provider, Claude on `vertex`), the client's body goes there with the model swapped in, and its
 * answer (or its error, as for messages) comes back: Anthropic's count covers images, documents,
 * tools and the system prompt's overhead exactly. The route's guardrails run first (passGuardrails).
 * Every other provider, and a prompt a plugin changed, gets the gateway's estimate (about four
 * characters a token plus per-message overhead, the same for every model). One call: no retries,
 * fallbacks or limits.
 */
export async function countAnthropicTokens(ctx: RequestContext, plan: RoutePlan | null, runtime: PipelineRuntime): Promise<unknown> {
  const estimate = () => ({ input_tokens: estimatePromptTokens('chat', ctx.body as ChatRequest) });
  if (plan === null) return estimate();
  // Authenticated already (handleLocalAnswer): the caller's own guardrails (consumers:, teams:) apply too.
  const pipeline = runtime.pipelineForCaller?.(plan.route, ctx.caller) ?? runtime.pipelineFor(plan.route);
  if (!(await passGuardrails(ctx, pipeline))) return estimate();
  const target = firstTarget(ctx, plan);
  if (target === undefined || !countsTokens(target.provider, target.model)) return estimate();
  const provider = target.provider;
  ctx.target = target;
  ctx.attempts = 1;
  const reply = await provider.countTokens({
    model: target.model,
    rawBody: ctx.rawBody,
    rawModelUnchanged: target.model === ctx.requestedModel,
    apiKey: credentialFor(ctx, provider, runtime.requiresKey, runtime.storedCredential),
    signal: ctx.signal,
    requestId: ctx.id,
    clientHeaders: ctx.headers,
  });
  ctx.responseHeaders = { ...ctx.responseHeaders, ...reply.headers };
  return reply.body;
}
