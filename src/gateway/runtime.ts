import type { Logger } from 'pino';
import { ConfigError } from '../config/format-issues.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import type { TollgateConfig } from '../config/schema.ts';
import { toBytes } from '../config/units.ts';
import { layerCallerPlugins, PipelineCompiler, type CallerPlugins, type CompiledPipeline } from '../pipeline/compile-pipeline.ts';
import type { Caller } from '../pipeline/context.ts';
import { authenticationPriority, isAuthenticationPlugin } from '../pipeline/authentication.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { IncomingHttpHeaders } from 'node:http';
import type { Plugin, PluginDefinition } from '../pipeline/plugin.ts';
import { buildProviders } from '../providers/build-providers.ts';
import type { Provider, ProviderDefinition } from '../providers/provider.ts';
import type { CompiledRoute, ModelListing } from '../routing/router.ts';
import { Router } from '../routing/router.ts';
import { priceCatalogFor, routingPrices } from '../usage/price-catalog.ts';
import { pricingProblems } from '../usage/pricing-problems.ts';
import { declaredKeyConflicts } from '../plugins/key-auth/declared-key-conflicts.ts';
import { compileCors, type CorsPolicy } from '../server/cors.ts';
import type { DataPlaneRuntime } from '../server/data-plane-server.ts';
import type { GatewayMetrics } from '../telemetry/metrics.ts';
import type { UpstreamClient } from '../upstream/upstream-client.ts';
import type { IdentityCache } from '../identity/identity-cache.ts';
import type { CredentialCache } from '../identity/credential-cache.ts';
import type { Store } from '../store/store.ts';
import type { UsageLedger } from '../usage/usage-ledger.ts';
import { NativeResponsesClients } from '../providers/native-responses/native-responses-client.ts';
import { withRouteModels } from '../formats/openai/models-list.ts';

export interface RuntimeDependencies {
  /**
   * The address the data-plane listener is bound to: the start's `server.host`. A reload cannot
   * move the listener, so plugins that are safe only on loopback (anonymous) are judged by this,
   * not by the new file's `server.host`.
   */
  listenerHost?: string;
  providerDefinitions: ReadonlyMap<string, ProviderDefinition>;
  pluginDefinitions: ReadonlyMap<string, PluginDefinition>;
  upstream: UpstreamClient;
  logger: Logger;
  metrics: GatewayMetrics;
  env: NodeJS.ProcessEnv;
  /** Keys, consumers and teams from the store (absent when no store is open). */
  identity?: IdentityCache;
  /** Provider credentials set through the Admin API (decrypted, in memory); they override config and env. */
  credentials?: CredentialCache;
  /** The store, for plugins' rare writes (jwt auto_create). */
  store?: Store;
  /** The usage ledger's writer, one per process (the usage-ledger plugin queues into it). */
  usageLedger?: UsageLedger;
}

/** The global plugin configs: `plugins:`, with `log.access_log: false` turning off the access log it does not name. */
export function globalPluginConfigs(config: TollgateConfig): Record<string, unknown> {
  const configs = { ...config.plugins };
  if (!config.log.access_log && configs['access-log'] === undefined) configs['access-log'] = false;
  return configs;
}

/**
 * The authentication plugin that may refuse model requests before their body is read: the global
 * pipeline's only authentication plugin, when it can judge from headers (refusalFromHeaders) and
 * no route names an authentication plugin of its own (a route's key-auth with other keys, `false`,
 * anonymous or jwt would decide differently, and which route applies depends on the body's model).
 */
function authenticationBeforeBody(config: TollgateConfig, defaultPipeline: CompiledPipeline, definitions: ReadonlyMap<string, PluginDefinition>): Plugin | null {
  const authentication = defaultPipeline.plugins.filter(isAuthenticationPlugin);
  if (authentication.length !== 1 || authentication[0].refusalFromHeaders === undefined) return null;
  const isAuthentication = (name: string) => {
    const priority = definitions.get(name)?.priority;
    return priority !== undefined && priority >= authenticationPriority.min && priority <= authenticationPriority.max;
  };
  if (config.routes.some((route) => Object.keys(route.plugins).some(isAuthentication))) return null;
  return authentication[0];
}

/**
 * Everything one configuration version needs at request time, built and validated once. A
 * reload builds a new Runtime and swaps it in; requests in flight keep the one they started with.
 */
export class Runtime implements DataPlaneRuntime {
  readonly loaded: LoadedConfig;
  readonly providers: Map<string, Provider>;
  readonly withoutCredential: Set<string>;
  readonly router: Router;
  readonly bodyLimit: number;
  /** `server.cors`, compiled; null when no origin is allowed. */
  readonly cors: CorsPolicy | null;
  /** `server.allowed_hosts` (the data plane compiles it with the address it listens on). */
  readonly allowedHosts: readonly string[];
  readonly #routePipelines: CompiledPipeline[];
  readonly #defaultPipeline: CompiledPipeline;
  readonly #plugins: Plugin[];
  /** The one authentication plugin every model request meets, when it can judge from headers alone (authenticationBeforeBody). */
  readonly #headerGate: Plugin | null;
  /** `teams:` and `consumers:` plugins by name. */
  readonly #teamPlugins: Map<string, CallerPlugins>;
  readonly #consumerPlugins: Map<string, CallerPlugins>;
  /** Pipelines with a caller's plugins layered on, by route index, team and consumer; made on first use. */
  readonly #callerPipelines = new Map<string, CompiledPipeline>();
  /** Some consumer or team has plugins of its own (else pipelineForCaller is never needed). */
  readonly hasCallerPlugins: boolean;
  /** The Responses API of this configuration's openai and azure providers, for requests served natively. */
  readonly nativeResponses: NativeResponsesClients;
  /** A stored credential by provider name (the credential cache's lookup), or undefined without a store. */
  readonly storedCredential: ((providerName: string) => string | undefined) | undefined;

  private constructor(fields: {
    loaded: LoadedConfig;
    providers: Map<string, Provider>;
    withoutCredential: Set<string>;
    router: Router;
    routePipelines: CompiledPipeline[];
    defaultPipeline: CompiledPipeline;
    callerPlugins: { teams: Map<string, CallerPlugins>; consumers: Map<string, CallerPlugins> };
    headerGate: Plugin | null;
    plugins: Plugin[];
    storedCredential?: (providerName: string) => string | undefined;
    nativeResponses: NativeResponsesClients;
  }) {
    this.nativeResponses = fields.nativeResponses;
    this.loaded = fields.loaded;
    this.providers = fields.providers;
    this.withoutCredential = fields.withoutCredential;
    this.router = fields.router;
    this.bodyLimit = toBytes(fields.loaded.config.server.body_limit);
    this.cors = compileCors(fields.loaded.config.server.cors);
    this.allowedHosts = fields.loaded.config.server.allowed_hosts;
    this.#routePipelines = fields.routePipelines;
    this.#defaultPipeline = fields.defaultPipeline;
    this.#plugins = fields.plugins;
    this.storedCredential = fields.storedCredential;
    this.#headerGate = fields.headerGate;
    this.#teamPlugins = fields.callerPlugins.teams;
    this.#consumerPlugins = fields.callerPlugins.consumers;
    this.hasCallerPlugins = this.#teamPlugins.size > 0 || this.#consumerPlugins.size > 0;
  }

  /**
   * Builds a runtime or throws ConfigError listing every problem found. The code of the plugins and
   * provider types the config uses must be loaded first: await loadImplementations (load-implementations.ts).
   */
  static build(loaded: LoadedConfig, dependencies: RuntimeDependencies, previous?: Runtime): Runtime {
    const { config } = loaded;
    const problems: string[] = [];
    const built = buildProviders(config, dependencies.providerDefinitions, (definition, settings) => definition.create(settings, { upstream: dependencies.upstream, logger: dependencies.logger }), dependencies.env, dependencies.logger);
    problems.push(...built.problems);
    // Target health and latency carry over from the configuration being replaced.
    const prices = routingPrices(priceCatalogFor(config.pricing));
    const router = Router.build(config, built.providers, problems, { previous: previous?.router, prices, upstream: dependencies.upstream, logger: dependencies.logger });
    const compiler = new PipelineCompiler(dependencies.pluginDefinitions, { logger: dependencies.logger, metrics: dependencies.metrics, identity: dependencies.identity, store: dependencies.store, serverHost: dependencies.listenerHost ?? config.server.host, redisUrl: config.redis, pricing: config.pricing, usageLedger: dependencies.usageLedger, env: dependencies.env });
    const global = compiler.compileGlobal(globalPluginConfigs(config), problems);
    const routePipelines = config.routes.map((route, index) => compiler.compileRoute(global, route.plugins, index, problems));
    const defaultPipeline = compiler.compileRoute(global, {}, -1, problems);
    const callerPlugins = {
      teams: new Map(Object.entries(config.teams).map(([name, entry]) => [name, compiler.compileCaller(entry.plugins, `teams.${name}.plugins`, problems)])),
      consumers: new Map(Object.entries(config.consumers).map(([name, entry]) => [name, compiler.compileCaller(entry.plugins, `consumers.${name}.plugins`, problems)])),
    };
    problems.push(...declaredKeyConflicts(config));
    problems.push(...pricingProblems(config.pricing, [...built.providers.values()].map((provider) => provider.settings), dependencies.providerDefinitions.keys()));
    if (problems.length > 0) {
      for (const plugin of compiler.instances) void plugin.close?.();
      void router.close();
      throw new ConfigError(loaded.source, problems);
    }
    const headerGate = authenticationBeforeBody(config, defaultPipeline, dependencies.pluginDefinitions);
    return new Runtime({ headerGate, loaded, providers: built.providers, withoutCredential: built.withoutCredential, router, routePipelines, defaultPipeline, callerPlugins, plugins: compiler.instances, storedCredential: dependencies.credentials?.get, nativeResponses: new NativeResponsesClients(dependencies.upstream, built.providers) });
  }

  pipelineFor(route: CompiledRoute | null): CompiledPipeline {
    return route === null ? this.#defaultPipeline : this.#routePipelines[route.index];
  }

  /**
   * The refusal a model request gets from its headers alone, before its body is read (null: read
   * it): when one authentication plugin guards every route alike and already knows it will refuse
   * (no credential, only unknown keys), an unauthenticated client cannot make the gateway buffer
   * a body of up to body_limit.
   */
  refusalBeforeBody(headers: IncomingHttpHeaders): GatewayError | null {
    return this.#headerGate === null ? null : this.#headerGate.refusalFromHeaders!(headers);
  }

  /**
   * The pipeline for an authenticated caller on a route: the route's, with the caller's team's and
   * then its consumer's own plugins layered on (the most specific config wins). The same object as
   * pipelineFor(route) when neither has plugins of its own. At most one pipeline per route, team
   * and consumer named in the config, so the cache is bounded by the config.
   */
  pipelineForCaller(route: CompiledRoute | null, caller: Caller): CompiledPipeline {
    const base = this.pipelineFor(route);
    const team = caller.team === undefined ? undefined : this.#teamPlugins.get(caller.team);
    const consumer = caller.consumer === undefined ? undefined : this.#consumerPlugins.get(caller.consumer);
    if (team === undefined && consumer === undefined) return base;
    const cacheKey = `${route === null ? -1 : route.index}\u0000${team === undefined ? '' : caller.team}\u0000${consumer === undefined ? '' : caller.consumer}`;
    let pipeline = this.#callerPipelines.get(cacheKey);
    if (pipeline === undefined) {
      const layers = team === undefined ? [consumer!] : consumer === undefined ? [team] : [team, consumer];
      pipeline = { ...layerCallerPlugins(base, layers), callerLayers: cacheKey };
      this.#callerPipelines.set(cacheKey, pipeline);
    }
    return pipeline;
  }

  /** The provider needs a key and has none: none in config or env, and none stored through the Admin API. */
  requiresKey = (provider: Provider): boolean => this.withoutCredential.has(provider.settings.name) && this.storedCredential?.(provider.settings.name) === undefined;

  /** A provider can serve requests: it has a credential, needs none, or accepts the client's. */
  isUsable = (provider: Provider): boolean => !this.requiresKey(provider) || provider.settings.byok;

  /** GET /v1/models: aliases and groups, each provider's declared models, then the names routes serve (withRouteModels). */
  listModels(): ModelListing[] {
    return withRouteModels(this.router.listModels(this.isUsable), this.router.routes, this.isUsable);
  }

  /** A one-line summary of what is enabled, for the start-up log. */
  /**
   * The providers anyone may call with the operator's credentials (or on its network) when no
   * authentication plugin runs on requests no route takes over: empty when the global pipeline has
   * one, or when the only providers are echo and ones without a credential.
   */
  unauthenticatedProviders(): string[] {
    if (this.#defaultPipeline.plugins.some(isAuthenticationPlugin)) return [];
    return [...this.providers.values()].filter((provider) => provider.settings.type !== 'echo' && !this.requiresKey(provider)).map((provider) => provider.settings.name);
  }

  summary(): { providers: string[]; models: string[]; routes: number } {
    const providers = [...this.providers.values()].map((provider) => `${provider.settings.name}(${provider.settings.type}${this.isUsable(provider) ? '' : ', no key'})`);
    return { providers, models: [...this.router.groups.keys()], routes: this.router.routes.length };
  }

  /** This runtime is now the one serving: its plugins say what an operator must know (Plugin.announce). */
  announce(): void {
    for (const plugin of this.#plugins) plugin.announce?.();
  }

  async close(): Promise<void> {
    await Promise.all([...this.#plugins.map((plugin) => plugin.close?.()), this.router.close()]);
  }
}
