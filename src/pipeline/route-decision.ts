import type { RoutePlan, RoutingDecision } from '../routing/router.ts';
import type { RequestContext } from './context.ts';

/**
 * The router's decision for the request (caller-metadata routes, content rules, canary split),
 * made once and kept on the context: the cache's lookup needs it for its key (a variant or a
 * rule's group answers differently) and callProvider then serves exactly what was keyed. Sets
 * `ctx.route` and `ctx.variant`, so a cache hit reports them as a miss does.
 */
export function decideRoute(ctx: RequestContext, plan: RoutePlan): RoutingDecision {
  let decision = ctx.routingDecision;
  if (decision === undefined) {
    decision = plan.router.decide(plan, ctx);
    ctx.routingDecision = decision;
    ctx.route = decision.route;
    if (decision.variant !== null) ctx.variant = decision.variant;
  }
  return decision;
}
