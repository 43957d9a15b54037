import type { Usage } from '../canonical/chat.ts';

/**
 * A usage with the processing tier its answer names (`service_tier`, which OpenAI puts beside the
 * usage in a response or chunk, not inside it) added as the canonical `service_tier`, so the
 * tier's prices apply (compute-cost.ts priceForTier). A copy: the answer's own usage object may
 * still go to the client. The same usage when the answer names no tier.
 */
export function withServiceTier(usage: Usage, serviceTier: unknown): Usage {
  return typeof serviceTier === 'string' && serviceTier !== '' ? { ...usage, service_tier: serviceTier } : usage;
}
