import type { GatewayError } from '../../errors/gateway-error.ts';
import type { AnthropicErrorBody } from '../../providers/anthropic/anthropic-api.ts';

/** Anthropic's error type for each HTTP status it documents (errors.md); others fall back by class. */
const typeByStatus: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  // A draining gateway or an overloaded provider: the SDKs retry overloaded_error.
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** The Anthropic error type a client expects for a gateway error (by status, as the SDKs read it). */
export function anthropicErrorType(error: GatewayError): string {
  return typeByStatus[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** A gateway error as Anthropic's body: `{"type":"error","error":{"type","message"}}`. */
export function toAnthropicErrorBody(error: GatewayError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(error), message: error.message } };
}

/** The in-stream form, once a 200 event stream has started (the SDKs raise it as an APIError). */
export function anthropicErrorEvent(error: GatewayError): string {
  return `event: error\ndata: ${JSON.stringify(toAnthropicErrorBody(error))}\n\n`;
}
