import type { Plugin, PluginDefinition, PluginDependencies } from './plugin.ts';
import { formatIssues } from '../config/format-issues.ts';
import { ImplementationNotLoadedError } from '../errors/implementation-not-loaded-error.ts';
import { authenticationPriority, combineAuthentication } from './authentication.ts';

/** A route's plugins with one hook list per phase, built once; an empty phase is null. */
export interface CompiledPipeline {
  plugins: Plugin[];
  onRequest: Plugin[] | null;
  onUpstreamRequest: Plugin[] | null;
  onResponse: Plugin[] | null;
  onForwardedResponse: Plugin[] | null;
  onChunk: Plugin[] | null;
  onStreamEnd: Plugin[] | null;
  onLog: Plugin[] | null;
  /** Set on a caller's pipeline (a route's with its team's and consumer's plugins layered on): which layers, as one string. */
  callerLayers?: string;
}

function phase<K extends keyof Plugin>(plugins: Plugin[], hook: K): Plugin[] | null {
  const list = plugins.filter((plugin) => typeof plugin[hook] === 'function');
  return list.length === 0 ? null : list;
}

/** A consumer's or team's own plugins by name; null turns that plugin off for it. */
export type CallerPlugins = ReadonlyMap<string, Plugin | null>;

/** A pipeline with callers' plugins layered over it in order (a team's, then the consumer's): the most specific wins. */
export function layerCallerPlugins(base: CompiledPipeline, layers: ReadonlyArray<CallerPlugins>): CompiledPipeline {
  const plugins = new Map(base.plugins.map((plugin) => [plugin.name, plugin]));
  for (const layer of layers) {
    for (const [name, plugin] of layer) {
      if (plugin === null) plugins.delete(name);
      else plugins.set(name, plugin);
    }
  }
  return assemble([...plugins.values()]);
}

export function assemble(plugins: Plugin[]): CompiledPipeline {
  const sorted = [...plugins].sort((left, right) => right.priority - left.priority);
  return {
    plugins: sorted,
    // Several authentication plugins run as one step: either may accept (authentication.ts).
    onRequest: phase(combineAuthentication(sorted), 'onRequest'),
    onUpstreamRequest: phase(sorted, 'onUpstreamRequest'),
    onResponse: phase(sorted, 'onResponse'),
    onForwardedResponse: phase(sorted, 'onForwardedResponse'),
    onChunk: phase(sorted, 'onChunk'),
    onStreamEnd: phase(sorted, 'onStreamEnd'),
    onLog: phase(sorted, 'onLog'),
  };
}

function isDisabled(config: unknown): boolean {
  return config === false || (config !== null && typeof config === 'object' && (config as { enabled?: unknown }).enabled === false);
}

/** A global plugin is made when its config names it or it is enabled by default, unless turned off. */
function isGloballyEnabled(definition: PluginDefinition, config: unknown): boolean {
  if (config === undefined && !definition.enabledByDefault) return false;
  return !isDisabled(config);
}

/**
 * The plugins a config makes instances of, by the same rules as PipelineCompiler: the global ones
 * (configured, or enabled by default) and those each route configures. Names no definition has are
 * left out; compiling reports them.
 */
export function pluginsInUse(definitions: ReadonlyMap<string, PluginDefinition>, globalConfigs: Record<string, unknown>, routeConfigs: ReadonlyArray<Record<string, unknown>>): PluginDefinition[] {
  const used = new Set<PluginDefinition>();
  for (const definition of definitions.values()) if (isGloballyEnabled(definition, globalConfigs[definition.name])) used.add(definition);
  for (const configs of routeConfigs) {
    for (const [name, config] of Object.entries(configs)) {
      const definition = definitions.get(name);
      if (definition && !isDisabled(config)) used.add(definition);
    }
  }
  return [...used];
}

function withoutEnabledFlag(config: unknown): unknown {
  if (config === null || config === undefined || config === true) return {};
  if (typeof config !== 'object') return config;
  const { enabled: _enabled, ...rest } = config as Record<string, unknown>;
  return rest;
}

/**
 * Instantiates plugins from their configs. Global plugins are made once and shared by every
 * route (so their state, e.g. counters, is shared); a route's own config for a plugin replaces
 * the global one on that route. Problems name the config path.
 */
export class PipelineCompiler {
  readonly #definitions: ReadonlyMap<string, PluginDefinition>;
  readonly #dependencies: PluginDependencies;
  readonly instances: Plugin[] = [];

  constructor(definitions: ReadonlyMap<string, PluginDefinition>, dependencies: PluginDependencies) {
    this.#definitions = definitions;
    this.#dependencies = dependencies;
  }

  #create(name: string, config: unknown, path: string, problems: string[]): Plugin | null {
    const definition = this.#definitions.get(name);
    if (!definition) {
      problems.push(`${path}: unknown plugin ${JSON.stringify(name)} (known: ${[...this.#definitions.keys()].join(', ')})`);
      return null;
    }
    const parsed = definition.configSchema.safeParse(withoutEnabledFlag(config));
    if (!parsed.success) {
      problems.push(...formatIssues(parsed.error.issues, path.split('.')));
      return null;
    }
    let plugin: Plugin;
    try {
      plugin = definition.create(parsed.data, this.#dependencies);
    } catch (error) {
      if (error instanceof ImplementationNotLoadedError) throw error;
      // A plugin that cannot start with this config (a key that does not parse, anonymous on a
      // public listener) is a config problem, reported with its path like a schema problem.
      problems.push(`${path}: ${(error as Error).message}`);
      return null;
    }
    this.instances.push(plugin);
    return plugin;
  }

  /** The global plugins by name: configured ones, plus those enabled by default. */
  compileGlobal(configs: Record<string, unknown>, problems: string[]): Map<string, Plugin> {
    const global = new Map<string, Plugin>();
    for (const definition of this.#definitions.values()) {
      const config = configs[definition.name];
      if (!isGloballyEnabled(definition, config)) continue;
      const plugin = this.#create(definition.name, config, `plugins.${definition.name}`, problems);
      if (plugin) global.set(definition.name, plugin);
    }
    for (const name of Object.keys(configs)) {
      if (!this.#definitions.has(name)) problems.push(`plugins.${name}: unknown plugin ${JSON.stringify(name)} (known: ${[...this.#definitions.keys()].join(', ')})`);
    }
    return global;
  }

  /**
   * A consumer's or team's plugins (`consumers.<name>.plugins`): an instance per config, shared by
   * every route, or null for a plugin turned off. Plugins that run before authentication (priority
   * 3000 and up) cannot be set here: the caller is not known yet when they run.
   */
  compileCaller(configs: Record<string, unknown>, path: string, problems: string[]): CallerPlugins {
    const plugins = new Map<string, Plugin | null>();
    for (const [name, config] of Object.entries(configs)) {
      const definition = this.#definitions.get(name);
      if (definition && definition.priority >= authenticationPriority.min) {
        problems.push(`${path}.${name}: runs before the caller is known (authentication and what precedes it), so it cannot be set per consumer or team`);
        continue;
      }
      if (isDisabled(config)) {
        plugins.set(name, null);
        continue;
      }
      const plugin = this.#create(name, config, `${path}.${name}`, problems);
      if (plugin) plugins.set(name, plugin);
    }
    return plugins;
  }

  /** A route's pipeline: the global plugins with the route's own configs layered on top. */
  compileRoute(global: Map<string, Plugin>, configs: Record<string, unknown>, routeIndex: number, problems: string[]): CompiledPipeline {
    const plugins = new Map(global);
    for (const [name, config] of Object.entries(configs)) {
      if (isDisabled(config)) {
        plugins.delete(name);
        continue;
      }
      const plugin = this.#create(name, config, `routes[${routeIndex}].plugins.${name}`, problems);
      if (plugin) plugins.set(name, plugin);
    }
    return assemble([...plugins.values()]);
  }
}
