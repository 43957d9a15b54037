import { GatewayError, type ErrorType } from '../../errors/gateway-error.ts';
import { errorTypeForStatus } from '../error-type-for-status.ts';
import { withoutSecrets } from '../without-secrets.ts';
import type { BedrockErrorBody } from './bedrock-api.ts';

interface ErrorMapping {
  status: number;
  type: ErrorType;
  code: string;
}

/** The status comes with the wrong credential class of errors AWS sends as 403: clients and failover expect 401. */
const badCredential: ErrorMapping = { status: 401, type: 'authentication_error', code: 'invalid_api_key' };

/**
 * Bedrock's error type (x-amzn-ErrorType, or an exception event's :exception-type) -> the status
 * and OpenAI error type a client expects. ModelErrorException and ModelStreamErrorException (424:
 * the model failed) read as 502 so retries and fallbacks treat them as the upstream failure they are.
 */
const byBedrockType: Record<string, ErrorMapping> = {
  ValidationException: { status: 400, type: 'invalid_request_error', code: 'invalid_request' },
  AccessDeniedException: { status: 403, type: 'permission_error', code: 'access_denied' },
  UnrecognizedClientException: badCredential,
  InvalidSignatureException: badCredential,
  IncompleteSignatureException: badCredential,
  MissingAuthenticationTokenException: badCredential,
  ExpiredTokenException: { ...badCredential, code: 'expired_token' },
  ResourceNotFoundException: { status: 404, type: 'not_found_error', code: 'model_not_found' },
  ThrottlingException: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  ModelNotReadyException: { status: 429, type: 'rate_limit_error', code: 'model_not_ready' },
  ServiceQuotaExceededException: { status: 429, type: 'rate_limit_error', code: 'insufficient_quota' },
  ModelTimeoutException: { status: 408, type: 'timeout_error', code: 'model_timeout' },
  ModelErrorException: { status: 502, type: 'upstream_error', code: 'model_error' },
  ModelStreamErrorException: { status: 502, type: 'upstream_error', code: 'model_stream_error' },
  InternalServerException: { status: 500, type: 'upstream_error', code: 'internal_server_error' },
  ServiceUnavailableException: { status: 503, type: 'upstream_error', code: 'service_unavailable' },
};

/**
 * What a ValidationException says when the prompt does not fit the model's context window,
 * including Claude's "input length and `max_tokens` exceed context limit: 187254 + 20000 > 200000".
 */
const contextLengthPattern = /input is too long|too many (input )?tokens|prompt is too long|exceeds? the (maximum|model'?s?) (context|input)|context (length|window)|exceed(s|ed)? (the )?context limit/i;

/** `ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/` -> `ValidationException`; event names are lowerCamel. */
export function bedrockErrorName(raw: string | undefined): string {
  const name = (raw ?? '').split(':')[0].trim();
  return name === '' ? '' : name[0].toUpperCase() + name.slice(1);
}

function messageOf(bodyText: string): string {
  try {
    const parsed = JSON.parse(bodyText) as BedrockErrorBody | null;
    const message = parsed?.message ?? parsed?.Message;
    if (typeof message === 'string') return message;
  } catch {
    // A proxy's HTML page or plain text: keep short plain text, never markup.
    const trimmed = bodyText.trim();
    if (trimmed.length > 0 && trimmed.length < 500 && !trimmed.startsWith('<')) return trimmed;
  }
  return '';
}

/**
 * An AccessDeniedException that is about the credential, not a permission: Bedrock answers an
 * invalid or expired Bedrock API key (a bearer token) with 403 AccessDeniedException
 * "Authentication failed: Please make sure your API Key is valid." rather than 401. Like the
 * other credential errors it becomes 401, so the gateway says whose credential was refused.
 * "You don't have access to the model" and "... is not authorized to perform ..." stay 403.
 */
const credentialRefusal = /authentication failed|api key|security token|signature|credential/i;

function build(provider: string, errorName: string, status: number, message: string, headers: Record<string, string>): GatewayError {
  const known = errorName === 'AccessDeniedException' && credentialRefusal.test(message) ? badCredential : byBedrockType[errorName];
  let mapping: ErrorMapping = known ?? { status, type: errorTypeForStatus(status), code: errorName === '' ? `upstream_http_${status}` : errorName };
  const contextTooLong = mapping.status === 400 && contextLengthPattern.test(message);
  if (contextTooLong) mapping = { ...mapping, code: 'context_length_exceeded' };
  return new GatewayError({
    status: mapping.status,
    type: mapping.type,
    code: mapping.code,
    param: contextTooLong ? 'messages' : null,
    message: message === '' ? `Provider '${provider}' answered with HTTP ${status}${errorName ? ` (${errorName})` : ''}.` : message,
    headers,
    upstream: true,
  });
}

/**
 * A Bedrock error response (status, `x-amzn-ErrorType` header, `{"message": ...}` body) as a
 * GatewayError. Retry-After is kept when AWS sends it; credentials never appear in the message.
 */
export function mapBedrockError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, bodyText: string, secrets: ReadonlyArray<string | undefined> = []): GatewayError {
  const headerType = headers['x-amzn-errortype'];
  let errorName = bedrockErrorName(typeof headerType === 'string' ? headerType : undefined);
  if (errorName === '') {
    // Some AWS front ends name the type in the body instead (`__type`).
    try {
      const parsed = JSON.parse(bodyText) as { __type?: unknown } | null;
      if (typeof parsed?.__type === 'string') errorName = bedrockErrorName(parsed.__type.split('#').at(-1));
    } catch {
      // not JSON: the status decides.
    }
  }
  const kept: Record<string, string> = {};
  const retryAfter = headers['retry-after'];
  if (typeof retryAfter === 'string') kept['retry-after'] = retryAfter;
  return build(provider, errorName, status, withoutSecrets(messageOf(bodyText), secrets), kept);
}

/** An exception event inside a stream (the HTTP status was already 200): the status follows the exception type. */
export function mapBedrockStreamException(provider: string, exceptionType: string | undefined, bodyText: string, secrets: ReadonlyArray<string | undefined> = []): GatewayError {
  const errorName = bedrockErrorName(exceptionType);
  const status = byBedrockType[errorName]?.status ?? 502;
  return build(provider, errorName, status, withoutSecrets(messageOf(bodyText), secrets), {});
}
