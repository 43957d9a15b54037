import { GatewayError } from '../../errors/gateway-error.ts';

/**
 * Finish reasons Google gives when the model failed at function calling: it wrote a call that does
 * not parse (MALFORMED_FUNCTION_CALL), called a function it was not offered (UNEXPECTED_TOOL_CALL)
 * or too many (TOO_MANY_TOOL_CALLS). A model failure, not the request's: the same request sent
 * again usually succeeds.
 */
const failedToolCallReasons: ReadonlySet<string> = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

/** True for a finishReason that says the model failed at function calling (failedToolCallReasons). */
export function isFailedToolCallFinish(reason: string | undefined): reason is string {
  return reason !== undefined && failedToolCallReasons.has(reason);
}

/** Told each failed function call (reason and Google's finishMessage), so it is logged whatever becomes of the answer. */
export type FailedToolCallListener = (reason: string, finishMessage: string | undefined) => void;

/**
 * A candidate that ended with a failed function call and produced nothing (no text, no call): a
 * 502 `upstream_error` whose code names the reason (`malformed_function_call`) and whose message
 * carries Google's finishMessage. Not the empty `stop` answer an agent loop would take as the
 * model's last word: the route's retry policy (502 is retried by default) and fallbacks apply.
 */
export function failedToolCallError(provider: string, reason: string, finishMessage: string | undefined): GatewayError {
  const detail = finishMessage ? `: ${finishMessage}` : '.';
  return new GatewayError({
    status: 502,
    type: 'upstream_error',
    code: reason.toLowerCase(),
    upstream: true,
    message: `Provider '${provider}' ended the answer with finishReason ${reason} and no content${detail}`,
  });
}
