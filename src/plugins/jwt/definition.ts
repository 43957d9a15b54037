import { definePlugin } from '../../pipeline/define-plugin.ts';
import { jwtConfigSchema, type JwtConfig } from './jwt-config.ts';

/**
 * Authentication range, just above key-auth (3100). With both enabled either may accept
 * (src/pipeline/authentication.ts); jwt goes first because it recognises only JWT-shaped tokens,
 * so when a presented JWT fails, its reason ("expired") is the one the client sees rather than
 * key-auth's "unknown key" for the same Bearer.
 */
export const jwtPriority = 3150;

/**
 * Authenticates clients by a signed JWT (HS256, RS256, ES256) from a static secret or public key,
 * or a JWKS endpoint, checking signature, exp/nbf (with clock tolerance), issuer and audience; then
 * maps claims to ctx.caller (consumer, team, tier, metadata). See README.md in this folder. Its
 * code (and jose) is loaded only by a config that enables it.
 */
export const jwtDefinition = definePlugin<JwtConfig>({
  name: 'jwt',
  description: 'Authenticates clients by a signed JWT (HS256/RS256/ES256; secret, public key or JWKS) and maps its claims to the consumer.',
  priority: jwtPriority,
  configSchema: jwtConfigSchema,
  implementation: async () => (await import('./index.ts')).createJwtPlugin,
});
