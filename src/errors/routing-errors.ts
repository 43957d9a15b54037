import { GatewayError } from './gateway-error.ts';

/**
 * Errors only routing raises. (Candidates for src/errors/catalogue.ts; kept here so routing
 * does not edit the shared catalogue while it is being built.)
 */
export const routingErrors = {
  noHealthyTarget(group: string, retryAfterSeconds: number | null): GatewayError {
    return new GatewayError({
      status: 503,
      type: 'api_error',
      code: 'no_healthy_target',
      message: `Every target of '${group}' is cooling down or has an open circuit breaker; retry later.`,
      headers: retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) },
    });
  },
  noTargetInRegion(group: string, regions: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'no_target_in_region', message: `'${group}' has no target in the region this route requires (${regions}).` });
  },
  deadlineExceeded(deadlineMs: number): GatewayError {
    return new GatewayError({ status: 504, type: 'timeout_error', code: 'deadline_exceeded', message: `No provider answered within the request deadline of ${deadlineMs} ms (all attempts included).` });
  },
};
