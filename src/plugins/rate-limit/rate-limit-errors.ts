import { GatewayError } from '../../errors/gateway-error.ts';
import { doNotRetry, retryAfterHeaders } from '../../errors/retry-advice.ts';
import { formatUsd } from '../../usage/compute-cost.ts';
import type { ApplicableLimit } from './applicable-limits.ts';
import { epsilon } from './counter-backend.ts';

function who(applicable: ApplicableLimit): string {
  const { limit, scopeValue, displayValue } = applicable;
  return limit.scope === 'global' ? 'the gateway' : `${limit.scope === 'header' ? limit.header : limit.scope} '${displayValue ?? scopeValue}'`;
}

function retryIn(milliseconds: number): string {
  // Rounded up at the precision shown, like Retry-After: a client that waits what the message says is not refused again.
  if (milliseconds < 1000) return `${Math.ceil(milliseconds)}ms`;
  return milliseconds < 10_000 ? `${(Math.ceil(milliseconds / 100) / 10).toFixed(1)}s` : `${Math.ceil(milliseconds / 1000)}s`;
}

/** What the gateway reserved for a request before the call, for the messages that refuse it. */
export interface RequestEstimate {
  /** Prompt tokens, estimated from the request. */
  inputTokens: number;
  /** Output tokens reserved: max_tokens (times n), else default_max_output_tokens, capped by the model's maximum. */
  outputTokens: number;
  /** Whether the request set max_tokens / max_completion_tokens itself. */
  maxTokensSet: boolean;
  /** USD at the price of the most expensive target that may serve it; 0 when none is priced. */
  costUsd: number;
  /** What a forwarded operation's estimate is made of (images, audio, rerank: src/usage/estimate-forwarded-usage.ts), instead of prompt and max_tokens. */
  basis?: string;
  /** What the client can change to make the request smaller; default: a lower max_tokens or a shorter prompt. */
  advice?: string;
}

/** What an estimate is made of, e.g. "about 8 prompt tokens and 1024 output tokens (the request sets no max_tokens, so default_max_output_tokens is reserved)". */
function reservation(estimate: RequestEstimate): string {
  if (estimate.basis !== undefined) return estimate.basis;
  const output = estimate.maxTokensSet ? 'its max_tokens' : 'the request sets no max_tokens, so default_max_output_tokens is reserved';
  return `about ${estimate.inputTokens} prompt tokens and ${estimate.outputTokens} output tokens (${output})`;
}

function advice(estimate: RequestEstimate, fallback = 'Set a lower max_tokens or shorten the prompt'): string {
  return estimate.advice ?? fallback;
}

/**
 * The 429 for a rate or concurrency limit, in OpenAI's shape (type rate_limit_error — the
 * gateway's error type for every limit — and OpenAI's code rate_limit_exceeded). OpenAI's own
 * message wording is kept: limit, used, requested, when to retry. A request larger than the
 * whole limit can never fit, whatever the wait: it gets `x-should-retry: false` and no
 * Retry-After (OpenAI also answers its "Request too large" with 429 rate_limit_exceeded, which
 * clients already handle); anything else gets Retry-After, and `x-should-retry: false` when that
 * is more than a minute away (retryAfterHeaders).
 */
export function rateLimitExceeded(applicable: ApplicableLimit, used: number, amount: number, retryAfterMs: number, headers: Record<string, string>, estimate: RequestEstimate): GatewayError {
  const { limit } = applicable;
  const unit = limit.unit.replace('_', ' ');
  if (limit.unit !== 'concurrent' && amount > limit.value) {
    const parts = limit.unit === 'tokens' ? `: ${reservation(estimate)}` : '';
    const message = `Request too large for ${who(applicable)} (${limit.name}): it needs ${parts === '' ? 'about ' : ''}${Math.ceil(amount)} ${unit}${parts}. That is more than the whole limit of ${limit.value} per ${limit.per}, so it can never be admitted. ${advice(estimate)}.`;
    return new GatewayError({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message, headers: { ...headers, ...doNotRetry } });
  }
  const message =
    limit.unit === 'concurrent'
      ? `Too many concurrent requests for ${who(applicable)} (${limit.name}): limit ${limit.value}, in flight ${used}. Please try again when one finishes.`
      : `Rate limit reached for ${who(applicable)} on ${unit} per ${limit.per} (${limit.name}): limit ${limit.value}, used ${Math.ceil(used)}, requested ${Math.ceil(amount)}. Please try again in ${retryIn(retryAfterMs)}.`;
  return new GatewayError({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message, headers: { ...headers, ...retryAfterHeaders(retryAfterMs) } });
}

/**
 * The 429 for a hard budget (a cost_usd limit), in three cases the message tells apart:
 * - the request's own estimate is more than the whole budget: it can never be admitted
 *   (`x-should-retry: false`, no Retry-After), and the message gives the estimate;
 * - the budget is spent: it names the spend and when it resets;
 * - some is left but less than this request's estimate: it says both.
 * Retry-After is the time until the period resets (honest: nothing frees budget before that),
 * with `x-should-retry: false` when that is more than a minute away, as it nearly always is.
 */
export function budgetExceeded(applicable: ApplicableLimit, spent: number, estimate: RequestEstimate, resetsAt: number, now: number, headers: Record<string, string>): GatewayError {
  const { limit } = applicable;
  const basis = `The estimate prices ${reservation(estimate)} at the most expensive model that may serve it.`;
  if (estimate.costUsd > limit.value) {
    const message = `Request too large for the budget of ${who(applicable)} (${limit.name}): its estimated cost of $${formatUsd(estimate.costUsd)} is more than the whole budget of $${formatUsd(limit.value)}, so it can never be admitted. ${basis} ${advice(estimate)}.`;
    return new GatewayError({ status: 429, type: 'rate_limit_error', code: 'budget_exceeded', message, headers: { ...headers, ...doNotRetry } });
  }
  const resetTime = new Date(resetsAt).toISOString();
  const left = limit.value - spent;
  const message =
    estimate.costUsd > 0 && left > epsilon
      ? `Budget nearly spent for ${who(applicable)}: ${limit.name} (spent $${formatUsd(spent)} of $${formatUsd(limit.value)} this ${limit.per}); this request's estimated cost of $${formatUsd(estimate.costUsd)} is more than the $${formatUsd(left)} left. ${basis} ${advice(estimate, 'Set a lower max_tokens')}, or wait until it resets at ${resetTime}.`
      : `Budget exceeded for ${who(applicable)}: ${limit.name} (spent $${formatUsd(spent)} of $${formatUsd(limit.value)} this ${limit.per}). It resets at ${resetTime}.`;
  return new GatewayError({ status: 429, type: 'rate_limit_error', code: 'budget_exceeded', message, headers: { ...headers, ...retryAfterHeaders(resetsAt - now) } });
}

/** A fail_closed limit whose counters cannot be reached. */
export function limitsUnavailable(): GatewayError {
  return new GatewayError({
    status: 503,
    type: 'api_error',
    code: 'rate_limit_unavailable',
    message: 'The rate-limit store cannot be reached and this limit is set to fail_closed; retry shortly.',
    headers: { 'retry-after': '1' },
  });
}
