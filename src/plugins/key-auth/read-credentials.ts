import type { IncomingHttpHeaders } from 'node:http';

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * The credentials a client may have sent, in the order they are tried: `Authorization: Bearer`
 * (OpenAI SDKs), `x-api-key` (Anthropic SDKs), `api-key` (Azure OpenAI SDKs). Several can be
 * present at once, e.g. a BYOK provider key as Bearer and the gateway key in x-api-key.
 */
export function readCredentials(headers: IncomingHttpHeaders): string[] {
  const found: string[] = [];
  const authorization = single(headers.authorization);
  if (authorization && /^bearer\s+/i.test(authorization)) {
    const token = authorization.replace(/^bearer\s+/i, '');
    if (token) found.push(token);
  }
  const apiKeyHeader = single(headers['x-api-key']);
  if (apiKeyHeader) found.push(apiKeyHeader);
  const azureHeader = single(headers['api-key']);
  if (azureHeader) found.push(azureHeader);
  return found;
}
