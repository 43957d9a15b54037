import { z } from 'zod';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDefinition } from '../../pipeline/plugin.ts';

/**
 * Just after authentication, outside its range: byok does not say who calls (so it never counts as
 * an authentication plugin accepting a request), only whose provider key a request may use.
 */
export const byokPriority = 2990;

export const byokConfigSchema = z
  .object({
    providers: z
      .array(z.string().min(1))
      .min(1)
      .describe('Providers (by name) that receive the client\'s own key on these requests instead of the gateway\'s; "*" for every provider.'),
  })
  .strict();

export type ByokConfig = z.infer<typeof byokConfigSchema>;

/**
 * Bring your own key, per route (off by default): on the routes where it is enabled, a client's own
 * provider key — `x-provider-api-key`, or `Authorization: Bearer` when that is not a gateway key
 * (`tg-…`) or the JWT that authenticated the request — is sent to the listed providers instead
 * of the configured credential. It only marks the request (ctx.byokProviders); the key itself is
 * read and used when the provider is called (src/pipeline/call-provider.ts).
 */
export const byokDefinition: PluginDefinition<ByokConfig> = {
  name: 'byok',
  description: "Per route: send the client's own provider key (x-provider-api-key or a non-gateway Bearer) to the listed providers.",
  priority: byokPriority,
  configSchema: byokConfigSchema,
  create(config, { logger }): Plugin {
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
  },
};

/** A set that contains every name, for providers: ["*"]. */
const everyProviderSet: ReadonlySet<string> = new (class extends Set<string> {
  override has(): boolean {
    return true;
  }
})();
