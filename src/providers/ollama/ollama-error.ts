import { GatewayError, type ErrorType } from '../../errors/gateway-error.ts';
import type { OllamaErrorBody } from './ollama-api.ts';

const typeByStatus: Record<number, ErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
  504: 'timeout_error',
};

/** Ollama's message: `{"error":"..."}` (an object with `message` from some proxies), else short plain text. */
function messageOf(bodyText: string): string | undefined {
  try {
    const error = (JSON.parse(bodyText) as OllamaErrorBody | null)?.error;
    if (typeof error === 'string' && error !== '') return error;
    if (error && typeof error === 'object' && typeof error.message === 'string') return error.message;
  } catch {
    // Not JSON: plain text below.
  }
  const text = bodyText.trim();
  return text !== '' && text.length < 500 && !text.startsWith('<') ? text : undefined;
}

function redact(text: string, apiKey: string | undefined): string {
  return apiKey && apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
}

/**
 * An Ollama error (`{"error":"..."}` with an HTTP status, or an error line inside a stream, given
 * status 500 here) as a GatewayError with the status and OpenAI error type a client expects: a
 * missing model (`model "x" not found, try pulling it first`) is `model_not_found`; 401 is
 * `invalid_api_key` (ollama.com); 429 keeps Retry-After. The API key never appears in the message.
 */
export function mapOllamaError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, bodyText: string, apiKey?: string): GatewayError {
  const message = redact(messageOf(bodyText) ?? `Provider '${provider}' answered with HTTP ${status}.`, apiKey);
  const type: ErrorType = typeByStatus[status] ?? (status >= 500 ? 'upstream_error' : 'invalid_request_error');
  let code = `upstream_http_${status}`;
  if (status === 401) code = 'invalid_api_key';
  else if (status === 404 && /model .*not found|not found.*pull/i.test(message)) code = 'model_not_found';
  else if (status === 429) code = 'rate_limit_exceeded';
  const kept: Record<string, string> = {};
  const retryAfter = headers['retry-after'];
  if (typeof retryAfter === 'string') kept['retry-after'] = retryAfter;
  return new GatewayError({ status, type, code, message, headers: kept, upstream: true, param: code === 'model_not_found' ? 'model' : null });
}
