import type { GatewayError } from '../errors/gateway-error.ts';
import { errors } from '../errors/catalogue.ts';
import { readUpstreamText } from '../upstream/read-body.ts';
import type { UpstreamClient, UpstreamRequest, UpstreamResponse, WholeUpstreamResponse } from '../upstream/upstream-client.ts';

/**
 * An adapter's mapping of an error status and body to the gateway error for it (its
 * map<Provider>Error with the provider name and the secrets to scrub already bound).
 */
export type UpstreamErrorMapper = (status: number, headers: Record<string, string | string[] | undefined>, bodyText: string) => GatewayError;

/** Error bodies are small; more than this is not worth holding, and is cut before mapping. */
const errorBodyLimit = 1024 * 1024;

/** A streamed call: an error status is read (up to errorBodyLimit) and thrown mapped, else the body is left to stream. */
export async function postForStream(upstream: UpstreamClient, request: UpstreamRequest, mapError: UpstreamErrorMapper): Promise<UpstreamResponse> {
  const response = await upstream.request(request);
  if (response.status >= 400) {
    const text = await readUpstreamText(response, request.provider, errorBodyLimit);
    throw mapError(response.status, response.headers, text);
  }
  if (response.status >= 300) {
    response.body.dump().catch(() => {});
    throw unexpectedStatus(request.provider, response.status);
  }
  return response;
}

/**
 * A 3xx where an answer was due: redirects are never followed (the credential would go along),
 * and a 304 or 3xx has no body to pass on, so it fails as a response the gateway cannot read
 * (retries and fallbacks apply), whatever the client's format.
 */
export function unexpectedStatus(provider: string, status: number): GatewayError {
  return errors.upstreamBadResponse(provider, `HTTP ${status} is not an answer (redirects are not followed)`);
}

/**
 * A call that is not streamed: read whole within the attempt (UpstreamClient.requestWhole, so the
 * attempt's timeouts cover the body too); an error status is thrown mapped.
 */
export async function postWhole(upstream: UpstreamClient, request: UpstreamRequest, mapError: UpstreamErrorMapper): Promise<WholeUpstreamResponse> {
  const response = await upstream.requestWhole(request);
  if (response.status >= 400) throw mapError(response.status, response.headers, response.body.toString('utf8', 0, errorBodyLimit));
  if (response.status >= 300) throw unexpectedStatus(request.provider, response.status);
  return response;
}

/** An upstream body as JSON; a body that is not JSON is the upstream's fault (upstreamBadResponse), not the client's. */
export function parseUpstreamJson<T>(text: string, provider: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw errors.upstreamBadResponse(provider, 'the body is not JSON');
  }
}

/** postWhole, then its body parsed as JSON (parseUpstreamJson). The shape is the caller's to check. */
export async function postForJson<T>(upstream: UpstreamClient, request: UpstreamRequest, mapError: UpstreamErrorMapper): Promise<T> {
  const response = await postWhole(upstream, request, mapError);
  return parseUpstreamJson<T>(response.body.toString('utf8'), request.provider);
}
