/**
 * One error type for the whole data plane and the Admin API. Every failure a client sees is a
 * GatewayError rendered in the client's format; `code` is stable and documented in the catalogue.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'upstream_error';

export interface GatewayErrorInit {
  status: number;
  type: ErrorType;
  code: string;
  message: string;
  param?: string | null;
  /** Extra response headers, e.g. Retry-After from a provider's 429. */
  headers?: Record<string, string>;
  /** True when the failure happened talking to a provider (used by retry and fallback). */
  upstream?: boolean;
  /**
   * An OpenAI-format provider's own error object, secrets scrubbed: OpenAI-format clients get it as
   * the provider sent it (its `type` and `code` on a 5xx too, and extras such as Azure's
   * `innererror` with the content-filter category). `message` and `param` are the mapped ones.
   */
  providerError?: Record<string, unknown>;
  /**
   * Machine-readable detail an Anthropic-format client reads as `error.details` (its SDK acts on
   * `error_code`, e.g. replaying a message thread's history on `thread_unsupported_request`).
   */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string;
  readonly param: string | null;
  readonly headers: Record<string, string>;
  readonly upstream: boolean;
  readonly providerError: Record<string, unknown> | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GatewayError';
    this.status = init.status;
    this.type = init.type;
    this.code = init.code;
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
    this.upstream = init.upstream ?? false;
    this.providerError = init.providerError;
    this.details = init.details;
  }

  /** The OpenAI error body: {"error":{"message","type","param","code"}}, as an OpenAI-format provider sent it when one did. */
  toOpenAIBody(): { error: { message: string; type: string; param: string | null; code: string | null; [extra: string]: unknown } } {
    const own = { message: this.message, type: this.type, param: this.param, code: this.code };
    return { error: this.providerError === undefined ? own : { ...own, ...this.providerError, message: this.message, param: this.param } };
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
