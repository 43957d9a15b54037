import { loadOnDemand } from './load-on-demand.ts';
import type { CreatePlugin, PluginDefinition } from './plugin.ts';

/** What a plugin's definition.ts declares: everything but how its code is loaded and called. */
export interface PluginDefinitionFields<Config> extends Omit<PluginDefinition<Config>, 'load' | 'create'> {
  /**
   * Imports the implementation module and returns its create function, with a dynamic import so
   * the module is read only when a config uses the plugin:
   * `implementation: async () => (await import('./index.ts')).createJwtPlugin`.
   */
  implementation: () => Promise<CreatePlugin<Config>>;
}

/** A plugin definition whose implementation is imported on the first `load()`. */
export function definePlugin<Config>(fields: PluginDefinitionFields<Config>): PluginDefinition<Config> {
  const { implementation, ...declared } = fields;
  const onDemand = loadOnDemand('plugin', declared.name, implementation);
  return {
    ...declared,
    load: onDemand.load,
    create: (config, dependencies) => onDemand.get()(config, dependencies),
  };
}
