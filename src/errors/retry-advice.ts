/**
 * How the gateway tells SDKs whether to retry a refusal. The official OpenAI and Anthropic SDKs
 * (and most that Stainless generates) retry 408, 409, 429 and 5xx twice by default, sleep for
 * whatever `retry-after-ms` or `Retry-After` says however long it is (hours for a spent daily
 * budget; beyond 2^31 ms Node's timer fires at once), and obey `x-should-retry` before any of
 * that. So a refusal that cannot clear soon says `x-should-retry: false`: the application gets
 * its RateLimitError at once instead of a call that hangs, and `Retry-After` still says honestly
 * when it would succeed.
 */

/**
 * The longest Retry-After an SDK is left to sleep on. Beyond it the gateway adds
 * `x-should-retry: false`. 60 s is also the ceiling the OpenAI Python SDK applies to
 * Retry-After on its own (it ignores longer values), so clients behave the same in every language.
 */
export const longestSdkWaitMs = 60_000;

/** For a refusal no wait can fix (a request larger than a whole limit or budget). */
export const doNotRetry: Readonly<Record<string, string>> = Object.freeze({ 'x-should-retry': 'false' });

/**
 * For a failure left to the SDK whose status the SDKs do not retry by themselves but which stands
 * for one they do (Groq's 498 for 503, routing/retry-policy.ts retryStatusOf): they retry it as that one.
 */
export const doRetry: Readonly<Record<string, string>> = Object.freeze({ 'x-should-retry': 'true' });

/** Retry-After in whole seconds (at least 1), with `x-should-retry: false` when that is longer than an SDK should sleep. */
export function retryAfterHeaders(waitMs: number): Record<string, string> {
  const headers: Record<string, string> = { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) };
  if (waitMs > longestSdkWaitMs) headers['x-should-retry'] = 'false';
  return headers;
}
