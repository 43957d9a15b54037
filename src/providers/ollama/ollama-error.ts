import { GatewayError, type ErrorType } from '../../errors/gateway-error.ts';
import { errorTypeForStatus } from '../error-type-for-status.ts';
import { withoutSecret } from '../without-secrets.ts';
import type { OllamaErrorBody } from './ollama-api.ts';

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

/**
 * An Ollama error (`{"error":"..."}` with an HTTP status, or an error line inside a stream, given
 * status 500 here) as a GatewayError with the status and OpenAI error type a client expects: a
 * missing model (`model "x" not found, try pulling it first`) is `model_not_found`; 401 is
 * `invalid_api_key` (ollama.com); 429 keeps Retry-After. The API key never appears in the message.
 */
export function mapOllamaError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, bodyText: string, apiKey?: string): GatewayError {
  const message = withoutSecret(messageOf(bodyText) ?? `Provider '${provider}' answered with HTTP ${status}.`, apiKey);
  const type: ErrorType = errorTypeForStatus(status);
  let code = `upstream_http_${status}`;
  if (status === 401) code = 'invalid_api_key';
  else if (status === 404 && /model .*not found|not found.*pull/i.test(message)) code = 'model_not_found';
  else if (status === 429) code = 'rate_limit_exceeded';
  const kept: Record<string, string> = {};
  const retryAfter = headers['retry-after'];
  if (typeof retryAfter === 'string') kept['retry-after'] = retryAfter;
  return new GatewayError({ status, type, code, message, headers: kept, upstream: true, param: code === 'model_not_found' ? 'model' : null });
}
