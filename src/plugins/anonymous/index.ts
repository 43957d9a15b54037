import { configConsumerId } from '../../identity/consumer-identity.ts';
import { configTeamId } from '../../identity/team-identity.ts';
import type { Caller, RequestContext } from '../../pipeline/context.ts';
import { earlierRefusals, presentedRefusal } from '../../pipeline/authentication.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { anonymousPriority, type AnonymousConfig } from './definition.ts';
import { isLoopbackHost } from '../../server/loopback-host.ts';

/** The anonymous plugin's instance (definition.ts); refused on a listener others can reach unless allow_remote. */
export function createAnonymousPlugin(config: AnonymousConfig, { logger, serverHost }: PluginDependencies): Plugin {
  const host = serverHost ?? '0.0.0.0';
  if (!isLoopbackHost(host) && !config.allow_remote) {
    throw new Error(`the anonymous plugin lets anyone call without a credential, and the data plane listens on ${host}, which is not a loopback address. Set server.host to 127.0.0.1 for local development, or allow_remote: true if you really mean it.`);
  }
  const caller: Caller = { consumer: config.consumer, consumerId: configConsumerId(config.consumer), team: config.team, teamId: config.team === undefined ? undefined : configTeamId(config.team), metadata: { ...config.metadata, anonymous: 'true' } };
  return {
    name: 'anonymous',
    priority: anonymousPriority,
    // Once the config is in effect: a reload refused for another problem must not claim it is on.
    announce() {
      logger.warn(
        { consumer: config.consumer, host, allow_remote: config.allow_remote },
        `ANONYMOUS ACCESS IS ON: requests without a credential run as consumer "${config.consumer}". For local development only; remove plugins.anonymous before exposing this gateway.`,
      );
    },
    onRequest(ctx: RequestContext) {
      // Only a request with no credential at all runs anonymously: one an earlier plugin refused
      // (a wrong key, a damaged or expired token) or did not recognise (`Bearer sk-…` beside jwt
      // alone) is refused with its 401.
      const refused = presentedRefusal(earlierRefusals(ctx));
      if (refused) throw refused;
      ctx.caller = { ...caller, metadata: { ...caller.metadata } };
    },
  };
}
