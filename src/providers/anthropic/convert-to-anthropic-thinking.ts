import type { ChatRequest } from '../../canonical/chat.ts';
import { claudeRefusesTemperatureWithTopP, claudeRejectsSampling } from '../claude-model-family.ts';
import { claudeThinkingFor, thinkingBudgetWithin } from '../claude-thinking-budgets.ts';
import type { AnthropicMessage, AnthropicRequest } from './anthropic-api.ts';

/** Anthropic requires max_tokens; this is what a request that names no limit gets. */
export const defaultMaxTokens = 4096;

/** The sampling parameters Opus 4.7 and later refuse at any value, as the canonical request names them. */
const samplingParameters = ['temperature', 'top_p', 'top_k'] as const;

/** What keeps thinking off for one request, whatever its reasoning_effort. */
export interface ThinkingObstacles {
  /** A tool is forced (tool_choice required or named, JSON mode): Anthropic rejects the pair, and the client's tool choice wins. */
  forcedTool: boolean;
  /**
   * The conversation's last assistant turn calls tools and does not start with a thinking block
   * (lastToolTurnWithoutThinking): with thinking on, Anthropic refuses it ("a final assistant
   * message must start with a thinking block"; "to avoid this requirement, disable thinking").
   */
  toolTurnWithoutThinking: boolean;
}

/**
 * True when the last assistant turn holds a tool_use block but does not start with a thinking or
 * redacted_thinking block: what an OpenAI client's tool loop sends when it does not keep the
 * gateway's reasoning fields (the openai SDK's runTools rebuilds the message from its typed
 * fields), or kept a text its signature was not given with (../reasoning-signature.ts).
 */
export function lastToolTurnWithoutThinking(messages: readonly AnthropicMessage[]): boolean {
  for (let index = messages.length - 1; index >= 0; index--) {
    const turn = messages[index];
    if (turn.role !== 'assistant') continue;
    const first = turn.content[0]?.type;
    return first !== 'thinking' && first !== 'redacted_thinking' && turn.content.some((block) => block.type === 'tool_use');
  }
  return false;
}

/**
 * reasoning_effort as Claude's thinking, and the sampling parameters that may go with it, written
 * into `body` (whose max_tokens holds the client's limit or the default). Adaptive thinking
 * (`thinking: {type: adaptive}` + `output_config.effort`) on Opus 4.6 / Sonnet 4.6 and later,
 * a `budget_tokens` on older models (claudeThinkingFor; `reasoning_budget_tokens` as given when set). Thinking is left out when a tool is
 * forced (Anthropic rejects the pair, and the client's tool choice wins), and when the last tool
 * turn has no thinking to go back (Anthropic would refuse the request): then reasoning_effort is
 * named among the parameters not honoured. Returns the parameters the model cannot honour (the
 * caller warns, or refuses under strict_params): temperature, top_p and top_k on models that
 * refuse them outright, top_p beside a temperature on those that take only one of the two
 * (claudeRefusesTemperatureWithTopP).
 */
export function applyThinkingAndSampling(request: ChatRequest, model: string, body: AnthropicRequest, clientMaxTokens: number | undefined, obstacles: ThinkingObstacles): string[] {
  const thinking = obstacles.forcedTool ? undefined : claudeThinkingFor(model, request.reasoning_effort);
  // An exact budget (an Anthropic client's thinking.budget_tokens, a canonical extension) goes as given, as the client would have sent it.
  const exactBudget = request.reasoning_budget_tokens;
  const budget = thinking?.type !== 'enabled' ? undefined : typeof exactBudget === 'number' ? exactBudget : thinkingBudgetWithin(thinking.budgetTokens, clientMaxTokens);
  const unhonoured: string[] = [];
  let thinkingOn = false;
  if ((thinking?.type === 'adaptive' || budget !== undefined) && obstacles.toolTurnWithoutThinking) unhonoured.push('reasoning_effort');
  else if (thinking?.type === 'adaptive') {
    body.thinking = { type: 'adaptive' };
    body.output_config = { effort: thinking.effort };
    if (clientMaxTokens === undefined) body.max_tokens = defaultMaxTokens + thinking.room;
    thinkingOn = true;
  } else if (budget !== undefined) {
    body.thinking = { type: 'enabled', budget_tokens: budget };
    if (clientMaxTokens === undefined) body.max_tokens = defaultMaxTokens + budget;
    thinkingOn = true;
  }
  if (claudeRejectsSampling(model)) {
    for (const name of samplingParameters) if (typeof request[name] === 'number') unhonoured.push(name);
    return unhonoured;
  }
  // With thinking on, Anthropic accepts neither temperature nor top_k, and top_p only near 1: left out as documented.
  if (thinkingOn) return unhonoured;
  // OpenAI's temperature runs 0..2, Anthropic's 0..1: higher values are clamped, not refused.
  if (typeof request.temperature === 'number') body.temperature = Math.min(Math.max(request.temperature, 0), 1);
  // Claude 4.1 to 4.6 refuse the pair: temperature stays, top_p (often OpenAI's default 1, sent as a matter of course) is left out.
  if (typeof request.top_p === 'number' && body.temperature !== undefined && claudeRefusesTemperatureWithTopP(model)) unhonoured.push('top_p');
  else if (typeof request.top_p === 'number') body.top_p = request.top_p;
  if (typeof request.top_k === 'number') body.top_k = request.top_k;
  return unhonoured;
}
