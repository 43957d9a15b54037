import type { TollgateConfig } from '../config/schema.ts';
import { pluginsInUse } from '../pipeline/compile-pipeline.ts';
import type { PluginDefinition } from '../pipeline/plugin.ts';
import { planProviders } from '../providers/build-providers.ts';
import type { ProviderDefinition } from '../providers/provider.ts';
import type { ConfigOrigin } from '../plugins/custom/load-custom-plugins.ts';
import { globalPluginConfigs, type RuntimeDependencies } from './runtime.ts';

/** The registries and the environment (zero-config providers depend on it), as Runtime.build gets them. */
type DefinitionSources = Pick<RuntimeDependencies, 'pluginDefinitions' | 'providerDefinitions' | 'env'>;

/** The definitions whose code a config needs: the plugins it makes instances of (globally, per route, team or consumer) and its providers' types. */
export function implementationsInUse(config: TollgateConfig, sources: DefinitionSources): { plugins: PluginDefinition[]; providers: ProviderDefinition[] } {
  const plugins = pluginsInUse(
    sources.pluginDefinitions,
    globalPluginConfigs(config),
    [...config.routes.map((route) => route.plugins), ...Object.values(config.teams).map((team) => team.plugins), ...Object.values(config.consumers).map((consumer) => consumer.plugins)],
  );
  const providers = new Set(planProviders(config, sources.providerDefinitions, sources.env).planned.map((provider) => provider.definition));
  return { plugins, providers: [...providers] };
}

/**
 * Imports the code of exactly the plugins and provider types a config uses (each at most once per
 * process), so a gateway carries no code it does not run. Runtime.build makes the instances
 * synchronously and needs that code: await this after loading a config and before building its
 * Runtime (start, reload, `config validate`). Names that no definition has are skipped here and
 * reported by Runtime.build, with the same messages as ever.
 *
 * Returns the plugin definitions to build that Runtime with: `sources.pluginDefinitions` plus the
 * config's `custom_plugins:`, imported from their files (relative paths from `origin.folder`); one
 * that cannot be used throws ConfigError naming `origin.source`, before anything else is loaded.
 */
export async function loadImplementations(config: TollgateConfig, sources: DefinitionSources, origin: ConfigOrigin = { source: '(config)', folder: process.cwd() }): Promise<ReadonlyMap<string, PluginDefinition>> {
  // The custom plugin loader is imported only by configs that have custom plugins.
  const pluginDefinitions = config.custom_plugins.length === 0 ? sources.pluginDefinitions : await (await import('../plugins/custom/load-custom-plugins.ts')).loadCustomPlugins(config.custom_plugins, sources.pluginDefinitions, origin);
  const { plugins, providers } = implementationsInUse(config, { ...sources, pluginDefinitions });
  await Promise.all([...plugins.map((plugin) => plugin.load()), ...providers.map((provider) => provider.load())]);
  return pluginDefinitions;
}
