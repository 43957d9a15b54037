import { z } from 'zod';
import { definePlugin } from '../../pipeline/define-plugin.ts';

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
export const byokDefinition = definePlugin<ByokConfig>({
  name: 'byok',
  description: "Per route: send the client's own provider key (x-provider-api-key or a non-gateway Bearer) to the listed providers.",
  priority: byokPriority,
  configSchema: byokConfigSchema,
  implementation: async () => (await import('./index.ts')).createByokPlugin,
});
