import type { GatewayError } from '../errors/gateway-error.ts';
import type { CompiledRoute } from './route-compiler.ts';
import { routingErrors } from '../errors/routing-errors.ts';
import type { ModelGroup, RoutedTarget } from './target.ts';

/** A per-request filter the pipeline supplies (operation supported, a credential available). */
export type TargetAcceptor = (target: RoutedTarget) => boolean;

/**
 * The targets of a group a strategy may choose from now: region allowed, accepted by the
 * pipeline, and healthy (circuit closed or a probe due, no rate-limit cooldown). Returns the
 * group's own array when every target qualifies, so the common case allocates nothing.
 */
export function usableTargets(group: ModelGroup, route: CompiledRoute | null, accept: TargetAcceptor, now: number): readonly RoutedTarget[] {
  const regionAllows = route?.regionAllows ?? null;
  const targets = group.targets;
  let usable: RoutedTarget[] | null = null;
  for (let index = 0; index < targets.length; index++) {
    const target = targets[index];
    const ok = (regionAllows === null || regionAllows(target)) && accept(target) && target.health.isAvailable(now);
    if (!ok && usable === null) usable = targets.slice(0, index);
    else if (ok && usable !== null) usable.push(target);
  }
  return usable ?? targets;
}

/**
 * The last resort when health rules out every target of the last group: the targets the route
 * and pipeline allow, health ignored (Envoy's panic mode). A false alarm of the circuit breaker
 * (or a single target cooling down) then never turns into an outage of its own making.
 */
export function lastResortTargets(group: ModelGroup, route: CompiledRoute | null, accept: TargetAcceptor): readonly RoutedTarget[] {
  const regionAllows = route?.regionAllows ?? null;
  return group.targets.filter((target) => (regionAllows === null || regionAllows(target)) && accept(target));
}

/**
 * The last resort for a retry, once the request's own failures (or others') have opened the
 * circuit of every target it could use: the targets the route and pipeline allow that are out
 * only because of their circuit. A target resting after a 429 is not among them: a retry waits
 * for its Retry-After or hands the 429 back (retry_after_max).
 */
export function lastResortRetryTargets(group: ModelGroup, route: CompiledRoute | null, accept: TargetAcceptor, now: number): readonly RoutedTarget[] {
  return lastResortTargets(group, route, accept).filter((target) => target.health.cooldownUntil <= now);
}

/** When the soonest target leaves its rate-limit cooldown; Infinity when none is worth waiting for. */
export function earliestAvailable(group: ModelGroup, route: CompiledRoute | null, accept: TargetAcceptor, now: number): number {
  const regionAllows = route?.regionAllows ?? null;
  let earliest = Infinity;
  for (const target of group.targets) {
    if ((regionAllows !== null && !regionAllows(target)) || !accept(target)) continue;
    earliest = Math.min(earliest, target.health.availableAt(now));
  }
  return earliest;
}

/**
 * Why a group has no usable target, as the client should hear it: the region rule, then the
 * pipeline's reason (unsupported operation, missing credential), then health (503 with
 * Retry-After when a target comes back soon).
 */
export function noTargetError(group: ModelGroup, route: CompiledRoute | null, explain: (target: RoutedTarget) => GatewayError | null, now: number): GatewayError {
  const regionAllows = route?.regionAllows ?? null;
  const inRegion = regionAllows === null ? group.targets : group.targets.filter(regionAllows);
  if (inRegion.length === 0) return routingErrors.noTargetInRegion(group.name, route?.regionText ?? '');
  const reasons = inRegion.map(explain);
  if (reasons.every((reason) => reason !== null)) return reasons[0]!;
  let soonest = Infinity;
  inRegion.forEach((target, index) => {
    if (reasons[index] !== null) return;
    const health = target.health;
    const back = health.state === 'closed' ? health.cooldownUntil : Math.max(health.openUntil, health.cooldownUntil);
    soonest = Math.min(soonest, back);
  });
  const seconds = Number.isFinite(soonest) ? Math.max(1, Math.ceil((soonest - now) / 1000)) : null;
  return routingErrors.noHealthyTarget(group.name, seconds);
}

