import { GatewayError } from './gateway-error.ts';
import { doNotRetry, retryAfterHeaders } from './retry-advice.ts';

/**
 * The error catalogue: the errors the gateway itself raises are built in this folder, so codes
 * and statuses stay stable and documented (README "Errors"): the data plane's here, routing's in
 * routing-errors.ts, authentication's in authentication-errors.ts, the Admin API's in
 * admin-errors.ts. (Plugins with their own wording, e.g. rate-limit, build GatewayErrors too.)
 */
export const errors = {
  invalidJson(detail: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_json', message: `Request body is not valid JSON: ${detail}` });
  },
  invalidRequest(message: string, param?: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_request', message, param });
  },
  missingField(param: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'missing_required_parameter', message: `Missing required parameter: '${param}'.`, param });
  },
  invalidField(param: string, expected: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_type', message: `Invalid type for '${param}': expected ${expected}.`, param });
  },
  /** A value outside a field's allowed set, in OpenAI's words (`Invalid value: 'x'. Supported values are: …`). */
  invalidValue(param: string, value: string, supported: readonly string[]): GatewayError {
    const listed = supported.map((item) => `'${item}'`);
    const choices = listed.length > 1 ? `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}` : listed.join('');
    // The client's value, shortened: an error message is no place to echo a long text back.
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_value', message: `Invalid value: '${shown}'. Supported values are: ${choices}.`, param });
  },
  bodyTooLarge(limitBytes: number): GatewayError {
    return new GatewayError({ status: 413, type: 'invalid_request_error', code: 'request_too_large', message: `Request body exceeds the limit of ${limitBytes} bytes.` });
  },
  /** RFC 9110 §15.5.16: 415 for a coding the gateway cannot decode, with the ones it can in Accept-Encoding. */
  unsupportedContentEncoding(coding: string, supported: readonly string[]): GatewayError {
    return new GatewayError({
      status: 415,
      type: 'invalid_request_error',
      code: 'unsupported_content_encoding',
      message: `Content-Encoding '${coding}' is not supported: send the body uncompressed or with one of ${supported.join(', ')}.`,
      headers: { 'accept-encoding': supported.join(', ') },
    });
  },
  undecodableBody(coding: string, detail: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_content_encoding', message: `Request body could not be decoded as ${coding} (Content-Encoding): ${detail}.` });
  },
  /** A body nested deeper than the gateway processes (JSON.stringify and other walkers recurse: a RangeError later). */
  nestingTooDeep(limit: number): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'nesting_too_deep', message: `Request body nests arrays and objects more than ${limit} levels deep.` });
  },
  /** An `Expect:` other than 100-continue (RFC 9110 §10.1.1). */
  expectationFailed(expectation: string): GatewayError {
    return new GatewayError({ status: 417, type: 'invalid_request_error', code: 'expectation_failed', message: `Expect: '${expectation}' is not supported; only '100-continue' is.` });
  },
  unsupportedMediaType(): GatewayError {
    return new GatewayError({ status: 415, type: 'invalid_request_error', code: 'unsupported_media_type', message: 'Request body must be JSON (Content-Type: application/json).' });
  },
  /**
   * A request from a web page whose origin `server.cors.allow_origins` does not list (or, without an
   * Origin header, one the browser marks as sent by another site): refused before anything else,
   * so a page cannot make the gateway spend its provider keys (server/browser-origin.ts).
   */
  originNotAllowed(origin: string | null): GatewayError {
    const who = origin === null ? 'A request another web site made (Sec-Fetch-Site)' : `A request from the web page origin ${JSON.stringify(shortened(origin))}`;
    return new GatewayError({ status: 403, type: 'permission_error', code: 'origin_not_allowed', message: `${who} is not allowed: list the origin in server.cors.allow_origins to let its pages call this gateway.` });
  },
  /**
   * 421 Misdirected Request: a Host this listener does not answer for. A listener on a loopback
   * address answers only loopback names and IP addresses (and `setting`'s), so a web page that
   * re-points its own name at 127.0.0.1 (DNS rebinding) cannot reach it (server/allowed-hosts.ts).
   */
  hostNotAllowed(host: string, setting: string): GatewayError {
    return new GatewayError({ status: 421, type: 'invalid_request_error', code: 'host_not_allowed', message: `The Host ${JSON.stringify(shortened(host))} is not one this listener answers for: add it to ${setting} to reach the gateway by that name.` });
  },
  /** The same top-level key twice in a JSON body: parsers disagree on which value counts (JSON.parse, and so the gateway, takes the last; others the first). */
  duplicateKey(param: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_request', param, message: `The body names '${param}' more than once; send it exactly once.` });
  },
  /**
   * OpenAI answers an unknown URL with 404 invalid_request_error ("Invalid URL (POST /v1/x)"); its
   * SDK raises NotFoundError either way. A path with /v1 twice is a client whose base URL ends in
   * /v1 once too often (an Anthropic SDK given the OpenAI-style `http://host:8000/v1`): it is told so.
   */
  notFound(method: string, path: string): GatewayError {
    const hint = doubledVersionHint(path);
    return new GatewayError({ status: 404, type: 'invalid_request_error', code: 'unknown_url', message: `Invalid URL (${method} ${path}): not an endpoint of this gateway. ${hint ?? 'See GET /v1/models and the README for the supported endpoints.'}` });
  },
  /** `allowed`: the methods the path takes, sent as the Allow header RFC 9110 §15.5.6 requires on a 405 (callers that set it themselves may leave it out). */
  methodNotAllowed(method: string, path: string, allowed?: readonly string[]): GatewayError {
    const headers = allowed === undefined ? undefined : { allow: allowed.join(', ') };
    return new GatewayError({ status: 405, type: 'invalid_request_error', code: 'method_not_allowed', message: `Method ${method} is not allowed on ${path}.`, headers });
  },
  modelNotFound(model: string): GatewayError {
    return new GatewayError({
      status: 404,
      type: 'not_found_error',
      code: 'model_not_found',
      param: 'model',
      message: `The model '${model}' does not exist or is not reachable through this gateway. List the models you can use with GET /v1/models; address a provider's model directly as 'provider/model'.`,
    });
  },
  modelAmbiguous(model: string, providers: string[]): GatewayError {
    return new GatewayError({
      status: 400,
      type: 'invalid_request_error',
      code: 'model_ambiguous',
      param: 'model',
      message: `The model '${model}' is served by several providers (${providers.join(', ')}); name one as 'provider/model'.`,
    });
  },
  unsupportedParameters(provider: string, names: string[], outcome: 'dropped' | 'clamped' = 'dropped'): GatewayError {
    const listed = names.map((name) => `'${name}'`).join(', ');
    return new GatewayError({
      status: 400,
      type: 'invalid_request_error',
      code: 'unsupported_parameter',
      param: names[0],
      message:
        outcome === 'clamped'
          ? `Provider '${provider}' does not support the value of ${listed}: it is outside the provider's range (strict_params is on; without it the value is clamped into the range).`
          : `Provider '${provider}' does not support ${listed} (strict_params is on; without it they are dropped).`,
    });
  },
  /** A parameter this endpoint does not support at all (whatever the provider), e.g. the Responses API's `previous_response_id`. */
  unsupportedParameter(param: string, message: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'unsupported_parameter', message, param });
  },
  /** A value of a parameter this endpoint does not support, e.g. a Responses built-in tool type. */
  unsupportedValue(param: string, message: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'unsupported_value', message, param });
  },
  /**
   * An Anthropic message thread (`thread`: the server holds the conversation between turns) sent
   * to a provider that cannot hold one. Anthropic's own rejection, so the SDK's tool runner stops
   * threading and sends the whole history instead.
   */
  threadUnsupported(provider: string): GatewayError {
    return new GatewayError({
      status: 400,
      type: 'invalid_request_error',
      code: 'thread_unsupported_request',
      param: 'thread',
      message: `Provider '${provider}' cannot hold a message thread: send the whole conversation in messages, without thread.`,
      details: { error_code: 'thread_unsupported_request', unsupported: ['thread'] },
    });
  },
  operationNotSupported(provider: string, operation: string): GatewayError {
    return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'unsupported_operation', message: `Provider '${provider}' does not support ${operation}.` });
  },
  missingProviderCredential(provider: string): GatewayError {
    return new GatewayError({
      status: 401,
      type: 'authentication_error',
      code: 'missing_provider_key',
      message: `No API key is configured for provider '${provider}'. Set it in the config or environment, or send your own key where the provider allows it (byok).`,
    });
  },
  /**
   * Left to retries (a server restarting is refused for a moment), but a refusal or a name that does
   * not resolve is, as often, a base_url that points nowhere: the message says where to look,
   * without the address (a client need not learn the operator's network).
   */
  upstreamUnreachable(provider: string, detail: string): GatewayError {
    const hint = unreachableHints[detail];
    return new GatewayError({ status: 502, type: 'upstream_error', code: 'upstream_unreachable', upstream: true, message: `Provider '${provider}' could not be reached: ${detail}${hint === undefined ? '' : ` (${hint})`}.` });
  },
  /**
   * The request went out on a connection that the provider then closed or reset before any of an
   * answer came (after the one silent resend on a new connection of a reused one that went stale:
   * upstream/stale-connection.ts). Same code and retry rules as a connection that failed sooner.
   */
  upstreamClosedBeforeAnswer(provider: string, detail: string): GatewayError {
    return new GatewayError({ status: 502, type: 'upstream_error', code: 'upstream_unreachable', upstream: true, message: `Provider '${provider}' closed the connection before answering: ${detail}.` });
  },
  /**
   * An answer not streamed that is larger than `upstream.max_response_bytes`: not read further.
   * Not an upstream failure for retries, fallbacks or health (the same call would be as large
   * again, and the provider did answer), and `x-should-retry: false` for the SDKs.
   */
  upstreamResponseTooLarge(provider: string, limitBytes: number): GatewayError {
    return new GatewayError({ status: 502, type: 'upstream_error', code: 'upstream_response_too_large', headers: { ...doNotRetry }, message: `Provider '${provider}' answered with more than ${limitBytes} bytes, the most the gateway reads of an answer (upstream.max_response_bytes).` });
  },
  /**
   * 500 for a provider whose configuration lacks what every call needs (a region, a project, an
   * endpoint): no retry can help, so `x-should-retry: false` stops the SDKs' own retries.
   */
  providerNotConfigured(message: string): GatewayError {
    return new GatewayError({ status: 500, type: 'api_error', code: 'provider_not_configured', message, headers: { ...doNotRetry } });
  },
  /**
   * The provider answered (its status and headers came), then the connection closed or was reset
   * before its response was complete: a stream cut mid-way, or before the gateway let its start go
   * to the client. Not 'could not be reached': the provider was reached, and may have billed the call.
   */
  upstreamConnectionLost(provider: string, detail: string): GatewayError {
    return new GatewayError({ status: 502, type: 'upstream_error', code: 'upstream_connection_lost', upstream: true, message: `Provider '${provider}' answered, then the connection closed before its response was complete: ${detail}.` });
  },
  upstreamTimeout(provider: string, which: string): GatewayError {
    return new GatewayError({ status: 504, type: 'timeout_error', code: 'upstream_timeout', upstream: true, message: `Provider '${provider}' did not answer in time (${which} timeout).` });
  },
  /**
   * A failure the provider reported inside a stream it had started (an OpenAI-format `error`
   * event): its own message and code when it sent one, its status when the code is an HTTP
   * status (OpenRouter), as the other providers' in-stream errors are mapped.
   */
  upstreamStreamError(message: string | null, code: string | number | null): GatewayError {
    const status = typeof code === 'number' && code >= 400 && code <= 599 ? code : 502;
    const name = typeof code === 'string' && code !== '' ? code : 'upstream_error';
    return new GatewayError({ status, type: 'upstream_error', code: name, upstream: true, message: message ?? 'the stream reported an error' });
  },
  upstreamBadResponse(provider: string, detail: string): GatewayError {
    return new GatewayError({ status: 502, type: 'upstream_error', code: 'upstream_bad_response', upstream: true, message: `Provider '${provider}' sent a response the gateway could not read: ${detail}.` });
  },
  /**
   * The client stopped reading a stream (upstream/client-stall.ts): recorded 499 like a client that
   * left (its doing, not the provider's: no upstream flag, no retry, no circuit breaker), with its own code.
   */
  clientStalled(waitedMs: number): GatewayError {
    return new GatewayError({ status: 499, type: 'api_error', code: 'client_stalled', message: `The client read none of the stream for ${Math.round(waitedMs / 1000)} s; the gateway closed the connection.` });
  },
  shuttingDown(): GatewayError {
    return new GatewayError({ status: 503, type: 'api_error', code: 'shutting_down', message: 'The gateway is shutting down; retry on another instance.' });
  },
  /**
   * 503 for a request the store could not answer (PostgreSQL unreachable, restarting, silent past
   * its query timeout): an outage, which retrying cures, told apart from a bug (500). Each outage
   * is logged once by the store's connections, not per request.
   */
  storeUnavailable(): GatewayError {
    return new GatewayError({
      status: 503,
      type: 'api_error',
      code: 'store_unavailable',
      message: 'The store (database) cannot be reached or did not answer in time; retry after Retry-After. A write answered this way may have been applied: read before repeating it.',
      headers: retryAfterHeaders(5000),
    });
  },
  internal(): GatewayError {
    return new GatewayError({ status: 500, type: 'api_error', code: 'internal_error', message: 'The gateway failed to handle the request. The request id identifies it in the logs.' });
  },
};

/** What to change when a path repeats /v1 (`/v1/v1/chat/completions`, `/v1/v1/messages`), or null. */
function doubledVersionHint(path: string): string | null {
  if (!path.startsWith('/v1/v1/')) return null;
  const meant = path.replace(/^(\/v1)+\//, '/v1/');
  const sdk = /^\/v1\/messages(\/|$)/.test(meant) ? " (Anthropic's SDKs take the gateway's address without /v1, e.g. http://localhost:8000)" : " (OpenAI's SDKs take it with one /v1, e.g. http://localhost:8000/v1)";
  return `The path has /v1 twice: remove the extra /v1 from your client's base URL${sdk}, so it calls ${meant}.`;
}

/** What an operator should check when a connection failed this way (Node's error codes). */
const unreachableHints: Readonly<Record<string, string>> = {
  ECONNREFUSED: "nothing accepted the connection: check that the server runs and that the provider's base_url in the gateway's config names it",
  ENOTFOUND: "its host name does not resolve: check the provider's base_url in the gateway's config",
  EAI_AGAIN: "its host name could not be resolved (DNS): check the provider's base_url in the gateway's config and the DNS",
  ERR_INVALID_URL: "its base_url is not a URL the gateway can call: check it in the gateway's config",
};

/** A client's header value in an error message: at most 100 characters. */
function shortened(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
