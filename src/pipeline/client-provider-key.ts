import type { Provider } from '../providers/provider.ts';
import type { RequestContext } from './context.ts';

/**
 * The client's own provider key under BYOK: `x-provider-api-key`, else a bearer token that is not a
 * gateway credential. The credential that authenticated the caller (ctx.gatewayCredential: the key
 * key-auth accepted, the JWT jwt verified) is never one, whatever its prefix or header.
 */
export function clientProviderKey(ctx: RequestContext): string | undefined {
  const dedicated = ctx.headers['x-provider-api-key'];
  if (typeof dedicated === 'string' && dedicated.trim() !== '') {
    const key = dedicated.trim();
    if (key !== ctx.gatewayCredential) return key;
  }
  const authorization = ctx.headers.authorization;
  if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return undefined;
  const token = authorization.slice(7).trim();
  return token === '' || token.startsWith('tg-') || token === ctx.gatewayCredential ? undefined : token;
}

/** BYOK is allowed by the provider's `byok: true` or, per route, by the byok plugin (ctx.byokProviders). */
export function allowsClientKey(ctx: RequestContext, provider: Provider): boolean {
  return provider.settings.byok || ctx.byokProviders?.has(provider.settings.name) === true;
}
