import type { GatewayError } from '../errors/gateway-error.ts';
import { doNotRetry, doRetry, longestSdkWaitMs } from '../errors/retry-advice.ts';
import { retryAfterMs, retryStatusOf } from '../routing/retry-policy.ts';

/** Statuses the official SDKs retry by themselves (unless told otherwise). */
function sdkRetries(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * What the client's SDK should do with a refusal it would otherwise retry by itself (by its status,
 * or because the provider's own `x-should-retry: true` says so): headers that override the error's
 * own, or null to leave it to the SDK and to the provider's `x-should-retry`, which the error keeps.
 * - A Retry-After longer than longestSdkWaitMs (a spent budget, a long provider cooldown, a
 *   circuit open for minutes): `x-should-retry: false`, whoever set it.
 * - A failure the gateway already retried or failed over (more than one upstream attempt) and
 *   that names no wait: `x-should-retry: false`. The gateway's retry policy has given up; the
 *   SDK's two retries would each start the whole policy again (3 × the attempts upstream).
 *   With one attempt (a single target, retries off) the SDK's retries are the only ones, so they
 *   are left alone; a short Retry-After (the provider says when it will take the request) is
 *   left too, since the SDK waiting it out is exactly what the gateway did not do.
 * A provider status that stands for one the SDKs retry (Groq's 498 for 503: retryStatusOf, by
 * `providerType`) gets the same advice; where that leaves it to the SDK, which would not retry the
 * status it sees, `x-should-retry: true` says to.
 */
export function adviseRetry(error: GatewayError, upstreamAttempts: number, providerType?: string): Readonly<Record<string, string>> | null {
  const standsForRetried = sdkRetries(retryStatusOf(error, providerType));
  if (!standsForRetried && error.headers['x-should-retry'] !== 'true') return null;
  const leftToSdk = standsForRetried && !sdkRetries(error.status) ? doRetry : null;
  const wait = retryAfterMs(error);
  if (wait !== null) return wait > longestSdkWaitMs ? doNotRetry : leftToSdk;
  if (upstreamAttempts > 1) return doNotRetry;
  return leftToSdk;
}
