import { isIP } from 'node:net';
import { z } from 'zod';
import type { Caller, RequestContext } from '../../pipeline/context.ts';
import { earlierRefusals, isMissingCredential } from '../../pipeline/authentication.ts';
import type { Plugin, PluginDefinition } from '../../pipeline/plugin.ts';

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

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || (bare.startsWith('::ffff:') && bare.slice(7).startsWith('127.'));
  return false;
}

/**
 * For local development only: a request with no credential runs as a configured consumer. With
 * other authentication plugins on the route it is the last resort: their callers keep their own
 * identity, and a presented credential they refused (a wrong key, an expired token) is still
 * refused rather than let in anonymously (src/pipeline/authentication.ts).
 */
export const anonymousDefinition: PluginDefinition<AnonymousConfig> = {
  name: 'anonymous',
  description: 'Local development only: requests without a credential run as a configured consumer.',
  priority: anonymousPriority,
  configSchema: anonymousConfigSchema,
  create(config, { logger, serverHost }): Plugin {
    const host = serverHost ?? '0.0.0.0';
    if (!isLoopbackHost(host) && !config.allow_remote) {
      throw new Error(`the anonymous plugin lets anyone call without a credential, and the data plane listens on ${host}, which is not a loopback address. Set server.host to 127.0.0.1 for local development, or allow_remote: true if you really mean it.`);
    }
    logger.warn(
      { consumer: config.consumer, host, allow_remote: config.allow_remote },
      `ANONYMOUS ACCESS IS ON: requests without a credential run as consumer "${config.consumer}". For local development only; remove plugins.anonymous before exposing this gateway.`,
    );
    const caller: Caller = { consumer: config.consumer, team: config.team, metadata: { ...config.metadata, anonymous: 'true' } };
    return {
      name: 'anonymous',
      priority: anonymousPriority,
      onRequest(ctx: RequestContext) {
        const refused = earlierRefusals(ctx).find((error) => !isMissingCredential(error));
        if (refused) throw refused;
        ctx.caller = { ...caller, metadata: { ...caller.metadata } };
      },
    };
  },
};
