import type { Usage } from '../canonical/chat.ts';
import { tokenCount } from './token-count.ts';

/**
 * The usage a provider reported on an attempt that was then cut and failed (Anthropic's
 * message_start, before the first content; RequestContext.failedAttemptUsage), and the target it
 * went to: it is priced at that target's price, which a fallback's may not share.
 */
export interface FailedAttemptUsage {
  usage: Usage;
  target: { model: string; provider: { settings: { name: string; type: string } } };
}

/** Token totals of the ledger's columns: cached tokens are part of input, reasoning part of output. */
export interface TokenTotals {
  input: number;
  output: number;
  cached: number;
  reasoning: number;
}

/** The failed attempts' tokens, summed; null when there are none. */
export function failedAttemptTokens(attempts: readonly FailedAttemptUsage[] | undefined): TokenTotals | null {
  if (attempts === undefined || attempts.length === 0) return null;
  const totals: TokenTotals = { input: 0, output: 0, cached: 0, reasoning: 0 };
  for (const { usage } of attempts) {
    totals.input += tokenCount(usage.prompt_tokens);
    totals.output += tokenCount(usage.completion_tokens);
    totals.cached += tokenCount(usage.prompt_tokens_details?.cached_tokens);
    totals.reasoning += tokenCount(usage.completion_tokens_details?.reasoning_tokens);
  }
  return totals;
}
