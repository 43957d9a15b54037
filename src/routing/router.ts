import type { IncomingHttpHeaders } from 'node:http';
import type { RouteConfig, TollgateConfig } from '../config/schema.ts';
import { errors } from '../errors/catalogue.ts';
import type { Provider } from '../providers/provider.ts';
import { globToRegExp } from './glob.ts';
import { buildModelGroup, singleTargetGroup } from './model-group.ts';
import type { ModelGroup } from './target.ts';

/** A route from `routes:`, compiled once at config load. */
export interface CompiledRoute {
  name: string;
  index: number;
  config: RouteConfig;
  model: RegExp | null;
  path: RegExp | null;
  headers: Array<[string, string]>;
}

/** What the router decided for one request: the route (if any) and the groups to try in order. */
export interface RoutePlan {
  route: CompiledRoute | null;
  groups: ModelGroup[];
}

export interface ModelListing {
  id: string;
  owned_by: string;
}

const maxCachedDirectGroups = 10_000;

/**
 * Resolves what a client names into model groups: a route's override, an alias or group from
 * `models:`, `provider/model`, or a plain model name that exactly one provider declares.
 */
export class Router {
  readonly groups: ReadonlyMap<string, ModelGroup>;
  readonly routes: readonly CompiledRoute[];
  readonly #providers: ReadonlyMap<string, Provider>;
  readonly #plainNames = new Map<string, Provider[]>();
  readonly #directGroups = new Map<string, ModelGroup>();

  private constructor(providers: ReadonlyMap<string, Provider>, groups: Map<string, ModelGroup>, routes: CompiledRoute[]) {
    this.#providers = providers;
    this.groups = groups;
    this.routes = routes;
    for (const provider of providers.values()) {
      for (const model of provider.settings.models) {
        const list = this.#plainNames.get(model) ?? [];
        list.push(provider);
        this.#plainNames.set(model, list);
      }
    }
  }

  /** Builds the router; configuration mistakes are appended to `problems`. */
  static build(config: TollgateConfig, providers: ReadonlyMap<string, Provider>, problems: string[]): Router {
    const groups = new Map<string, ModelGroup>();
    for (const [name, groupConfig] of Object.entries(config.models)) {
      const group = buildModelGroup(name, groupConfig, providers, problems);
      if (group) groups.set(name, group);
    }
    const routes = config.routes.map((route, index): CompiledRoute => ({
      name: route.name ?? `route-${index}`,
      index,
      config: route,
      model: route.match.model === undefined ? null : globToRegExp(route.match.model),
      path: route.match.path === undefined ? null : globToRegExp(route.match.path),
      headers: Object.entries(route.match.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    }));
    const router = new Router(providers, groups, routes);
    routes.forEach((route) => {
      for (const [field, name] of [['model', route.config.model], ...route.config.fallbacks.map((fallback, index) => [`fallbacks[${index}]`, fallback])] as Array<[string, string | undefined]>) {
        if (name !== undefined && router.#tryResolve(name) === null) problems.push(`routes[${route.index}].${field}: ${JSON.stringify(name)} names no model group, alias or provider/model`);
      }
    });
    return router;
  }

  /** The first route whose match rules all hold, or null. */
  matchRoute(model: string, path: string, headers: IncomingHttpHeaders): CompiledRoute | null {
    for (const route of this.routes) {
      if (route.model !== null && !route.model.test(model)) continue;
      if (route.path !== null && !route.path.test(path)) continue;
      if (route.headers.length > 0 && !route.headers.every(([name, value]) => headers[name] === value)) continue;
      return route;
    }
    return null;
  }

  /** Plans a request: throws model_not_found (404) or model_ambiguous (400). */
  plan(model: string, path: string, headers: IncomingHttpHeaders): RoutePlan {
    const route = this.routes.length === 0 ? null : this.matchRoute(model, path, headers);
    const primary = this.resolve(route?.config.model ?? model);
    if (route === null || route.config.fallbacks.length === 0) return { route, groups: [primary] };
    const groups = [primary];
    for (const fallback of route.config.fallbacks) {
      const group = this.#tryResolve(fallback);
      if (group !== null && !groups.includes(group)) groups.push(group);
    }
    return { route, groups };
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
    const cached = this.#directGroups.get(model);
    if (cached) return cached;
    let group: ModelGroup | null = null;
    const slash = model.indexOf('/');
    if (slash > 0) {
      const provider = this.#providers.get(model.slice(0, slash));
      const providerModel = model.slice(slash + 1);
      if (provider && providerModel !== '') group = singleTargetGroup(model, provider, providerModel);
    }
    if (group === null) {
      const servers = this.#plainNames.get(model);
      if (servers?.length === 1) group = singleTargetGroup(model, servers[0], model);
    }
    if (group !== null && this.#directGroups.size < maxCachedDirectGroups) this.#directGroups.set(model, group);
    return group;
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
