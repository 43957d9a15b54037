import type { FallbackCondition } from '../config/schema.ts';
import type { GatewayError } from '../errors/gateway-error.ts';

const contextLengthPattern = /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long|input is too long/i;

/** A provider said the prompt does not fit the model's context window. */
export function isContextLengthExceeded(error: GatewayError): boolean {
  if (error.code === 'context_length_exceeded' || error.code === 'string_above_max_length') return true;
  return (error.status === 400 || error.status === 413) && contextLengthPattern.test(error.message);
}

/** A provider refused the content (OpenAI content_policy_violation, Azure content_filter). */
export function isContentFilterRefusal(error: GatewayError): boolean {
  return error.code === 'content_filter' || error.code === 'content_policy_violation' || error.code === 'content_filtered';
}

/**
 * Whether a route takes its next fallback after `error` ended a group. `retryable` says whether
 * the group's retry policy considered the error retryable (and retries are now exhausted).
 * Errors that say the group could not serve at all (no credential, operation unsupported, a
 * message thread it cannot hold) always move on, as they did before fallbacks were configurable.
 */
export function shouldFallBack(conditions: ReadonlySet<FallbackCondition>, error: GatewayError, retryable: boolean): boolean {
  if (error.code === 'missing_provider_key' || error.code === 'unsupported_operation' || error.code === 'thread_unsupported_request' || error.code === 'no_target_in_region') return true;
  if (error.code === 'deadline_exceeded' || error.status === 499) return false;
  // A group whose circuits opened during its retries (`retryable`) is unavailable and ran out of
  // retries at once: either condition moves on.
  if (error.code === 'no_healthy_target') return conditions.has('unavailable') || (retryable && conditions.has('retryable'));
  if (retryable && conditions.has('retryable')) return true;
  if (error.status === 429 && error.upstream && conditions.has('rate_limit')) return true;
  if (error.code === 'upstream_timeout' && conditions.has('timeout')) return true;
  if (isContextLengthExceeded(error) && conditions.has('context_length_exceeded')) return true;
  if (isContentFilterRefusal(error) && conditions.has('content_filter')) return true;
  return false;
}
