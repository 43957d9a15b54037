import { GatewayError } from '../errors/gateway-error.ts';
import type { RequestContext } from './context.ts';
import type { Plugin } from './plugin.ts';

/** Plugins in this priority range are authentication plugins (key-auth, jwt, anonymous). */
export const authenticationPriority = { min: 3000, max: 3999 } as const;

export function isAuthenticationPlugin(plugin: Plugin): boolean {
  return plugin.priority >= authenticationPriority.min && plugin.priority <= authenticationPriority.max;
}

/**
 * A refusal that means "no credential was presented where I read them" (as opposed to "a
 * credential was presented and is wrong", or "one is there but not mine": unrecognizedCredential).
 * By convention such refusals are 401s whose code starts with `missing_` (key-auth's
 * `missing_api_key`, jwt's `missing_token`).
 */
export function isMissingCredential(error: GatewayError): boolean {
  return error.status === 401 && error.code.startsWith('missing_');
}

const unrecognized = new WeakSet<GatewayError>();

/**
 * Marks a refusal as "a credential was presented where I read mine, but it is not in my format"
 * (jwt given `Bearer tg-…` or `Bearer sk-…`): another authentication plugin may own it, so it
 * yields to their refusals when none accepts; but it was presented, so it is never "no
 * credential" (the anonymous plugin refuses it). Returns the error.
 */
export function unrecognizedCredential(error: GatewayError): GatewayError {
  unrecognized.add(error);
  return error;
}

export function isUnrecognizedCredential(error: GatewayError): boolean {
  return unrecognized.has(error);
}

const refusalsKey = 'authentication';

/**
 * The refusals of the authentication plugins that ran before this one on this request. The
 * anonymous plugin reads them: a presented but wrong credential must not become anonymous access.
 */
export function earlierRefusals(ctx: RequestContext): readonly GatewayError[] {
  return (ctx.state.get(refusalsKey) as GatewayError[] | undefined) ?? [];
}

/**
 * The refusal of a credential that was presented, if any was: a plugin's failure of its own
 * credential (an expired token, an unknown key) first, then a credential a plugin did not
 * recognise (jwt given `Bearer sk-…`). Undefined when every refusal says "none presented".
 */
export function presentedRefusal(refusals: readonly GatewayError[]): GatewayError | undefined {
  return refusals.find((error) => !isMissingCredential(error) && !isUnrecognizedCredential(error)) ?? refusals.find((error) => !isMissingCredential(error));
}

function combinedRefusal(refusals: GatewayError[]): GatewayError {
  // A presented credential that failed says more than "you sent none" from another plugin.
  const presented = presentedRefusal(refusals);
  if (presented) return presented;
  if (refusals.length === 1) return refusals[0];
  const [first] = refusals;
  return new GatewayError({ status: 401, type: first.type, code: first.code, message: refusals.map((error) => error.message).join(' Or: ') });
}

/**
 * THE authentication rule, in one place. When a route has several authentication plugins they run
 * as one step, in priority order, and the request is authenticated as soon as one of them accepts
 * it (returns without throwing; it has set ctx.caller). A 401 from one plugin does not end the
 * step: the next one may recognise its own credential (a JWT where key-auth saw an unknown key).
 * Only when none accepts is the request refused, with the most telling 401: a presented
 * credential's failure (expired token, unknown key), then a credential no plugin recognised
 * (`Bearer sk-…` to jwt alone), then "no credential". Any other refusal
 * (403 model_not_allowed: the caller was identified but may not do this) ends the step at once.
 * With one authentication plugin, it runs as it is.
 */
export function combineAuthentication(sorted: Plugin[]): Plugin[] {
  const authenticators = sorted.filter((plugin) => isAuthenticationPlugin(plugin) && typeof plugin.onRequest === 'function');
  if (authenticators.length < 2) return sorted;
  const combined: Plugin = {
    name: `authentication(${authenticators.map((plugin) => plugin.name).join(', ')})`,
    priority: authenticators[0].priority,
    async onRequest(ctx) {
      const refusals: GatewayError[] = [];
      ctx.state.set(refusalsKey, refusals);
      for (const plugin of authenticators) {
        try {
          await plugin.onRequest!(ctx);
          return;
        } catch (error) {
          if (!(error instanceof GatewayError) || error.status !== 401) throw error;
          refusals.push(error);
        }
      }
      throw combinedRefusal(refusals);
    },
  };
  const result: Plugin[] = [];
  for (const plugin of sorted) {
    if (plugin === authenticators[0]) result.push(combined);
    else if (!authenticators.includes(plugin)) result.push(plugin);
  }
  return result;
}
