import { definePlugin } from '../../pipeline/define-plugin.ts';
import { keyAuthConfigSchema, type KeyAuthConfig } from './key-auth-config.ts';

/** Authentication range (3000-3999), below jwt (3150). */
export const keyAuthPriority = 3100;

/**
 * Authenticates a request by a Tollgate key: SHA-256 of the presented secret, then one Map
 * lookup in memory (keys declared in the config first, then the identity cache of the store).
 */
export const keyAuthDefinition = definePlugin<KeyAuthConfig>({
  name: 'key-auth',
  description: 'Authenticates clients by Tollgate virtual keys (Authorization: Bearer, x-api-key, api-key).',
  priority: keyAuthPriority,
  configSchema: keyAuthConfigSchema,
  implementation: async () => (await import('./index.ts')).createKeyAuthPlugin,
});
