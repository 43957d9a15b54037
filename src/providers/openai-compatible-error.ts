import { GatewayError, type ErrorType } from '../errors/gateway-error.ts';

const typeByStatus: Record<number, ErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'invalid_request_error',
  413: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

/**
 * Maps an error response of an OpenAI-compatible API to a GatewayError with the provider's
 * status and message. Retry-After and rate-limit reset headers are kept for the client.
 */
export function mapOpenAICompatibleError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, bodyText: string): GatewayError {
  let message = `Provider '${provider}' answered with HTTP ${status}.`;
  let code = `upstream_http_${status}`;
  let type: ErrorType = typeByStatus[status] ?? (status >= 500 ? 'upstream_error' : 'invalid_request_error');
  let param: string | null = null;
  try {
    const parsed = JSON.parse(bodyText) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = parsed.error;
    if (error && typeof error === 'object') {
      const fields = error as { message?: unknown; code?: unknown; type?: unknown; param?: unknown };
      if (typeof fields.message === 'string') message = fields.message;
      if (typeof fields.code === 'string' && fields.code !== '') code = fields.code;
      if (typeof fields.param === 'string') param = fields.param;
      if (typeof fields.type === 'string' && status < 500 && fields.type !== '') type = fields.type as ErrorType;
    } else if (typeof error === 'string') {
      message = error;
    } else if (typeof parsed.message === 'string') {
      message = parsed.message;
    } else if (typeof parsed.detail === 'string') {
      message = parsed.detail;
    }
  } catch {
    if (bodyText.trim() !== '' && bodyText.length < 500 && !bodyText.trimStart().startsWith('<')) message = bodyText.trim();
  }
  const kept: Record<string, string> = {};
  for (const name of ['retry-after', 'retry-after-ms', 'x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']) {
    const value = headers[name];
    if (typeof value === 'string') kept[name] = value;
  }
  return new GatewayError({ status, type, code, message, param, headers: kept, upstream: true });
}
