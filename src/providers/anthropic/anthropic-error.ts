import { GatewayError, type ErrorType, type GatewayErrorInit } from '../../errors/gateway-error.ts';
import { anthropicErrorTypeByStatus, type AnthropicErrorObject } from './anthropic-api.ts';
import { withoutSecret } from '../without-secrets.ts';
import { AnthropicUpstreamError } from './anthropic-upstream-error.ts';

/**
 * Anthropic error type -> the status it comes with and the OpenAI error type a client expects; the
 * `code` is Anthropic's type unless `code` names another: a 429 is `rate_limit_exceeded`, the code
 * OpenAI and the gateway's other providers (Bedrock, Gemini, Vertex, Cohere, Ollama) give it, so a
 * client can branch on it whichever provider answered.
 */
const byAnthropicType: Record<string, { status: number; type: ErrorType; code?: string }> = {
  invalid_request_error: { status: 400, type: 'invalid_request_error' },
  authentication_error: { status: 401, type: 'authentication_error' },
  billing_error: { status: 402, type: 'permission_error' },
  permission_error: { status: 403, type: 'permission_error' },
  not_found_error: { status: 404, type: 'not_found_error' },
  request_too_large: { status: 413, type: 'invalid_request_error' },
  rate_limit_error: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  api_error: { status: 500, type: 'api_error' },
  timeout_error: { status: 504, type: 'timeout_error' },
  // 529 is Anthropic's own status; clients and retry logic understand 503.
  overloaded_error: { status: 503, type: 'api_error' },
};

const keptHeaderPrefixes = ['anthropic-ratelimit-'];

/**
 * Headers an Anthropic-format client also gets: Anthropic's `request-id` (the SDKs' `_request_id`,
 * what Anthropic's support asks for) and `x-should-retry`, which the SDKs obey before their own
 * status rules. OpenAI-format clients get no `request-id` (their SDKs take `x-request-id`, the
 * gateway's); on an error they get `x-should-retry` too (mapAnthropicError), as the OpenAI SDKs obey it as well.
 */
const anthropicClientHeaders = new Set(['request-id', 'x-should-retry']);

/** Anthropic's rate-limit headers and Retry-After, worth passing to the client; for an Anthropic-format client also request-id and x-should-retry. */
export function keptAnthropicHeaders(headers: Record<string, string | string[] | undefined>, forAnthropicClient = false): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') continue;
    if (name === 'retry-after' || keptHeaderPrefixes.some((prefix) => name.startsWith(prefix)) || (forAnthropicClient && anthropicClientHeaders.has(name))) kept[name] = value;
  }
  return kept;
}

function errorInit(provider: string, anthropicType: string, message: string, status: number, headers: Record<string, string>): GatewayErrorInit {
  const known = byAnthropicType[anthropicType];
  const finalStatus = status === 529 ? 503 : status;
  const type: ErrorType = known?.type ?? (finalStatus >= 500 ? 'upstream_error' : 'invalid_request_error');
  const promptTooLong = finalStatus === 400 && /prompt is too long/i.test(message);
  return {
    status: finalStatus,
    type,
    code: promptTooLong ? 'context_length_exceeded' : (known?.code ?? anthropicType),
    param: promptTooLong ? 'messages' : null,
    message: message === '' ? `Provider '${provider}' answered with HTTP ${status}.` : message,
    headers,
    upstream: true,
  };
}

export interface AnthropicErrorOptions {
  /** The client speaks Anthropic's format: it gets Anthropic's own status, body and request headers (AnthropicUpstreamError). */
  forAnthropicClient?: boolean;
}

/** An Anthropic error response (`{"type":"error","error":{"type","message"}}`) as a GatewayError. */
export function mapAnthropicError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, bodyText: string, apiKey?: string, options: AnthropicErrorOptions = {}): GatewayError {
  let anthropicType = anthropicErrorTypeByStatus[status] ?? `upstream_http_${status}`;
  let message = '';
  let isAnthropicBody = false;
  try {
    const parsed = JSON.parse(bodyText) as { type?: unknown; error?: { type?: unknown; message?: unknown } };
    if (typeof parsed.error?.type === 'string' && parsed.error.type !== '') anthropicType = parsed.error.type;
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
    isAnthropicBody = parsed.type === 'error' && typeof parsed.error === 'object' && parsed.error !== null;
  } catch {
    // A proxy's HTML page or plain text: keep short plain text, never markup.
    const trimmed = bodyText.trim();
    if (trimmed.length > 0 && trimmed.length < 500 && !trimmed.startsWith('<')) message = trimmed;
  }
  const forAnthropicClient = options.forAnthropicClient === true;
  const kept = keptAnthropicHeaders(headers, forAnthropicClient);
  // The provider's retry advice reaches every client's SDK (advise-retry.ts overrides it where the gateway already retried).
  const shouldRetry = headers['x-should-retry'];
  if (typeof shouldRetry === 'string') kept['x-should-retry'] = shouldRetry;
  const init = errorInit(provider, anthropicType, withoutSecret(message, apiKey), status, kept);
  // Only Anthropic's own error bodies go back as they came; anything else is rendered by the gateway.
  if (forAnthropicClient && isAnthropicBody) {
    const scrubbed = withoutSecret(bodyText, apiKey);
    if (!decodedHolds(scrubbed, apiKey)) return new AnthropicUpstreamError(init, status, scrubbed);
  }
  return new GatewayError(init);
}

/** True when the key is still in the body once JSON escapes (`\u002d`, `\/`) are read: such a body is not passed on. */
function decodedHolds(jsonText: string, secret: string | undefined): boolean {
  if (!secret || secret.length < 4) return false;
  try {
    return JSON.stringify(JSON.parse(jsonText)).includes(secret);
  } catch {
    return true;
  }
}

/**
 * The status Anthropic gives an error type outside a stream: what an in-stream `error` event
 * stands for (its streaming reference: an overloaded_error there "would normally correspond to an
 * HTTP 529"). 502 for a type this does not know.
 */
export function anthropicStatusOfErrorType(anthropicType: string): number {
  if (anthropicType === 'overloaded_error') return 529;
  return byAnthropicType[anthropicType]?.status ?? 502;
}

/**
 * An `error` event inside a stream (the HTTP status was already 200): the status follows the
 * error type. For an Anthropic-format client, `eventData` (the event's JSON as sent) makes it
 * Anthropic's own error, with the status the type stands for (529 for overloaded_error), should
 * it still reach the client as an HTTP error (before the first byte).
 */
export function mapAnthropicStreamError(provider: string, error: AnthropicErrorObject | undefined, apiKey?: string, forAnthropicClient?: { eventData: string; headers: Record<string, string | string[] | undefined> }): GatewayError {
  const anthropicType = typeof error?.type === 'string' && error.type !== '' ? error.type : 'api_error';
  if (forAnthropicClient) return mapAnthropicError(provider, anthropicStatusOfErrorType(anthropicType), forAnthropicClient.headers, forAnthropicClient.eventData, apiKey, { forAnthropicClient: true });
  const status = byAnthropicType[anthropicType]?.status ?? 502;
  const message = typeof error?.message === 'string' ? error.message : '';
  return new GatewayError(errorInit(provider, anthropicType, withoutSecret(message, apiKey), status, {}));
}
