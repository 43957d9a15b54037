import type { GatewayError } from '../../errors/gateway-error.ts';
import { anthropicErrorTypeByStatus, type AnthropicErrorBody } from '../../providers/anthropic/anthropic-api.ts';
import { AnthropicUpstreamError } from '../../providers/anthropic/anthropic-upstream-error.ts';

/** Anthropic's error type for each status; a draining gateway's 503 reads as overloaded (the SDKs retry it). */
const typeByStatus: Readonly<Record<number, string>> = { ...anthropicErrorTypeByStatus, 503: 'overloaded_error' };

/** The Anthropic error type a client expects for a gateway error (by status, as the SDKs read it). */
export function anthropicErrorType(error: GatewayError): string {
  return typeByStatus[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** A gateway error as Anthropic's body: `{"type":"error","error":{"type","message"}}`. */
export function toAnthropicErrorBody(error: GatewayError): AnthropicErrorBody {
  const body: AnthropicErrorBody = { type: 'error', error: { type: anthropicErrorType(error), message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  return body;
}

/**
 * The status and body an Anthropic-format client gets for a failure: Anthropic's own answer when
 * an Anthropic provider sent it (its status, 529 included, and its body as it came, request_id
 * and all), else the gateway's rendering of the error.
 */
export function anthropicErrorReply(error: GatewayError): { status: number; body: AnthropicErrorBody | string } {
  if (error instanceof AnthropicUpstreamError) return { status: error.anthropicStatus, body: error.anthropicBody };
  return { status: error.status, body: toAnthropicErrorBody(error) };
}

/** The in-stream form, once a 200 event stream has started (the SDKs raise it as an APIError). */
export function anthropicErrorEvent(error: GatewayError): string {
  return `event: error\ndata: ${JSON.stringify(toAnthropicErrorBody(error))}\n\n`;
}
