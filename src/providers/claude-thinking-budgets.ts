import { claudeTakesExtraHighEffort, claudeThinkingStyle } from './claude-model-family.ts';

/**
 * Claude's extended-thinking budget (tokens) for each OpenAI reasoning_effort, for models that
 * take `budget_tokens`; 'minimal' and no effort ask for no extended thinking there. xhigh and max
 * get high's budget: more would push max_tokens past some of those models' output limits.
 */
export const claudeThinkingBudgets: Readonly<Record<string, number>> = { low: 1024, medium: 4096, high: 16384, xhigh: 16384, max: 16384 };

/** Claude's smallest thinking budget (Anthropic's API and Bedrock refuse less). */
export const minimumThinkingBudget = 1024;

/**
 * A thinking budget that fits a client's output limit. OpenAI counts reasoning inside
 * max_completion_tokens, so the limit stays what the client asked and thinking may take at most
 * half of it (the rest is the answer's); with no limit the whole budget. Undefined when that
 * leaves less than Claude's minimum: no extended thinking then.
 */
export function thinkingBudgetWithin(budgetTokens: number, clientMaxTokens: number | undefined): number | undefined {
  const allowed = clientMaxTokens === undefined ? budgetTokens : Math.min(budgetTokens, Math.floor(clientMaxTokens / 2));
  return allowed >= minimumThinkingBudget ? allowed : undefined;
}

/** Anthropic's `output_config.effort` levels. */
export type ClaudeEffort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/**
 * Room for adaptive thinking on top of the answer when the client named no output limit: the
 * model decides how long it thinks, and max_tokens covers thinking and answer together.
 */
const adaptiveThinkingRoom: Readonly<Record<ClaudeEffort, number>> = { low: 1024, medium: 4096, high: 16384, xhigh: 32768, max: 32768 };

/** What a reasoning_effort asks of one Claude model; undefined when it asks for no thinking. */
export type ClaudeThinking =
  | { type: 'adaptive'; effort: ClaudeEffort; room: number }
  | { type: 'enabled'; budgetTokens: number };

/**
 * The closest effort level for an OpenAI reasoning_effort: minimal is low (adaptive thinking
 * has no lower level; at low Claude may skip thinking), xhigh is high on models without xhigh
 * (Opus 4.6, Sonnet 4.6), max stays max. Undefined for none, no effort or an unknown value.
 */
function effortFor(reasoningEffort: string, model: string): ClaudeEffort | undefined {
  switch (reasoningEffort) {
    case 'minimal':
    case 'low':
      return 'low';
    case 'medium':
    case 'high':
    case 'max':
      return reasoningEffort;
    case 'xhigh':
      return claudeTakesExtraHighEffort(model) ? 'xhigh' : 'high';
    default:
      return undefined;
  }
}

/**
 * Claude's thinking for an OpenAI reasoning_effort on `model`: adaptive thinking with an effort
 * on the models that take it (Opus 4.6 / Sonnet 4.6 and later; the newest take nothing else),
 * a token budget on older ones. One function for every route to Claude (Anthropic's API, Vertex
 * AI, Bedrock), so the same request thinks alike whichever way it goes.
 */
export function claudeThinkingFor(model: string, reasoningEffort: string | null | undefined): ClaudeThinking | undefined {
  if (typeof reasoningEffort !== 'string') return undefined;
  if (claudeThinkingStyle(model) === 'budget') {
    const budgetTokens = claudeThinkingBudgets[reasoningEffort];
    return budgetTokens === undefined ? undefined : { type: 'enabled', budgetTokens };
  }
  const effort = effortFor(reasoningEffort, model);
  return effort === undefined ? undefined : { type: 'adaptive', effort, room: adaptiveThinkingRoom[effort] };
}
