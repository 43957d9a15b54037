import type { Operation } from '../../canonical/operation.ts';
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

/**
 * The URL of one call. Deployment-style URLs put the deployment (the client's model name) in the
 * path (one percent-encoded segment; `.` and `..` are refused) and the api-version in the query;
 * the v1 API takes the deployment from the body's `model`.
 */
export function azureUrl(resourceUrl: string, operation: Operation, deployment: string, apiVersion: string): string {
  if (apiVersion === azureV1ApiVersion) return `${resourceUrl}/openai/v1${operationPaths[operation]}`;
  return `${resourceUrl}/openai/deployments/${modelPathSegment(deployment)}${operationPaths[operation]}?api-version=${encodeURIComponent(apiVersion)}`;
}
