import { validateHeaderName, validateHeaderValue } from 'node:http';
import { GatewayError, type ErrorType } from '../../errors/gateway-error.ts';

/** How a custom plugin refuses a request (`throw refuse({ status: 403, code: 'topic_not_allowed', message: '...' })`). */
export interface Refusal {
  /** 400-599. */
  status: number;
  /** A stable, machine-readable code: lower-case letters, digits and _ (e.g. `topic_not_allowed`). */
  code: string;
  /** What the client reads; never user data or secrets. */
  message: string;
  /** The OpenAI error type; by default from the status (403 permission_error, 429 rate_limit_error, ...). */
  type?: ErrorType;
  /** The request field at fault, when there is one. */
  param?: string;
  /** Extra response headers (e.g. retry-after). */
  headers?: Record<string, string>;
}

const types = new Set<ErrorType>(['invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'rate_limit_error', 'timeout_error', 'api_error']);

const typeByStatus: Readonly<Record<number, ErrorType>> = { 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 408: 'timeout_error', 429: 'rate_limit_error' };

/** Headers the gateway itself writes on every answer: a refusal may not replace them. */
const reservedHeaders = new Set(['x-request-id', 'content-type', 'content-length', 'transfer-encoding', 'connection']);

const codePattern = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * A custom plugin's refusal as the GatewayError every other refusal is, so the client gets it in
 * its own format (OpenAI or Anthropic) with x-request-id. Wrong arguments are the plugin's bug: a
 * TypeError, which the request answers as 500 internal_error (and the log names the plugin).
 */
export function refuse(refusal: Refusal): GatewayError {
  if (refusal === null || typeof refusal !== 'object') throw new TypeError('refuse() takes { status, code, message }');
  const { status, code, message, type, param, headers } = refusal;
  if (!Number.isInteger(status) || status < 400 || status > 599) throw new TypeError(`refuse(): status must be an integer from 400 to 599, got ${String(status)}`);
  if (typeof code !== 'string' || !codePattern.test(code)) throw new TypeError(`refuse(): code must be lower-case letters, digits and _ (e.g. "topic_not_allowed"), got ${JSON.stringify(code)}`);
  if (typeof message !== 'string' || message === '') throw new TypeError('refuse(): message must be a non-empty string');
  if (type !== undefined && !types.has(type)) throw new TypeError(`refuse(): type must be one of ${[...types].join(', ')}, got ${JSON.stringify(type)}`);
  if (param !== undefined && typeof param !== 'string') throw new TypeError('refuse(): param must be a string');
  const checkedHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (reservedHeaders.has(name.toLowerCase())) throw new TypeError(`refuse(): the header ${JSON.stringify(name)} is the gateway's own`);
    if (typeof value !== 'string') throw new TypeError(`refuse(): the header ${JSON.stringify(name)} must have a string value`);
    validateHeaderName(name);
    validateHeaderValue(name, value);
    checkedHeaders[name] = value;
  }
  return new GatewayError({ status, code, message, param, type: type ?? typeByStatus[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), headers: checkedHeaders });
}
