import { z } from 'zod';
import { definePlugin } from '../../pipeline/define-plugin.ts';

/** The lowest authentication priority: it runs after every other authentication plugin. */
export const anonymousPriority = 3000;

export const anonymousConfigSchema = z
  .object({
    consumer: z.string().min(1).default('anonymous').describe('The consumer name requests without a credential run as (ctx.caller.consumer).'),
    team: z.string().min(1).optional().describe('The team they run as (ctx.caller.team).'),
    metadata: z.record(z.string(), z.string()).default({}).describe('ctx.caller.metadata, e.g. {tier: free}.'),
    allow_remote: z.boolean().default(false).describe('Allow it when the data plane listens on a non-loopback address (anyone who can reach the port gets in). Off: the config is refused.'),
  })
  .strict();

export type AnonymousConfig = z.infer<typeof anonymousConfigSchema>;

/**
 * For local development only: a request with no credential runs as a configured consumer. With
 * other authentication plugins on the route it is the last resort: their callers keep their own
 * identity, and a presented credential they refused (a wrong key, an expired token) is still
 * refused rather than let in anonymously (src/pipeline/authentication.ts).
 */
export const anonymousDefinition = definePlugin<AnonymousConfig>({
  name: 'anonymous',
  description: 'Local development only: requests without a credential run as a configured consumer.',
  priority: anonymousPriority,
  configSchema: anonymousConfigSchema,
  implementation: async () => (await import('./index.ts')).createAnonymousPlugin,
});
