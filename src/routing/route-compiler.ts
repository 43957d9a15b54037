import type { IncomingHttpHeaders } from 'node:http';
import type { FallbackCondition, RetryConfig, RouteConfig } from '../config/schema.ts';
import { toMilliseconds } from '../config/units.ts';
import { compileGlob, isGlob, type Glob } from './glob.ts';
import { compileKeySources } from './key-source.ts';
import { compileRetryPolicy, mergeRetryConfigs, type RetryPolicy } from './retry-policy.ts';
import type { RoutingCaller, RoutingRequest } from './routing-request.ts';
import { compileConditions, type Condition } from './rules.ts';
import { compileSplit, type SplitVariant } from './split.ts';
import type { ModelGroup, RoutedTarget } from './target.ts';
import { routeNameOf } from '../config/duplicate-route-names.ts';

export interface CompiledRule {
  name: string;
  test: Condition;
  group: ModelGroup;
}

/** A route from `routes:`, compiled once at config load. */
export interface CompiledRoute {
  name: string;
  index: number;
  config: RouteConfig;
  /** The model condition: an exact name (indexed) or a glob; null when the route names none. */
  exactModel: string | null;
  model: Glob | null;
  path: Glob | null;
  headers: Array<[string, string]>;
  /** Caller metadata that must match (checked once the caller is known); null when none. */
  metadata: Array<[string, string]> | null;
  /** `model:` resolved; null means the requested model. */
  defaultGroup: ModelGroup | null;
  fallbacks: ModelGroup[];
  /** [defaultGroup, ...fallbacks] when they are known at load (no rules/split, a `model:`). */
  staticGroups: ModelGroup[] | null;
  /** Every group the route names (`model:`, rules, split variants, fallbacks), once each. */
  namedGroups: ModelGroup[];
  rules: CompiledRule[] | null;
  split: ((request: RoutingRequest) => SplitVariant) | null;
  /** Region restriction, or null; `regionText` names it in errors. */
  regionAllows: ((target: RoutedTarget) => boolean) | null;
  regionText: string;
  fallbackOn: ReadonlySet<FallbackCondition> | null;
  deadlineMs: number | null;
  /** The route's own retry overrides; policies per group are merged on first use. */
  retryOverride: RetryConfig | null;
  /** Weak: a glob route serves `provider/<any name>` groups, which the router lets go (maxUndeclaredGroups); this must not keep them. */
  retryPolicies: WeakMap<ModelGroup, RetryPolicy>;
}

/** Resolves a model name at load; reports a problem at `path` when it names nothing. */
export type GroupResolver = (name: string, path: string) => ModelGroup | null;

const defaultSplitOn = ['consumer', 'header:x-session-id'];

export function compileRoute(route: RouteConfig, index: number, resolveGroup: GroupResolver, problems: string[]): CompiledRoute {
  const name = routeNameOf(route, index);
  const at = `routes[${index}]`;
  const modelPattern = route.match.model;
  const defaultGroup = route.model === undefined ? null : resolveGroup(route.model, `${at}.model`);
  const fallbacks: ModelGroup[] = [];
  route.fallbacks.forEach((fallback, position) => {
    const group = resolveGroup(fallback, `${at}.fallbacks[${position}]`);
    if (group !== null && !fallbacks.includes(group)) fallbacks.push(group);
  });
  let rules: CompiledRule[] | null = null;
  if (route.rules && route.rules.length > 0) {
    rules = [];
    route.rules.forEach((rule, position) => {
      const test = compileConditions(rule.when, `${at}.rules[${position}].when`, problems);
      const group = resolveGroup(rule.model, `${at}.rules[${position}].model`);
      if (test !== null && group !== null) rules!.push({ name: rule.name ?? `rules[${position}]`, test, group });
    });
  }
  let split: CompiledRoute['split'] = null;
  const variants: Array<SplitVariant & { weight: number }> = [];
  if (route.split) {
    route.split.forEach((entry, position) => {
      const group = resolveGroup(entry.model, `${at}.split[${position}].model`);
      if (group !== null) variants.push({ name: entry.name ?? entry.model, group, weight: entry.weight });
    });
    if (variants.length === route.split.length) split = compileSplit(name, variants, compileKeySources(route.split_on ?? defaultSplitOn));
  }
  const regions = route.region === undefined ? null : Array.isArray(route.region) ? route.region : [route.region];
  const regionPatterns = regions?.map((region) => compileGlob(region)) ?? null;
  const dynamic = rules !== null || split !== null;
  const namedGroups: ModelGroup[] = [];
  for (const group of [defaultGroup, ...(rules ?? []).map((rule) => rule.group), ...variants.map((variant) => variant.group), ...fallbacks]) {
    if (group !== null && !namedGroups.includes(group)) namedGroups.push(group);
  }
  return {
    name,
    index,
    config: route,
    exactModel: modelPattern !== undefined && !isGlob(modelPattern) ? modelPattern : null,
    model: modelPattern !== undefined && isGlob(modelPattern) ? compileGlob(modelPattern) : null,
    path: route.match.path === undefined ? null : compileGlob(route.match.path),
    headers: Object.entries(route.match.headers ?? {}).map(([header, value]) => [header.toLowerCase(), value]),
    metadata: route.match.metadata ? Object.entries(route.match.metadata) : null,
    defaultGroup,
    fallbacks,
    staticGroups: !dynamic && defaultGroup !== null ? [defaultGroup, ...fallbacks.filter((group) => group !== defaultGroup)] : null,
    namedGroups,
    rules,
    split,
    regionAllows: regionPatterns === null ? null : (target) => target.region !== null && regionPatterns.some((pattern) => pattern.test(target.region!)),
    regionText: regions?.join(', ') ?? '',
    fallbackOn: route.fallback_on ? new Set(route.fallback_on) : null,
    deadlineMs: route.deadline === undefined ? null : toMilliseconds(route.deadline),
    retryOverride: route.retry ?? null,
    retryPolicies: new WeakMap(),
  };
}

/** The retry policy for a group on a route: the group's, with the route's overrides on top. */
export function retryPolicyFor(route: CompiledRoute | null, group: ModelGroup): RetryPolicy {
  if (route === null || route.retryOverride === null) return group.retry;
  let policy = route.retryPolicies.get(group);
  if (!policy) {
    policy = compileRetryPolicy(mergeRetryConfigs(group.retryConfig, route.retryOverride));
    route.retryPolicies.set(group, policy);
  }
  return policy;
}

function headerEquals(headers: IncomingHttpHeaders, name: string, value: string): boolean {
  const actual = headers[name];
  return Array.isArray(actual) ? actual.includes(value) : actual === value;
}

/** The route's conditions other than the model name (which the router's index has checked). */
/**
 * A route's `path` glob against a request path. The data plane serves every path with and without
 * its `/v1` prefix (`/embeddings` is `/v1/embeddings`), so a route matches both forms whichever it
 * names: a route guarding `/v1/embeddings` (its key-auth, its limits) must not be skipped by a
 * client whose base URL has no `/v1`.
 */
export function pathMatches(pattern: Glob, path: string): boolean {
  if (pattern.test(path)) return true;
  if (path.startsWith('/v1/')) return pattern.test(path.slice(3));
  return path.startsWith('/') && pattern.test(`/v1${path}`);
}

export function otherConditionsHold(route: CompiledRoute, path: string, headers: IncomingHttpHeaders, caller: RoutingCaller | undefined): boolean {
  if (route.path !== null && !pathMatches(route.path, path)) return false;
  for (const [name, value] of route.headers) if (!headerEquals(headers, name, value)) return false;
  if (route.metadata !== null) {
    const metadata = caller?.metadata;
    if (metadata === undefined) return false;
    for (const [name, value] of route.metadata) if (metadata[name] !== value) return false;
  }
  return true;
}
