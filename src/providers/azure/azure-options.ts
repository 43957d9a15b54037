import { z } from 'zod';
import { ConfigError, formatIssues } from '../../config/format-issues.ts';
import { takesNewChatParameters } from './azure-api-version.ts';

/**
 * The newest dated GA version of the Azure OpenAI data-plane inference API (Microsoft's API
 * lifecycle page; later dated versions are previews, and the version-less `v1` API is opt-in).
 */
export const defaultAzureApiVersion = '2024-10-21';

/** `options:` of an azure provider entry. */
export const azureOptionsSchema = z
  .object({
    api_version: z
      .string()
      .min(1)
      .optional()
      .describe(`Azure OpenAI api-version query value (default ${defaultAzureApiVersion}); "v1" selects the version-less /openai/v1 API.`),
    auth: z.enum(['api-key', 'entra']).default('api-key').describe('api-key sends the key as `api-key`; entra sends api_key as a Microsoft Entra ID bearer token.'),
    azure_ad_token: z.string().min(1).optional().describe('A Microsoft Entra ID access token sent as `Authorization: Bearer` (instead of api_key).'),
    // Read by the OpenAI passthrough through AzureOptions.streamUsage. Azure takes stream_options from api-version 2024-09-01-preview (GA 2024-10-21) on.
    stream_usage: z
      .boolean()
      .optional()
      .describe('Whether streams ask for usage with stream_options.include_usage; default: yes from api-version 2024-09-01-preview (GA 2024-10-21) and v1 on, no for older versions, which reject stream_options.'),
  })
  .strict();

export interface AzureOptions {
  apiVersion: string;
  /** How the credential travels: the `api-key` header or an Entra ID bearer token. */
  auth: 'api-key' | 'entra';
  /** A configured Entra ID token; used when the call brings no credential of its own. */
  adToken: string | undefined;
  /** Whether a stream the client opened without usage asks for it (`stream_options`): `stream_usage`, else whether the api-version takes stream_options. */
  streamUsage: boolean;
}

/** Validates an azure entry's options once, at config load; mistakes become ConfigError lines. */
export function parseAzureOptions(providerName: string, options: Record<string, unknown>, hasApiKey: boolean): AzureOptions {
  const parsed = azureOptionsSchema.safeParse(options);
  if (!parsed.success) throw new ConfigError(`provider '${providerName}'`, formatIssues(parsed.error.issues, ['providers', providerName, 'options']));
  const { api_version: configuredVersion, auth, azure_ad_token: adToken, stream_usage: streamUsage } = parsed.data;
  const apiVersion = configuredVersion ?? defaultAzureApiVersion;
  if (adToken !== undefined && hasApiKey) {
    throw new ConfigError(`provider '${providerName}'`, [`providers.${providerName}.options.azure_ad_token: set either api_key or options.azure_ad_token, not both`]);
  }
  return { apiVersion, auth: adToken !== undefined ? 'entra' : auth, adToken, streamUsage: streamUsage ?? takesNewChatParameters(apiVersion) };
}
