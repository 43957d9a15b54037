import { keyAuthErrors } from '../errors/authentication-errors.ts';
import type { GatewayError } from '../errors/gateway-error.ts';

/** What routing decided, as far as the allowed-models rule cares. */
export interface RoutedModel {
  /** The name the client sent (checked at authentication already). */
  requested: string;
  /** The name of the group routing sends the request to first, as the config writes it. */
  routed: string;
  /**
   * The route that chose it is the requested name's own definition: the name means nothing by
   * itself (no alias, group, `provider/model` or declared model), and the route matched it by
   * that exact name, with no header of the client's in its match or in the rule that picked the group.
   */
  definedByRoute: boolean;
}

/**
 * The allowed-models rule for the group routing picks (audit sec3, finding 1). A key's allowed
 * models are checked first against the name the client sent (key-auth). Routing may then send the
 * request elsewhere: a route's `model:`, a content rule's group, a split (canary) variant. Routes
 * are chosen by what the client sends (its model name, headers such as `x-tier`, its prompt), so a
 * key limited to `gpt-4o*` sending `gpt-4o` with a header a route matches could reach a `gpt-5`
 * group. So the routed group's name must be allowed too, else the same 403 model_not_allowed
 * as for a disallowed name, before the cache or any provider is asked.
 *
 * Two exceptions keep what the client names directly as it was. Names, not targets: an alias the
 * key may call serves whatever the operator put behind it. And a name only routes define (the
 * canary's `assistant` split into `assistant-v1` and `assistant-v2`, docs/routing.md) has no other
 * meaning than its route: allowing the name allows where that route sends it, unless a header the
 * client sets chose the route or the rule. Fallbacks (a route's `fallbacks`) are not checked: the
 * operator's failover of a group the caller may use, not the client's choice. Null when allowed.
 */
export function routedModelRefusal(allowsModel: ((model: string) => boolean) | undefined, decision: RoutedModel): GatewayError | null {
  if (allowsModel === undefined || decision.routed === decision.requested || decision.definedByRoute) return null;
  return allowsModel(decision.routed) ? null : keyAuthErrors.modelNotAllowed(decision.routed);
}
