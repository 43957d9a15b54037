import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { modelPathSegment } from '../../canonical/model-name.ts';
import { operationPaths } from '../openai/openai-provider.ts';

/** The api_version value that selects Azure's version-less v1 API (`/openai/v1/...`). */
export const azureV1ApiVersion = 'v1';

/**
 * The resource endpoint without trailing slashes or a trailing `/openai`, so both
 * `https://res.openai.azure.com/` and `https://res.openai.azure.com/openai` work.
 */
export function azureResourceUrl(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/openai$/, '');
}

/** The answer to a call to an azure provider with no resource endpoint (the provider's own calls and native Responses alike). */
export function azureEndpointMissing(provider: string): GatewayError {
  return errors.providerNotConfigured(`Provider '${provider}' has no endpoint: set AZURE_OPENAI_ENDPOINT or providers.${provider}.base_url (https://<resource>.openai.azure.com).`);
}

/**
 * The URL of one call. Deployment-style URLs put the deployment (the client's model name) in the
 * path (one percent-encoded segment; `.` and `..` are refused) and the api-version in the query;
 * the v1 API takes the deployment from the body's `model`.
 */
export function azureUrl(resourceUrl: string, operation: Operation, deployment: string, apiVersion: string): string {
  if (apiVersion === azureV1ApiVersion) return `${resourceUrl}/openai/v1${operationPaths[operation]}`;
  return `${resourceUrl}/openai/deployments/${modelPathSegment(deployment)}${operationPaths[operation]}?api-version=${encodeURIComponent(apiVersion)}`;
}
