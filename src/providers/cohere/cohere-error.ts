import { GatewayError, type ErrorType } from '../../errors/gateway-error.ts';
import { withoutSecret } from '../without-secrets.ts';
import type { CohereErrorBody } from './cohere-api.ts';

/** Cohere's status -> the status, OpenAI error type and code a client expects. */
const byStatus: Record<number, { status: number; type: ErrorType; code: string }> = {
  400: { status: 400, type: 'invalid_request_error', code: 'invalid_request' },
  401: { status: 401, type: 'authentication_error', code: 'invalid_api_key' },
  // Payment required: Cohere's billing refusal, kept as 402 (what Anthropic's billing_error maps to as well).
  402: { status: 402, type: 'permission_error', code: 'insufficient_quota' },
  403: { status: 403, type: 'permission_error', code: 'permission_denied' },
  404: { status: 404, type: 'not_found_error', code: 'not_found' },
  413: { status: 413, type: 'invalid_request_error', code: 'request_too_large' },
  422: { status: 422, type: 'invalid_request_error', code: 'invalid_request' },
  429: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  // Cohere's "invalid token" (an invalid, revoked or blocked key): the 401 clients and failover understand.
  498: { status: 401, type: 'authentication_error', code: 'invalid_api_key' },
  // Cohere cancelled the request. 499 means "the client went away" inside the gateway (no
  // fallback), which is not what happened here, so it is reported as an upstream failure.
  499: { status: 502, type: 'upstream_error', code: 'upstream_request_cancelled' },
  500: { status: 500, type: 'upstream_error', code: 'upstream_server_error' },
  501: { status: 501, type: 'upstream_error', code: 'upstream_not_implemented' },
  503: { status: 503, type: 'upstream_error', code: 'upstream_unavailable' },
  504: { status: 504, type: 'timeout_error', code: 'upstream_timeout' },
};

/**
 * "too many tokens: total number of tokens in the prompt cannot exceed ..." and "size limit
 * exceeded by N tokens" are the prompt not fitting; "too many tokens: max tokens must be less
 * than ..." is max_tokens set too high, which a bigger-context fallback would not fix.
 */
const contextLengthPattern = /too many tokens|size limit exceeded|context (length|window)|exceeds? the (maximum|model's) (context|number of tokens)/i;
const maxTokensPattern = /max[_ ]tokens must be/i;

function messageOf(bodyText: string): string {
  try {
    const parsed = JSON.parse(bodyText) as CohereErrorBody | null;
    if (typeof parsed?.message === 'string') return parsed.message;
  } catch {
    // A proxy's page or plain text: below.
  }
  const trimmed = bodyText.trim();
  // Short plain text is kept; markup (a proxy's HTML page) never is.
  return trimmed.length > 0 && trimmed.length < 500 && !trimmed.startsWith('<') ? trimmed : '';
}

/**
 * A Cohere error response (`{"message": "..."}`, status 400-504) as a GatewayError (`upstream:
 * true`) with Cohere's message, the API key redacted should it ever appear in it. Retry-After is
 * kept when Cohere sends it (429, 503). A prompt over the context window is
 * `context_length_exceeded`, which the router's fallback_on acts on; a 404 naming a model is
 * `model_not_found`.
 */
export function mapCohereError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, bodyText: string, apiKey?: string): GatewayError {
  const known = byStatus[status];
  let message = withoutSecret(messageOf(bodyText), apiKey);
  if (message === '') message = `Provider '${provider}' answered with HTTP ${status}.`;
  const httpStatus = known?.status ?? status;
  const type: ErrorType = known?.type ?? (status >= 500 ? 'upstream_error' : 'invalid_request_error');
  let code = known?.code ?? `upstream_http_${status}`;
  let param: string | null = null;
  if (httpStatus === 400 && contextLengthPattern.test(message) && !maxTokensPattern.test(message)) {
    code = 'context_length_exceeded';
    param = 'messages';
  } else if (status === 404 && /model/i.test(message)) {
    code = 'model_not_found';
    param = 'model';
  }
  const kept: Record<string, string> = {};
  const retryAfter = headers['retry-after'];
  if (typeof retryAfter === 'string' && retryAfter !== '') kept['retry-after'] = retryAfter;
  return new GatewayError({ status: httpStatus, type, code, param, message, headers: kept, upstream: true });
}
