import { GatewayError } from '../../errors/gateway-error.ts';
import { formatUsd } from '../../usage/compute-cost.ts';
import type { ApplicableLimit } from './applicable-limits.ts';

function seconds(milliseconds: number): string {
  return `${Math.max(1, Math.ceil(milliseconds / 1000))}`;
}

function who(applicable: ApplicableLimit): string {
  const { limit, scopeValue } = applicable;
  return limit.scope === 'global' ? 'the gateway' : `${limit.scope === 'header' ? limit.header : limit.scope} '${scopeValue}'`;
}

function retryIn(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.ceil(milliseconds)}ms` : `${(milliseconds / 1000).toFixed(milliseconds < 10_000 ? 1 : 0)}s`;
}

/**
 * The 429 for a rate or concurrency limit, in OpenAI's shape (type rate_limit_error — the
 * gateway's error type for every limit — and OpenAI's code rate_limit_exceeded), with
 * Retry-After. OpenAI's own message wording is kept: limit, used, requested, when to retry.
 */
export function rateLimitExceeded(applicable: ApplicableLimit, used: number, amount: number, retryAfterMs: number, headers: Record<string, string>): GatewayError {
  const { limit } = applicable;
  const message =
    limit.unit === 'concurrent'
      ? `Too many concurrent requests for ${who(applicable)} (${limit.name}): limit ${limit.value}, in flight ${used}. Please try again when one finishes.`
      : amount > limit.value
        ? `Request too large for ${who(applicable)} (${limit.name}): it needs about ${Math.ceil(amount)} ${limit.unit.replace('_', ' ')} (prompt estimate plus max_tokens), more than the limit of ${limit.value}. Lower max_tokens or shorten the prompt.`
        : `Rate limit reached for ${who(applicable)} on ${limit.unit.replace('_', ' ')} per ${limit.per} (${limit.name}): limit ${limit.value}, used ${Math.ceil(used)}, requested ${Math.ceil(amount)}. Please try again in ${retryIn(retryAfterMs)}.`;
  return new GatewayError({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message, headers: { ...headers, 'retry-after': seconds(retryAfterMs) } });
}

/** The 429 for a hard budget (a cost_usd limit): names the budget, what was spent, and when it resets. */
export function budgetExceeded(applicable: ApplicableLimit, spent: number, resetsAt: number, now: number, headers: Record<string, string>): GatewayError {
  const { limit } = applicable;
  const message = `Budget exceeded for ${who(applicable)}: ${limit.name} (spent $${formatUsd(spent)} of $${formatUsd(limit.value)} this ${limit.per}). It resets at ${new Date(resetsAt).toISOString()}.`;
  return new GatewayError({ status: 429, type: 'rate_limit_error', code: 'budget_exceeded', message, headers: { ...headers, 'retry-after': seconds(resetsAt - now) } });
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
