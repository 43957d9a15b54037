import type { ErrorType } from '../errors/gateway-error.ts';

/** The statuses whose OpenAI error type is not simply "the client's fault" or "the upstream's". */
const typeByStatus: Readonly<Record<number, ErrorType>> = {
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  429: 'rate_limit_error',
  504: 'timeout_error',
};

/**
 * The OpenAI error type a client expects for a translated provider's HTTP status when the body
 * names none: the table above, else upstream_error from 500 up and invalid_request_error below.
 * (The OpenAI-compatible mapper keeps its own table: it reports 504 as upstream_error.)
 */
export function errorTypeForStatus(status: number): ErrorType {
  return typeByStatus[status] ?? (status >= 500 ? 'upstream_error' : 'invalid_request_error');
}
