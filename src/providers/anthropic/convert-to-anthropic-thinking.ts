import type { ChatRequest } from '../../canonical/chat.ts';
import { claudeRefusesTemperatureWithTopP, claudeRejectsSampling } from '../claude-model-family.ts';
import { claudeThinkingFor, thinkingBudgetWithin } from '../claude-thinking-budgets.ts';
import type { AnthropicRequest } from './anthropic-api.ts';

/** Anthropic requires max_tokens; this is what a request that names no limit gets. */
export const defaultMaxTokens = 4096;

/** The sampling parameters Opus 4.7 and later refuse at any value, as the canonical request names them. */
const samplingParameters = ['temperature', 'top_p', 'top_k'] as const;

/**
 * reasoning_effort as Claude's thinking, and the sampling parameters that may go with it, written
 * into `body` (whose max_tokens holds the client's limit or the default). Adaptive thinking
 * (`thinking: {type: adaptive}` + `output_config.effort`) on Opus 4.6 / Sonnet 4.6 and later,
 * a `budget_tokens` on older models (claudeThinkingFor). Thinking is left out when a tool is
 * forced: Anthropic rejects the pair, and the client's tool choice wins. Returns the parameters
 * the model cannot honour (the caller warns, or refuses under strict_params): temperature, top_p
 * and top_k on models that refuse them outright, top_p beside a temperature on those that take
 * only one of the two (claudeRefusesTemperatureWithTopP).
 */
export function applyThinkingAndSampling(request: ChatRequest, model: string, body: AnthropicRequest, clientMaxTokens: number | undefined, forcedTool: boolean): string[] {
  const thinking = forcedTool ? undefined : claudeThinkingFor(model, request.reasoning_effort);
  let thinkingOn = false;
  if (thinking?.type === 'adaptive') {
    body.thinking = { type: 'adaptive' };
    body.output_config = { effort: thinking.effort };
    if (clientMaxTokens === undefined) body.max_tokens = defaultMaxTokens + thinking.room;
    thinkingOn = true;
  } else if (thinking?.type === 'enabled') {
    const allowed = thinkingBudgetWithin(thinking.budgetTokens, clientMaxTokens);
    if (allowed !== undefined) {
      body.thinking = { type: 'enabled', budget_tokens: allowed };
      if (clientMaxTokens === undefined) body.max_tokens = defaultMaxTokens + allowed;
      thinkingOn = true;
    }
  }
  const asked = samplingParameters.filter((name) => typeof request[name] === 'number');
  if (claudeRejectsSampling(model)) return asked;
  // With thinking on, Anthropic accepts neither temperature nor top_k, and top_p only near 1: left out as documented.
  if (thinkingOn) return [];
  // OpenAI's temperature runs 0..2, Anthropic's 0..1: higher values are clamped, not refused.
  if (typeof request.temperature === 'number') body.temperature = Math.min(Math.max(request.temperature, 0), 1);
  // Claude 4.1 to 4.6 refuse the pair: temperature stays, top_p (often OpenAI's default 1, sent as a matter of course) is left out.
  const unhonoured = typeof request.top_p === 'number' && body.temperature !== undefined && claudeRefusesTemperatureWithTopP(model) ? ['top_p'] : [];
  if (typeof request.top_p === 'number' && unhonoured.length === 0) body.top_p = request.top_p;
  if (typeof request.top_k === 'number') body.top_k = request.top_k;
  return unhonoured;
}
