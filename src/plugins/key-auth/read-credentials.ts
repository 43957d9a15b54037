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

/**
 * Whether the client sent anything where credentials are read, even what readCredentials cannot
 * use (`Authorization: Basic …`, `Token …`, a key without `Bearer `). Such a request presented a
 * credential, only a wrong one: it is refused as an unknown key, never taken for "no credential",
 * which the anonymous plugin would let in as its consumer (audit sec3, finding 3). A bare
 * `Bearer` with nothing after it is what an SDK sends with an empty API key: no credential.
 */
export function presentsCredential(headers: IncomingHttpHeaders): boolean {
  const authorization = single(headers.authorization);
  const emptyBearer = authorization !== undefined && /^bearer$/i.test(authorization);
  return (authorization !== undefined && !emptyBearer) || single(headers['x-api-key']) !== undefined || single(headers['api-key']) !== undefined;
}
