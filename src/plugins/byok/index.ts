import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { byokPriority, type ByokConfig } from './definition.ts';

/** The byok plugin's instance: marks which providers get the client's key on this route (definition.ts). */
export function createByokPlugin(config: ByokConfig, { logger }: PluginDependencies): Plugin {
  const everyProvider = config.providers.includes('*');
  const providers: ReadonlySet<string> = everyProvider ? new Set() : new Set(config.providers);
  if (everyProvider) logger.info('byok: clients may bring their own key for every provider on the routes where byok is enabled');
  return {
    name: 'byok',
    priority: byokPriority,
    onRequest(ctx: RequestContext) {
      ctx.byokProviders = everyProvider ? everyProviderSet : providers;
    },
  };
}

/** A set that contains every name, for providers: ["*"]. */
const everyProviderSet: ReadonlySet<string> = new (class extends Set<string> {
  override has(): boolean {
    return true;
  }
})();
