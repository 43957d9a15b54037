import { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.ts';
import { MissingMasterKeyError, type CredentialCache } from '../identity/credential-cache.ts';
import { adminErrors } from '../errors/admin-errors.ts';
import { idParams } from './admin-schemas.ts';
import type { RunningConfigView } from './config-routes.ts';
import type { AdminRouteTable } from './route-table.ts';

const credentialBody = z
  .object({
    api_key: z
      .string()
      .min(1)
      .max(16_384)
      // It goes into an HTTP header: a line break or a control character would break every call to the provider.
      .regex(/^[\x21-\x7e]+$/, 'a credential is printable ASCII without spaces or line breaks (it is sent in an HTTP header)')
      .describe('The provider credential. Write-only: no answer of any API ever contains it again.'),
  })
  .strict();

const credentialState = z.object({
  provider: z.string(),
  has_credential: z.literal(true),
  credential_source: z.literal('store'),
  key_id: z.string().describe('Which master key encrypted it: the first 8 hex digits of the SHA-256 of TOLLGATE_MASTER_KEY.'),
  created_at: z.string(),
  updated_at: z.string(),
});

const credentialDeleted = z.object({ provider: z.string(), deleted: z.literal(true) });

function masterKeyMissing(error: MissingMasterKeyError): GatewayError {
  return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'master_key_missing', message: error.message });
}

/**
 * PUT/DELETE /providers/{id}/credential: a provider's credential kept in the store, encrypted with
 * AES-256-GCM under TOLLGATE_MASTER_KEY. It overrides the config's api_key and the environment's
 * key without a restart: on this node (all its workers, through `refreshSiblings`) before the
 * answer, on every other node within about a second. Write-only: answers say only that
 * a credential is set (GET /providers shows has_credential); the audit log records the change
 * without the value. The provider itself stays declared in the YAML.
 */
export function addCredentialRoutes(table: AdminRouteTable, credentials: CredentialCache, running: RunningConfigView | undefined, refreshSiblings?: () => Promise<void>): void {
  const requireProvider = (name: string) => {
    if (running && ![...running.providers()].some((settings) => settings.name === name)) throw adminErrors.notFound('provider', name);
  };
  table.add({
    method: 'PUT', path: '/providers/:id/credential', summary: "Set (or replace) a provider's credential, stored encrypted; write-only", tag: 'providers', access: 'write', params: idParams, body: credentialBody,
    response: { status: 200, description: 'The credential is stored and in effect; the value is not returned.', schema: credentialState },
    handle: async ({ params, body, actor }) => {
      requireProvider(params.id);
      try {
        const saved = await credentials.put(params.id, body.api_key, actor);
        await refreshSiblings?.();
        return { provider: saved.provider, has_credential: true, credential_source: 'store', key_id: saved.key_id, created_at: saved.created_at, updated_at: saved.updated_at };
      } catch (error) {
        if (error instanceof MissingMasterKeyError) throw masterKeyMissing(error);
        throw error;
      }
    },
  });
  table.add({
    method: 'DELETE', path: '/providers/:id/credential', summary: "Remove a provider's stored credential (the config's or environment's key applies again)", tag: 'providers', access: 'write', params: idParams,
    response: { status: 200, description: 'Removed.', schema: credentialDeleted },
    handle: async ({ params, actor }) => {
      if (!(await credentials.delete(params.id, actor))) throw adminErrors.notFound('stored credential for provider', params.id);
      await refreshSiblings?.();
      return { provider: params.id, deleted: true };
    },
  });
}
