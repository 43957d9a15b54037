import type { AzureOptions } from './azure-options.ts';

/**
 * The auth header of one call: a key travels as `api-key`, an Entra ID token as
 * `Authorization: Bearer`. The call's credential (configured key or the client's own under BYOK)
 * wins over a configured `azure_ad_token`. Returns null when there is nothing to send.
 */
export function azureAuthHeader(options: AzureOptions, callCredential: string | undefined): Record<string, string> | null {
  const credential = callCredential ?? options.adToken;
  if (credential === undefined) return null;
  return options.auth === 'entra' ? { authorization: `Bearer ${credential}` } : { 'api-key': credential };
}
