import { GatewayError, type ErrorType } from '../../errors/gateway-error.ts';
import { errorTypeForStatus } from '../error-type-for-status.ts';
import { withoutSecret } from '../without-secrets.ts';
import type { GeminiErrorBody } from './gemini-api.ts';

type GoogleError = NonNullable<GeminiErrorBody['error']>;

const contextLengthPattern = /token count.*exceeds|exceeds the maximum number of tokens|input context is too long|too many tokens/i;

/** Google's body is an object, or (some endpoints) an array holding one. */
function googleErrorOf(bodyText: string): GoogleError | undefined {
  try {
    let parsed: unknown = JSON.parse(bodyText);
    if (Array.isArray(parsed)) parsed = parsed[0];
    const error = (parsed as GeminiErrorBody | null)?.error;
    return error && typeof error === 'object' ? error : undefined;
  } catch {
    return undefined;
  }
}

/** "37s" / "1.5s" (google.protobuf.Duration) as whole seconds for Retry-After. */
function retryAfterOf(error: GoogleError | undefined): string | undefined {
  const delay = error?.details?.find((detail) => typeof detail.retryDelay === 'string')?.retryDelay;
  const match = delay ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return match ? String(Math.max(1, Math.ceil(Number(match[1])))) : undefined;
}

/**
 * A Gemini error ({"error":{"code","message","status","details"}}) as a GatewayError with the
 * status and OpenAI error type a client expects. An invalid key is a 400 with reason
 * API_KEY_INVALID at Google; clients (and the gateway's failover) expect 401 for it. Retry-After
 * comes from the header or from Google's RetryInfo detail. The API key never appears in the message.
 */
export function mapGeminiError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, bodyText: string, apiKey?: string): GatewayError {
  const error = googleErrorOf(bodyText);
  const googleStatus = error?.status ?? '';
  const reasons = (error?.details ?? []).map((detail) => detail.reason).filter((reason): reason is string => typeof reason === 'string');
  let message = error?.message ?? '';
  if (message === '' && bodyText.trim() !== '' && bodyText.length < 500 && !bodyText.trimStart().startsWith('<')) message = bodyText.trim();
  if (message === '') message = `Provider '${provider}' answered with HTTP ${status}.`;
  message = withoutSecret(message, apiKey);

  let httpStatus = status;
  let type: ErrorType = errorTypeForStatus(status);
  let code = googleStatus !== '' ? googleStatus.toLowerCase() : `upstream_http_${status}`;

  if (reasons.includes('API_KEY_INVALID') || googleStatus === 'UNAUTHENTICATED' || status === 401) {
    httpStatus = 401;
    type = 'authentication_error';
    code = 'invalid_api_key';
  } else if (status === 400 && contextLengthPattern.test(message)) {
    code = 'context_length_exceeded';
  } else if (status === 404 && /models\//.test(message)) {
    code = 'model_not_found';
  } else if (status === 429) {
    code = 'rate_limit_exceeded';
  }

  const kept: Record<string, string> = {};
  const retryAfter = headers['retry-after'];
  if (typeof retryAfter === 'string') kept['retry-after'] = retryAfter;
  else if (status === 429 || status === 503) {
    const fromDetails = retryAfterOf(error);
    if (fromDetails) kept['retry-after'] = fromDetails;
  }
  return new GatewayError({ status: httpStatus, type, code, message, headers: kept, upstream: true });
}
