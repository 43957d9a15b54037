import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { FallbackCondition, TollgateConfig } from '../config/schema.ts';
import { toMilliseconds } from '../config/units.ts';
import { errors } from '../errors/catalogue.ts';
import type { Provider } from '../providers/provider.ts';
import type { UpstreamClient } from '../upstream/upstream-client.ts';
import { ActiveHealthChecker, type ActiveCheck } from './active-health.ts';
import { buildModelGroup, singleTargetGroup, type GroupBuildContext } from './model-group.ts';
import type { PriceLookup } from './price-lookup.ts';
import { RequestFacts } from './request-facts.ts';
import { compileRoute, otherConditionsHold, pathMatches, type CompiledRoute } from './route-compiler.ts';
import type { RoutingCaller, RoutingRequest } from './routing-request.ts';
import { routedModelRefusal } from '../identity/routed-model-rule.ts';
import { compileHealthSettings } from './health-settings.ts';
import { RecentlyUsedMap } from './recently-used-map.ts';
import { TargetHealth, type HealthSettings } from './target-health.ts';
import type { ModelGroup } from './target.ts';

export type { CompiledRoute } from './route-compiler.ts';

/** What the router decided before the body is inspected: the route and its known groups. */
export interface RoutePlan {
  route: CompiledRoute | null;
  /** Primary group then fallbacks; empty when the route decides per request (rules, split). */
  groups: ModelGroup[];
  router: Router;
}

/** The per-request decision: the groups to try in order and why. */
export interface RoutingDecision {
  route: CompiledRoute | null;
  groups: ModelGroup[];
  /** The split variant (canary / A-B), or null. */
  variant: string | null;
  /** The content rule that matched, or null. */
  rule: string | null;
  facts: RequestFacts;
  fallbackOn: ReadonlySet<FallbackCondition>;
  deadlineMs: number | null;
  /** routing.health.fail_fast: no last-resort try when every target of the last group is out. */
  failFast: boolean;
}

export interface ModelListing {
  id: string;
  owned_by: string;
}

export interface RouterOptions {
  /** The router of the configuration being replaced: target health and latency carry over. */
  previous?: Router;
  /** The price catalog (src/usage/) for lowest-cost; target overrides win. */
  prices?: PriceLookup;
  /** For active health checks; a small private client is made when absent. */
  upstream?: UpstreamClient;
  logger?: Logger;
}

/**
 * Most `provider/model` groups kept for names the configuration does not declare (a provider
 * without a `models:` list, or a name not on it). Each is about 1.7 KB with its health record and
 * retry budget (~2 MB when full), and the name is the client's to choose: past this many, the
 * least recently used is let go (never one with a request in flight). Had been kept for good up to
 * 10,000 (leak audit, finding 1). Declared names and everything the config names
 * (aliases, model groups, routes) are kept for good: the config bounds them.
 */
export const maxUndeclaredGroups = 1_000;
/** Most per-model candidate lists of glob routes kept, the least recently used let go first. */
export const maxCachedPatternLists = 1_000;
const noRoutes: CompiledRoute[] = [];

/** The key of a target's health record: the same provider name at another base URL is another upstream. */
function healthKey(provider: Provider, model: string): string {
  return `${provider.settings.name}\u0000${provider.settings.baseUrl}\u0000${model}`;
}

/** A group with a request in flight to its target: its health is being updated, so it stays. */
function groupBusy(group: ModelGroup): boolean {
  for (const target of group.targets) if (target.inFlight > 0) return true;
  return false;
}

/**
 * Whether a route that matches `model` on `path` picks its own model (a `model:`, rules or a split),
 * so the requested name need not resolve by itself. Header and caller conditions are not known at
 * load; a route that has them counts as one that may match.
 */
function routeMayServe(route: CompiledRoute, model: string, path: string): boolean {
  const modelMatches = route.exactModel !== null ? route.exactModel === model : route.model === null || route.model.test(model);
  const pathMatch = route.path === null || pathMatches(route.path, path);
  return modelMatches && pathMatch && (route.defaultGroup !== null || route.rules !== null || route.split !== null);
}

/**
 * Resolves what a client names into model groups: a route's override (rules, split), an alias
 * or group from `models:`, `provider/model`, or a plain model name exactly one provider
 * declares. Everything is compiled at config load; per request only map lookups, the few
 * regexes of candidate routes, and the rules a route has.
 */
export class Router {
  readonly groups: ReadonlyMap<string, ModelGroup>;
  readonly routes: readonly CompiledRoute[];
  readonly #providers: ReadonlyMap<string, Provider>;
  readonly #plainNames = new Map<string, Provider[]>();
  /** Groups of names the config declares or names (built at load, or a declared model's `provider/model`): kept for good. */
  readonly #directGroups = new Map<string, ModelGroup>();
  /** Groups of `provider/model` names the config does not declare, made on first use: bounded (maxUndeclaredGroups). */
  readonly #undeclaredGroups = new RecentlyUsedMap<string, ModelGroup>(maxUndeclaredGroups, groupBusy);
  readonly #exactRoutes = new Map<string, CompiledRoute[]>();
  readonly #patternRoutes: CompiledRoute[] = [];
  readonly #patternCache = new RecentlyUsedMap<string, CompiledRoute[]>(maxCachedPatternLists);
  readonly #hasCallerRoutes: boolean;
  /** Health records of the targets the config names or declares; an undeclared target's lives in its group. */
  readonly #health: Map<string, TargetHealth>;
  /**
   * The previous router's health records of undeclared targets (a reload), taken by this router's
   * groups as they are made again; at most maxUndeclaredGroups, never added to.
   */
  readonly #carriedHealth = new Map<string, TargetHealth>();
  /** True while Router.build runs: what is resolved then is named by the config. */
  #building = true;
  readonly #groupContext: GroupBuildContext;
  readonly #fallbackOn: ReadonlySet<FallbackCondition>;
  readonly #deadlineMs: number | null;
  readonly #failFast: boolean;
  #checker: ActiveHealthChecker | null = null;

  private constructor(config: TollgateConfig, providers: ReadonlyMap<string, Provider>, options: RouterOptions) {
    this.#providers = providers;
    for (const provider of providers.values()) {
      for (const model of provider.settings.models) {
        const list = this.#plainNames.get(model) ?? [];
        list.push(provider);
        this.#plainNames.set(model, list);
      }
    }
    const settings = compileHealthSettings(config.routing.health);
    // Only the previous router's records are kept, not the router: routers replaced by reloads must not chain.
    const previousHealth = options.previous ? options.previous.#health : undefined;
    if (options.previous) {
      for (const group of options.previous.#undeclaredGroups.values()) {
        for (const target of group.targets) if (sameSettings(target.health.settings, settings)) this.#carriedHealth.set(healthKey(target.provider, target.model), target.health);
      }
    }
    this.#health = new Map();
    this.#groupContext = {
      retryDefaults: config.routing.retry,
      prices: options.prices,
      healthFor: (provider, model) => this.#healthFor(provider, model, settings, previousHealth),
    };
    this.#fallbackOn = new Set(config.routing.fallback_on);
    this.#failFast = settings.failFast;
    this.#deadlineMs = config.routing.deadline === undefined ? null : toMilliseconds(config.routing.deadline);
    this.groups = new Map();
    this.routes = [];
    this.#hasCallerRoutes = config.routes.some((route) => route.match.metadata !== undefined);
  }

  /** Builds the router; configuration mistakes are appended to `problems`. */
  static build(config: TollgateConfig, providers: ReadonlyMap<string, Provider>, problems: string[], options: RouterOptions = {}): Router {
    const router = new Router(config, providers, options);
    const groups = router.groups as Map<string, ModelGroup>;
    const checks: ActiveCheck[] = [];
    for (const [name, groupConfig] of Object.entries(config.models)) {
      const group = buildModelGroup(name, groupConfig, providers, router.#groupContext, problems);
      if (!group) continue;
      groups.set(name, group);
      const check = groupConfig.health_check;
      if (check) checks.push({ targets: group.targets, intervalMs: toMilliseconds(check.interval), path: check.path, timeoutMs: toMilliseconds(check.timeout) });
    }
    const resolveGroup = (name: string, path: string): ModelGroup | null => {
      const group = router.#tryResolve(name);
      if (group === null) problems.push(`${path}: ${JSON.stringify(name)} names no model group, alias or provider/model`);
      return group;
    };
    const routes = router.routes as CompiledRoute[];
    config.routes.forEach((routeConfig, index) => {
      const route = compileRoute(routeConfig, index, resolveGroup, problems);
      routes.push(route);
      if (route.exactModel !== null) {
        const list = router.#exactRoutes.get(route.exactModel) ?? [];
        list.push(route);
        router.#exactRoutes.set(route.exactModel, list);
      } else {
        router.#patternRoutes.push(route);
      }
    });
    config.apis.forEach((api, index) => {
      const routed = routes.some((route) => routeMayServe(route, api.model, api.path));
      if (!routed) resolveGroup(api.model, `apis[${index}].model`);
    });
    if (checks.length > 0 && problems.length === 0) {
      const checker = new ActiveHealthChecker(checks, options.upstream, options.logger);
      router.#checker = checker;
      // A replaced router that nobody closes still stops its checks once it is collected.
      checkerFinalizer.register(router, checker);
    }
    router.#building = false;
    return router;
  }

  /** Whether the config names this target: resolved while building, or a model its provider's `models:` lists. */
  #declared(provider: Provider, model: string): boolean {
    return this.#building || provider.settings.models.includes(model);
  }

  /**
   * The health record of a provider + model, shared by every group naming it. A named or declared
   * target's is kept in #health for good; an undeclared one's (a name a client made up) lives as
   * long as its group in #undeclaredGroups. Either carries over from the router being replaced.
   */
  #healthFor(provider: Provider, model: string, settings: HealthSettings, previous: Map<string, TargetHealth> | undefined): TargetHealth {
    const key = healthKey(provider, model);
    let health = this.#health.get(key);
    if (health) return health;
    health = this.#carried(key, settings, previous) ?? new TargetHealth(settings);
    if (this.#declared(provider, model)) this.#health.set(key, health);
    return health;
  }

  /** The record the router being replaced had for `key`, when it was made with the same settings (new settings start fresh). */
  #carried(key: string, settings: HealthSettings, previous: Map<string, TargetHealth> | undefined): TargetHealth | undefined {
    const named = previous?.get(key);
    if (named && sameSettings(named.settings, settings)) return named;
    const undeclared = this.#carriedHealth.get(key);
    if (undeclared) this.#carriedHealth.delete(key);
    return undeclared;
  }

  /** Stops active health checks (config reload, shutdown). */
  async close(): Promise<void> {
    if (this.#checker) checkerFinalizer.unregister(this);
    await this.#checker?.stop();
    this.#checker = null;
  }

  #patternCandidates(model: string): CompiledRoute[] {
    if (this.#patternRoutes.length === 0) return noRoutes;
    const cached = this.#patternCache.get(model);
    if (cached) return cached;
    const list = this.#patternRoutes.filter((route) => route.model === null || route.model.test(model));
    this.#patternCache.set(model, list);
    return list;
  }

  /**
   * The first route (in config order) whose match holds, or null. Routes naming an exact model
   * are found by a map lookup and glob routes by a per-model cached list, so a thousand routes
   * cost about what one does. Caller metadata conditions fail while the caller is unknown.
   */
  matchRoute(model: string, path: string, headers: IncomingHttpHeaders, caller?: RoutingCaller): CompiledRoute | null {
    const exact = this.#exactRoutes.get(model) ?? noRoutes;
    const patterns = this.#patternCandidates(model);
    let exactIndex = 0;
    let patternIndex = 0;
    while (exactIndex < exact.length || patternIndex < patterns.length) {
      const takeExact = patternIndex >= patterns.length || (exactIndex < exact.length && exact[exactIndex].index < patterns[patternIndex].index);
      const route = takeExact ? exact[exactIndex++] : patterns[patternIndex++];
      if (otherConditionsHold(route, path, headers, caller)) return route;
    }
    return null;
  }

  #groupsOf(route: CompiledRoute, model: string): ModelGroup[] {
    if (route.staticGroups !== null) return route.staticGroups;
    if (route.rules !== null || route.split !== null) return [];
    const primary = route.defaultGroup ?? this.resolve(model);
    return route.fallbacks.length === 0 ? [primary] : [primary, ...route.fallbacks.filter((group) => group !== primary)];
  }

  /**
   * Plans a request from what is known on arrival: throws model_not_found (404) or
   * model_ambiguous (400). `caller` is given when authentication ran before routing.
   */
  plan(model: string, path: string, headers: IncomingHttpHeaders, caller?: RoutingCaller): RoutePlan {
    return this.planFor(this.routes.length === 0 ? null : this.matchRoute(model, path, headers, caller), model);
  }

  /** The plan of a request whose route is already matched (matchRoute); throws as plan does. */
  planFor(route: CompiledRoute | null, model: string): RoutePlan {
    if (route === null) return { route, groups: [this.resolve(model)], router: this };
    return { route, groups: this.#groupsOf(route, model), router: this };
  }

  /**
   * Every group that may serve a planned request, before the body is read: the plan's groups,
   * or, for a route that decides per request (content rules, a split), every group it names
   * plus the requested model's when the route has no `model:`. The rate-limit plugin prices a
   * budget's reservation from these targets (the most expensive one), so what routing picks
   * later never costs more than was reserved.
   */
  candidateGroups(plan: RoutePlan, model: string): readonly ModelGroup[] {
    const route = plan.route;
    if (plan.groups.length > 0 || route === null) return plan.groups;
    if (route.defaultGroup !== null) return route.namedGroups;
    const requested = this.#tryResolve(model);
    return requested === null || route.namedGroups.includes(requested) ? route.namedGroups : [...route.namedGroups, requested];
  }

  /**
   * Finishes the plan once the caller is authenticated and the body may be read: routes that
   * match on caller metadata, content rules (first match wins), then the canary split. Throws
   * 403 model_not_allowed when the caller's key may not use the group chosen (routedModelRefusal).
   */
  decide(plan: RoutePlan, request: RoutingRequest): RoutingDecision {
    const decision = this.#decide(plan, request);
    // Every decision passes here (calls, the cache's key, count_tokens, input_tokens): a key limited
    // to some models may not be routed to a group it could not name itself.
    const allowsModel = request.caller.allowsModel;
    const routed = decision.groups[0]?.name;
    if (allowsModel !== undefined && routed !== undefined && routed !== request.requestedModel) {
      const refusal = routedModelRefusal(allowsModel, { requested: request.requestedModel, routed, definedByRoute: this.#definesName(decision, request.requestedModel) });
      if (refusal !== null) throw refusal;
    }
    return decision;
  }

  /**
   * Whether the decision's route is the requested name's own definition (routedModelRefusal): the
   * name resolves to nothing by itself, the route matched exactly that name and no header, and the
   * rule that picked the group, if one did, reads no header either (a rule's name may repeat: any
   * rule of that name reading one counts).
   */
  #definesName(decision: RoutingDecision, requested: string): boolean {
    const route = decision.route;
    if (route === null || route.exactModel !== requested || route.headers.length > 0) return false;
    if (decision.rule !== null && (route.rules ?? []).some((rule, index) => rule.name === decision.rule && route.config.rules?.[index]?.when.headers !== undefined)) return false;
    return this.#tryResolve(requested) === null;
  }

  #decide(plan: RoutePlan, request: RoutingRequest): RoutingDecision {
    const facts = new RequestFacts(request);
    let route = plan.route;
    let groups = plan.groups;
    if (this.#hasCallerRoutes && request.caller.metadata !== undefined) {
      const rematched = this.matchRoute(request.requestedModel, request.path, request.headers, request.caller);
      if (rematched !== route) {
        route = rematched;
        groups = route === null ? [this.resolve(request.requestedModel)] : this.#groupsOf(route, request.requestedModel);
      }
    }
    const fallbackOn = route?.fallbackOn ?? this.#fallbackOn;
    const deadlineMs = route?.deadlineMs ?? this.#deadlineMs;
    const failFast = this.#failFast;
    if (route === null || groups.length > 0) return { route, groups, variant: null, rule: null, facts, fallbackOn, deadlineMs, failFast };
    let primary: ModelGroup | null = null;
    let variant: string | null = null;
    let rule: string | null = null;
    if (route.rules !== null) {
      for (const candidate of route.rules) {
        if (candidate.test(request, facts)) {
          primary = candidate.group;
          rule = candidate.name;
          break;
        }
      }
    }
    if (primary === null && route.split !== null) {
      const chosen = route.split(request);
      primary = chosen.group;
      variant = chosen.name;
    }
    primary ??= route.defaultGroup ?? this.resolve(request.requestedModel);
    const chosenGroup = primary;
    groups = route.fallbacks.length === 0 ? [chosenGroup] : [chosenGroup, ...route.fallbacks.filter((group) => group !== chosenGroup)];
    return { route, groups, variant, rule, facts, fallbackOn, deadlineMs, failFast };
  }

  /** Resolves a model name to its group or throws the client-facing error. */
  resolve(model: string): ModelGroup {
    const group = this.#tryResolve(model);
    if (group !== null) return group;
    const servers = this.#plainNames.get(model);
    if (servers && servers.length > 1) throw errors.modelAmbiguous(model, servers.map((provider) => provider.settings.name));
    throw errors.modelNotFound(model);
  }

  #tryResolve(model: string): ModelGroup | null {
    const alias = this.groups.get(model);
    if (alias) return alias;
    const cached = this.#directGroups.get(model) ?? this.#undeclaredGroups.get(model);
    if (cached) return cached;
    const slash = model.indexOf('/');
    if (slash > 0) {
      const provider = this.#providers.get(model.slice(0, slash));
      const providerModel = model.slice(slash + 1);
      if (provider && providerModel !== '') {
        const declared = this.#declared(provider, providerModel);
        const group = singleTargetGroup(model, provider, providerModel, this.#groupContext);
        if (declared) this.#directGroups.set(model, group);
        else this.#undeclaredGroups.set(model, group);
        return group;
      }
    }
    const servers = this.#plainNames.get(model);
    if (servers?.length !== 1) return null;
    // A plain name is one a provider's `models:` lists: declared.
    const group = singleTargetGroup(model, servers[0], model, this.#groupContext);
    this.#directGroups.set(model, group);
    return group;
  }

  /** How many groups of undeclared `provider/model` names are kept (at most maxUndeclaredGroups, plus any with a request in flight). */
  get undeclaredGroupCount(): number {
    return this.#undeclaredGroups.size;
  }

  /** How many health records of named or declared targets are kept (bounded by the config). */
  get healthRecordCount(): number {
    return this.#health.size;
  }

  /** How many per-model candidate lists of glob routes are kept (at most maxCachedPatternLists). */
  get patternListCount(): number {
    return this.#patternCache.size;
  }

  /** What GET /v1/models lists: aliases and groups, then each provider's declared models. */
  listModels(isUsable: (provider: Provider) => boolean): ModelListing[] {
    const listing: ModelListing[] = [];
    for (const group of this.groups.values()) {
      if (group.targets.some((target) => isUsable(target.provider))) listing.push({ id: group.name, owned_by: 'tollgate' });
    }
    for (const provider of this.#providers.values()) {
      if (!isUsable(provider)) continue;
      for (const model of provider.settings.models) listing.push({ id: `${provider.settings.name}/${model}`, owned_by: provider.settings.name });
    }
    return listing;
  }
}

/** Whether a carried health record was made with these settings (new settings start fresh). */
function sameSettings(left: HealthSettings, right: HealthSettings): boolean {
  return left === right || JSON.stringify(left) === JSON.stringify(right);
}

const checkerFinalizer = new FinalizationRegistry<ActiveHealthChecker>((checker) => void checker.stop());
