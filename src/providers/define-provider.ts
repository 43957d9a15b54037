import { loadOnDemand } from '../pipeline/load-on-demand.ts';
import type { CreateProvider, ProviderDefinition } from './provider.ts';

/** What a provider's definition.ts declares: everything but how its adapter is loaded and called. */
export interface ProviderDefinitionFields extends Omit<ProviderDefinition, 'load' | 'create'> {
  /**
   * Imports the adapter module and returns how to make an instance, with a dynamic import so the
   * module is read only when a config uses the type:
   * `implementation: async () => { const { AnthropicProvider } = await import('./anthropic-provider.ts'); return (settings, dependencies) => new AnthropicProvider(settings, dependencies); }`.
   */
  implementation: () => Promise<CreateProvider>;
}

/** A provider definition whose adapter is imported on the first `load()`. */
export function defineProvider(fields: ProviderDefinitionFields): ProviderDefinition {
  const { implementation, ...declared } = fields;
  const onDemand = loadOnDemand('provider type', declared.type, implementation);
  return {
    ...declared,
    load: onDemand.load,
    create: (settings, dependencies) => onDemand.get()(settings, dependencies),
  };
}
