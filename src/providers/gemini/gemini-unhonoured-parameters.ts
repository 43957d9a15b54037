import type { ChatRequest } from '../../canonical/chat.ts';
import { takesThinkingConfig } from './gemini-model-family.ts';

/** The efforts that ask for no thinking (gemini-thinking.ts turns thinking off for them on 2.5 Flash): a model that cannot think honours them. */
const noThinking = new Set(['none', 'minimal']);

/**
 * Parameters a request sets to a value Gemini cannot honour, left out of the body (the caller
 * warns or, under strict_params, refuses): `parallel_tool_calls: false` (Gemini has no switch for
 * parallel calls; `true` is what it does anyway), and a `reasoning_effort` that asks for thinking
 * from a model without it (takesThinkingConfig). They depend on the value or the model, so they
 * cannot be the provider's droppedParameters.
 */
export function geminiUnhonouredParameters(request: ChatRequest, model: string): string[] {
  const names: string[] = [];
  if (request.parallel_tool_calls === false) names.push('parallel_tool_calls');
  const effort = request.reasoning_effort;
  if (typeof effort === 'string' && !noThinking.has(effort) && !takesThinkingConfig(model)) names.push('reasoning_effort');
  return names;
}
