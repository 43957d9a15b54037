import type { ChatRequest } from '../../canonical/chat.ts';
import type { AnthropicClientRequest } from './anthropic-client-request.ts';

/**
 * Anthropic's thinking budget as OpenAI's reasoning_effort, the canonical knob every adapter
 * reads (the anthropic adapter turns it back into a budget: low 1024, medium 4096, high 16384).
 */
export function reasoningEffortFor(budgetTokens: number): 'low' | 'medium' | 'high' {
  if (budgetTokens <= 2048) return 'low';
  if (budgetTokens <= 8192) return 'medium';
  return 'high';
}

/** Anthropic's effort levels, which OpenAI's reasoning_effort also has (xhigh and max since openai 6.x). */
const efforts = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

/** Anthropic's default effort, what adaptive thinking without `output_config.effort` runs at. */
const defaultEffort = 'high';

/**
 * A Messages request's thinking as reasoning_effort: `enabled` by its budget; `adaptive` by
 * `output_config.effort` (the same names), Anthropic's default (high) when none is given or it
 * is one this does not know. Undefined when thinking is off or absent (an effort alone tunes
 * a Claude answer, but asks no other model to reason).
 */
export function reasoningEffortOf(request: AnthropicClientRequest): ChatRequest['reasoning_effort'] | undefined {
  const thinking = request.thinking;
  if (thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number') return reasoningEffortFor(thinking.budget_tokens);
  if (thinking?.type !== 'adaptive') return undefined;
  const effort = request.output_config?.effort;
  return (typeof effort === 'string' && efforts.has(effort) ? effort : defaultEffort) as ChatRequest['reasoning_effort'];
}
