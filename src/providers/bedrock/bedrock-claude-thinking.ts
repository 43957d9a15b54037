import type { ChatRequest } from '../../canonical/chat.ts';
import { claudeThinkingStyle } from '../claude-model-family.ts';
import { claudeThinkingFor, thinkingBudgetWithin } from '../claude-thinking-budgets.ts';
import type { BedrockMessage } from './bedrock-api.ts';
import { isClaude } from './bedrock-model-features.ts';

/** With thinking on and no limit asked for, the answer gets this much beside the thinking (what the Anthropic adapter gives). */
const answerTokensBesideThinking = 4096;

/** Claude's thinking as Converse passes it to the model, and the maxTokens to send with it. */
export interface BedrockClaudeThinking {
  /** additionalModelRequestFields: `thinking`, and `output_config` for adaptive thinking. */
  fields: Record<string, unknown>;
  maxTokens: number;
}

/**
 * Claude's thinking on Bedrock (additionalModelRequestFields, which Converse passes to the model
 * as is), by model generation (claudeThinkingFor, shared with the anthropic adapter); undefined
 * for no thinking. The client's output limit is never raised:
 * - an exact budget (`reasoning_budget_tokens`, a canonical extension: an Anthropic client's
 *   `thinking.budget_tokens`) goes as given on models that take budgets, with the client's
 *   max_tokens as given;
 * - reasoning_effort on Opus 4.6 / Sonnet 4.6 and later: adaptive thinking with
 *   `output_config.effort`; a client's limit stands, and without one there is room to think;
 * - reasoning_effort on older models: the effort's budget within the client's limit (at most half
 *   of it, none below Claude's 1024 minimum: thinkingBudgetWithin); without a limit the answer
 *   gets room beside the budget.
 * Other model families name reasoning differently, or not at all (bedrock-model-reasoning.ts). Thinking is left out with a
 * forced tool (JSON mode, tool_choice required/named): Claude refuses the pair; the tool wins.
 */
export function bedrockClaudeThinking(request: ChatRequest, model: string, clientMaxTokens: number | undefined, forcedTool: boolean): BedrockClaudeThinking | undefined {
  if (!isClaude(model) || forcedTool) return undefined;
  const exactBudget = request.reasoning_budget_tokens;
  if (typeof exactBudget === 'number' && claudeThinkingStyle(model) === 'budget') {
    return { fields: { thinking: { type: 'enabled', budget_tokens: exactBudget } }, maxTokens: clientMaxTokens ?? exactBudget + answerTokensBesideThinking };
  }
  const thinking = claudeThinkingFor(model, request.reasoning_effort);
  if (thinking?.type === 'adaptive') {
    return { fields: { thinking: { type: 'adaptive' }, output_config: { effort: thinking.effort } }, maxTokens: clientMaxTokens ?? thinking.room + answerTokensBesideThinking };
  }
  if (thinking?.type !== 'enabled') return undefined;
  const budget = thinkingBudgetWithin(thinking.budgetTokens, clientMaxTokens);
  if (budget === undefined) return undefined;
  return { fields: { thinking: { type: 'enabled', budget_tokens: budget } }, maxTokens: clientMaxTokens ?? budget + answerTokensBesideThinking };
}

/**
 * True when the conversation's last assistant turn holds a toolUse block but does not start with
 * its reasoning (a reasoningContent block): with thinking on, Claude refuses it ("a final assistant
 * message must start with a thinking block"; "to avoid this requirement, disable thinking"). What
 * an OpenAI client's tool loop sends when it does not keep the gateway's reasoning fields (the
 * openai SDK's runTools), or kept a text its signature was not given with (../reasoning-signature.ts).
 */
export function lastToolTurnWithoutReasoning(messages: readonly BedrockMessage[]): boolean {
  for (let index = messages.length - 1; index >= 0; index--) {
    const turn = messages[index];
    if (turn.role !== 'assistant') continue;
    const first = turn.content[0];
    return (first === undefined || !('reasoningContent' in first)) && turn.content.some((block) => 'toolUse' in block);
  }
  return false;
}
