import { azureResourceUrl, azureV1ApiVersion } from '../azure/azure-url.ts';

/**
 * The first dated Azure api-version with the Responses API (`/openai/responses?api-version=…`,
 * Microsoft's "Azure OpenAI Responses API" how-to and API lifecycle page). Older dated versions
 * have no Responses API, so their providers use the version-less v1 API for it.
 */
const firstAzureResponsesVersion = '2025-03-01';

/** Where an OpenAI or Azure provider serves the Responses API; `suffix` is what follows `/responses` (`/resp_1/cancel`). */
export interface ResponsesEndpoint {
  url(suffix: string, query?: string): string;
}

/** OpenAI: `{base_url}/responses` (base_url ends in `/v1`). */
export function openAIResponsesEndpoint(baseUrl: string): ResponsesEndpoint {
  const base = baseUrl.replace(/\/+$/, '');
  return { url: (suffix, query) => withQuery(`${base}/responses${suffix}`, query) };
}

/**
 * Azure OpenAI: the Responses API is not deployment-based (the deployment is the body's `model`).
 * `api_version: v1`, and dated versions before the Responses API (the default 2024-10-21), use the
 * GA v1 API, `{endpoint}/openai/v1/responses`; a dated version from 2025-03-01-preview on uses
 * `{endpoint}/openai/responses?api-version=<version>`, as Azure's preview reference has it;
 * `preview` is the v1 API's preview (`/openai/v1/responses?api-version=preview`).
 */
export function azureResponsesEndpoint(endpoint: string, apiVersion: string): ResponsesEndpoint {
  const resource = azureResourceUrl(endpoint);
  if (apiVersion === azureV1ApiVersion || apiVersion.slice(0, 10) < firstAzureResponsesVersion) {
    return { url: (suffix, query) => withQuery(`${resource}/openai/v1/responses${suffix}`, query) };
  }
  // The v1 API's preview features (`api-version=preview`).
  if (apiVersion === 'preview') return { url: (suffix, query) => `${resource}/openai/v1/responses${suffix}?api-version=preview${query ? `&${query}` : ''}` };
  const version = `api-version=${encodeURIComponent(apiVersion)}`;
  return { url: (suffix, query) => `${resource}/openai/responses${suffix}?${version}${query ? `&${query}` : ''}` };
}

function withQuery(url: string, query: string | undefined): string {
  return query ? `${url}?${query}` : url;
}
