import type { RetryConfig } from '../config/schema.ts';
import { toMilliseconds } from '../config/units.ts';
import type { GatewayError } from '../errors/gateway-error.ts';

/** Retry settings compiled to milliseconds and sets, merged from routing, group and route. */
export interface RetryPolicy {
  /** Most retries in a group; null (the default) = fail over to each other target once, no repeats. */
  attempts: number | null;
  connectError: boolean;
  timeout: boolean;
  badResponse: boolean;
  statuses: ReadonlySet<number>;
  backoffBaseMs: number;
  backoffMaxMs: number;
  retryAfterMaxMs: number;
  budget: { ratio: number; minPerSecond: number; windowMs: number };
}

const defaults = {
  on: ['connect_error', 'timeout', 408, 429, 500, 502, 503, 504] as Array<string | number>,
  base: 100,
  max: 5_000,
  retryAfterMax: 10_000,
  ratio: 0.2,
  minPerSecond: 10,
  window: 10_000,
};

/** Layers retry configs field by field (later ones win). */
export function mergeRetryConfigs(...layers: Array<RetryConfig | undefined>): RetryConfig {
  const merged: RetryConfig = {};
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.attempts !== undefined) merged.attempts = layer.attempts;
    if (layer.on !== undefined) merged.on = layer.on;
    if (layer.retry_after_max !== undefined) merged.retry_after_max = layer.retry_after_max;
    if (layer.backoff) merged.backoff = { ...merged.backoff, ...layer.backoff };
    if (layer.budget) merged.budget = { ...merged.budget, ...layer.budget };
  }
  return merged;
}

export function compileRetryPolicy(config: RetryConfig): RetryPolicy {
  const on = config.on ?? defaults.on;
  return {
    attempts: config.attempts ?? null,
    connectError: on.includes('connect_error'),
    timeout: on.includes('timeout'),
    badResponse: on.includes('bad_response'),
    statuses: new Set(on.filter((entry): entry is number => typeof entry === 'number')),
    backoffBaseMs: config.backoff?.base === undefined ? defaults.base : toMilliseconds(config.backoff.base),
    backoffMaxMs: config.backoff?.max === undefined ? defaults.max : toMilliseconds(config.backoff.max),
    retryAfterMaxMs: config.retry_after_max === undefined ? defaults.retryAfterMax : toMilliseconds(config.retry_after_max),
    budget: {
      ratio: config.budget?.ratio ?? defaults.ratio,
      minPerSecond: config.budget?.min_per_second ?? defaults.minPerSecond,
      windowMs: config.budget?.window === undefined ? defaults.window : toMilliseconds(config.budget.window),
    },
  };
}

/**
 * Statuses a provider type answers with, outside HTTP's registry, for a failure the retry rules
 * know by a standard status. Groq's 498 is its flex tier at capacity: "requests will fail quickly
 * with status 498 and error capacity_exceeded. Add jittered backoff and retries"
 * (console.groq.com/docs/flex-processing; "498 Custom: Flex Tier Capacity Exceeded", /docs/errors):
 * a temporary lack of capacity, which HTTP calls 503. Only from the groq type: another server's 498
 * (ArcGIS's "invalid token") is no such thing, and is returned as it is.
 */
const standInStatuses: Readonly<Record<string, Readonly<Record<number, number>>>> = { groq: { 498: 503 } };

/**
 * The status retries, fallbacks, health and the SDK's retry advice read for a failure of a provider
 * of `providerType`: the one its own status stands for (Groq's 498 -> 503), else its own. The
 * client still gets the provider's status.
 */
export function retryStatusOf(error: GatewayError, providerType: string | undefined): number {
  if (!error.upstream || providerType === undefined) return error.status;
  return standInStatuses[providerType]?.[error.status] ?? error.status;
}

/**
 * True when the failure is one the policy retries. Only upstream failures are ever retried. A status
 * that stands for another (retryStatusOf) is retried when `on` names either.
 */
export function isRetryable(policy: RetryPolicy, error: GatewayError, providerType?: string): boolean {
  if (!error.upstream) return false;
  switch (error.code) {
    case 'upstream_unreachable':
    // A connection lost after the provider answered, before the gateway let any of it go (a held stream start, a body read whole).
    case 'upstream_connection_lost':
      return policy.connectError;
    case 'upstream_timeout':
      return policy.timeout;
    case 'upstream_bad_response':
      return policy.badResponse;
    default:
      return policy.statuses.has(error.status) || policy.statuses.has(retryStatusOf(error, providerType));
  }
}

/**
 * Full-jitter exponential backoff (AWS architecture blog): a delay drawn uniformly between 0 and
 * min(max, base * 2^(retry-1)), so that many clients retrying at once spread out.
 */
export function backoffDelayMs(policy: RetryPolicy, retryNumber: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/**
 * An account out of credit: OpenAI's `insufficient_quota` ("You exceeded your current quota, please
 * check your plan and billing details", a 429 that no wait clears) and `billing_hard_limit_reached`
 * (the account's spending limit). Someone must pay or raise the limit first. Bedrock's
 * ServiceQuotaExceededException, also read as `insufficient_quota`, is a per-account rate quota
 * AWS says to resubmit later (`type: rate_limit_error`): a rate limit, not this.
 */
export function isQuotaExhausted(error: GatewayError): boolean {
  if (!error.upstream) return false;
  return (error.code === 'insufficient_quota' && error.type !== 'rate_limit_error') || error.code === 'billing_hard_limit_reached';
}

/**
 * The provider's Retry-After in milliseconds (retry-after-ms, seconds, or an HTTP date), or null;
 * Infinity for a refusal no wait can fix (isQuotaExhausted), whatever it sent: the SDKs are told
 * not to retry it (adviseRetry: a wait past a minute) and the target rests for `max_cooldown`
 * (TargetHealth.recordRateLimit), not the 1 s of a rate limit that names no wait.
 */
export function retryAfterMs(error: GatewayError, nowEpochMs: number = Date.now()): number | null {
  if (isQuotaExhausted(error)) return Infinity;
  const precise = error.headers['retry-after-ms'];
  if (precise !== undefined && /^\d+(\.\d+)?$/.test(precise.trim())) return Number(precise);
  const value = error.headers['retry-after'];
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowEpochMs);
}

/** What an attempt's failure says about the target's health. */
export type HealthVerdict = 'failure' | 'rate-limited' | 'alive' | 'none';

/** `providerType`: a status that stands for another (retryStatusOf) counts as that one. */
export function healthVerdict(error: GatewayError, providerType?: string): HealthVerdict {
  if (!error.upstream) return 'none';
  if (error.code === 'upstream_unreachable' || error.code === 'upstream_connection_lost' || error.code === 'upstream_timeout' || error.code === 'upstream_bad_response') return 'failure';
  const status = retryStatusOf(error, providerType);
  if (status === 429) return 'rate-limited';
  if (status === 503 && (error.headers['retry-after'] !== undefined || error.headers['retry-after-ms'] !== undefined)) return 'rate-limited';
  if (status >= 500) return 'failure';
  return 'alive';
}
