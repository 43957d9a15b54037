import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
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
      const refusal = gatewayKeyAsProviderKey(ctx);
      if (refusal !== null) throw refusal;
      ctx.byokProviders = everyProvider ? everyProviderSet : providers;
    },
  };
}

/**
 * A gateway key (`tg-…`) in `x-provider-api-key` is no provider key: sent upstream it would hand
 * a caller's Tollgate key (perhaps another consumer's) to the provider (audit sec3, finding 6).
 * Refused with 400 naming the header, before anything is called, whether or not it is the key
 * that authenticated the request; `Authorization: Bearer tg-…` is never read as one at all.
 */
function gatewayKeyAsProviderKey(ctx: RequestContext): GatewayError | null {
  const header = ctx.headers['x-provider-api-key'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !value.trim().startsWith('tg-')) return null;
  return errors.invalidRequest("The x-provider-api-key header holds a Tollgate gateway key (tg-...); it takes your provider's own key. Send the gateway key in Authorization: Bearer or x-api-key instead.", 'x-provider-api-key');
}

/** A set that contains every name, for providers: ["*"]. */
const everyProviderSet: ReadonlySet<string> = new (class extends Set<string> {
  override has(): boolean {
    return true;
  }
})();
