import { GatewayError } from './gateway-error.ts';
import { retryAfterHeaders } from './retry-advice.ts';

/**
 * The Admin API's errors, in the same OpenAI shape as the data plane's
 * (`{"error":{"message","type","param","code"}}`), so one client-side handler reads both.
 */
export const adminErrors = {
  missingToken(): GatewayError {
    return new GatewayError({ status: 401, type: 'authentication_error', code: 'missing_admin_token', message: 'The Admin API needs Authorization: Bearer <admin token> (admin.tokens in the config).' });
  },
  invalidToken(): GatewayError {
    return new GatewayError({ status: 401, type: 'authentication_error', code: 'invalid_admin_token', message: 'The admin token is not valid.' });
  },
  readOnly(): GatewayError {
    return new GatewayError({ status: 403, type: 'permission_error', code: 'read_only_token', message: 'This admin token has the viewer role and may only read; writes need an admin token.' });
  },
  invalidBody(problems: string[]): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_request', message: `Invalid request: ${problems.join('; ')}` });
  },
  unknownReference(param: string, value: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'unknown_reference', param, message: `No ${param} with id or name ${JSON.stringify(value)}.` });
  },
  notFound(resource: string, id: string): GatewayError {
    return new GatewayError({ status: 404, type: 'not_found_error', code: 'not_found', message: `No ${resource} with id ${JSON.stringify(id)}.` });
  },
  unknownUrl(method: string, url: string): GatewayError {
    return new GatewayError({ status: 404, type: 'not_found_error', code: 'unknown_url', message: `Unknown Admin API URL: ${method} ${url}. See GET /openapi.json.` });
  },
  /** An unexpected failure; the cause goes to the log, never to the client. */
  internal(): GatewayError {
    return new GatewayError({ status: 500, type: 'api_error', code: 'internal_error', message: 'The Admin API failed to handle the request.' });
  },
  /** 429 for an address locked out after too many wrong tokens (admin.auth_failures), whatever its token. */
  authLockedOut(retryAfterMs: number): GatewayError {
    const headers = retryAfterHeaders(retryAfterMs);
    return new GatewayError({
      status: 429,
      type: 'rate_limit_error',
      code: 'too_many_auth_failures',
      message: `Too many failed Admin API authentications from this address: requests that need a token are refused for ${headers['retry-after']} s more, whatever the token.`,
      headers,
    });
  },
  conflict(message: string): GatewayError {
    return new GatewayError({ status: 409, type: 'invalid_request_error', code: 'conflict', message: `Conflict: ${message}.` });
  },
};
