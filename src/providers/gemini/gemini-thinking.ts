import type { GeminiThinkingConfig } from './gemini-api.ts';
import { isGemini3OrLater, takesThinkingConfig } from './gemini-model-family.ts';

/** Gemini 3's thinking levels, least first. */
const levels = ['minimal', 'low', 'medium', 'high'] as const;
type ThinkingLevel = (typeof levels)[number];

/** The level each OpenAI reasoning_effort asks for; none asks for the least there is. */
const wantedLevel: Readonly<Record<string, ThinkingLevel>> = { none: 'minimal', minimal: 'minimal', low: 'low', medium: 'medium', high: 'high', xhigh: 'high', max: 'high' };

/**
 * The levels a Gemini 3 model takes: Flash (and Flash-Lite) all four; Gemini 3 Pro only low and
 * high; later Pro models (3.1) low, medium and high. None of them can turn thinking off.
 */
function levelsOf(model: string): readonly ThinkingLevel[] {
  if (/flash/i.test(model)) return levels;
  if (/gemini-3-pro/i.test(model)) return ['low', 'high'];
  return ['low', 'medium', 'high'];
}

/** The wanted level, or the next one up the model has (the highest when none is higher). */
function closestLevel(wanted: ThinkingLevel, model: string): ThinkingLevel {
  const available = levelsOf(model);
  return available.find((level) => levels.indexOf(level) >= levels.indexOf(wanted)) ?? available[available.length - 1];
}

/**
 * Gemini 2.5's token budgets. Pro thinks at least 128 tokens and at most 32768 (it cannot turn
 * thinking off); Flash and Flash-Lite up to 24576, and 0 turns thinking off. xhigh and max take
 * the model's most.
 */
function budgetOf(effort: string, model: string): number {
  const pro = /pro/i.test(model);
  switch (effort) {
    case 'none':
    case 'minimal':
      return pro ? 128 : 0;
    case 'low':
      return 1024;
    case 'medium':
      return 8192;
    case 'high':
      return 24576;
    case 'xhigh':
    case 'max':
      return pro ? 32768 : 24576;
    default:
      return 8192;
  }
}

/**
 * The budgets a Gemini 2.5 model takes when it thinks (Google's thinking guide): Pro 128 to
 * 32768, Flash-Lite 512 to 24576, Flash 1 to 24576.
 */
function budgetRangeOf(model: string): { least: number; most: number } {
  if (/pro/i.test(model)) return { least: 128, most: 32768 };
  if (/flash-lite/i.test(model)) return { least: 512, most: 24576 };
  return { least: 1, most: 24576 };
}

/**
 * A client's exact thinking budget (an Anthropic client's `budget_tokens`) as Gemini 2.5's
 * thinkingBudget: as given, within the model's range; and since Gemini counts thoughts inside
 * maxOutputTokens, a budget that would take the whole limit gets half of it, so the answer has room
 * (Anthropic requires the budget below max_tokens; a client that sent more gets what it could mean).
 */
function exactBudget(budgetTokens: number, model: string, maxOutputTokens: number | undefined): number {
  const wanted = maxOutputTokens !== undefined && budgetTokens >= maxOutputTokens ? Math.floor(maxOutputTokens / 2) : budgetTokens;
  const { least, most } = budgetRangeOf(model);
  return Math.min(most, Math.max(least, wanted));
}

/** What a request says of thinking, beside reasoning_effort. */
export interface GeminiThinkingRequest {
  /** The exact budget the client asked for (`reasoning_budget_tokens`, a canonical extension). */
  budgetTokens?: number | null;
  /** The request's output limit (Gemini's maxOutputTokens, which thoughts count against). */
  maxOutputTokens?: number;
}

/**
 * reasoning_effort as Gemini's thinking settings: Gemini 3 (and later) takes a level, Gemini 2.5
 * a token budget: the client's exact one when it gave one (exactBudget), else the effort's. The
 * mapping only rises with the effort (xhigh and max at least as much as high); an effort it does
 * not know counts as medium. Thought summaries are asked for so they come back as
 * reasoning_content, except where the client asked for no reasoning (`none`) or thinking is off.
 * A model that cannot think gets none (Google refuses it; gemini-unhonoured-parameters.ts warns).
 */
export function geminiThinkingConfig(effort: string | null | undefined, model: string, request: GeminiThinkingRequest = {}): GeminiThinkingConfig | undefined {
  if (effort === undefined || effort === null || !takesThinkingConfig(model)) return undefined;
  if (isGemini3OrLater(model)) {
    const thinkingLevel = closestLevel(wantedLevel[effort] ?? 'medium', model);
    return effort === 'none' ? { thinkingLevel } : { includeThoughts: true, thinkingLevel };
  }
  const exact = request.budgetTokens;
  // An effort's budget is kept below the output limit as an exact one is (exactBudget): thoughts
  // count inside maxOutputTokens, and a budget over it could leave no room for the answer.
  const effortBudget = budgetOf(effort, model);
  const thinkingBudget =
    typeof exact === 'number' && exact > 0 && effort !== 'none'
      ? exactBudget(exact, model, request.maxOutputTokens)
      : effortBudget > 0 && request.maxOutputTokens !== undefined && effortBudget >= request.maxOutputTokens
        ? exactBudget(effortBudget, model, request.maxOutputTokens)
        : effortBudget;
  return thinkingBudget === 0 || effort === 'none' ? { thinkingBudget } : { includeThoughts: true, thinkingBudget };
}
