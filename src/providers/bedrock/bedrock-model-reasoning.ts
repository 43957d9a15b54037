import type { ChatRequest } from '../../canonical/chat.ts';
import { isClaude } from './bedrock-model-features.ts';

/**
 * Reasoning on Bedrock models other than Claude (Claude's thinking is bedrock-claude-thinking.ts).
 * Converse has no reasoning field of its own: each family reads its own request field from
 * additionalModelRequestFields, which Converse passes to the model as is. Two families document one:
 * - Amazon Nova 2 Lite: `reasoningConfig: {type: "enabled", maxReasoningEffort: low | medium | high}`
 *   (AWS's Nova 2 user guide, "Extended thinking"; off by default). At high effort the model refuses
 *   temperature, topP and topK ("Temperature, topP and topK cannot be used with maxReasoningEffort
 *   set to high", AWS's Nova 2 samples).
 * - OpenAI gpt-oss: OpenAI's own `reasoning_effort` (low | medium | high): AWS's "OpenAI models"
 *   page maps four chat-completions fields to inferenceConfig and sends "any other fields" in
 *   additionalModelRequestFields.
 * Every other model takes no effort Converse can pass (DeepSeek-R1 reasons by itself, Llama,
 * Mistral, Nova 1 and the rest not at all): a reasoning request to one is not honoured, so the
 * caller warns, or refuses it under strict_params, as for `seed`.
 */

/** The efforts Nova 2 Lite (maxReasoningEffort) and gpt-oss (reasoning_effort) take. */
type EffortLevel = 'low' | 'medium' | 'high';

/** Nova 2 Lite: the one Nova model with extended thinking (its reasoningConfig is "Nova 2 Lite and Sonic only" in AWS's request schema). */
const novaWithReasoning = /amazon\.nova-2-lite/i;

/** OpenAI's open-weight models on Bedrock (openai.gpt-oss-20b-1:0, openai.gpt-oss-120b-1:0). */
const gptOss = /openai\.gpt-oss/i;

/**
 * The closest level both families take for an OpenAI reasoning_effort: minimal is low (neither has
 * a lower one), xhigh and max are high (neither has a higher one); undefined for an unknown value.
 */
function effortLevel(effort: unknown): EffortLevel | undefined {
  switch (effort) {
    case 'minimal':
    case 'low':
      return 'low';
    case 'medium':
      return 'medium';
    case 'high':
    case 'xhigh':
    case 'max':
      return 'high';
    default:
      return undefined;
  }
}

/** What a non-Claude model is sent for the request's reasoning, and what it cannot honour. */
export interface BedrockModelReasoning {
  /** Fields for additionalModelRequestFields; empty without reasoning. */
  fields: Record<string, unknown>;
  /** The model refuses sampling parameters (temperature, top_p, top_k) with this reasoning: they are left out. */
  refusesSampling: boolean;
  /** `reasoning_effort` (or `reasoning_budget_tokens`) when the model cannot take it: the caller warns, or refuses under strict_params. */
  unhonoured: string[];
}

const noReasoning: BedrockModelReasoning = { fields: {}, refusesSampling: false, unhonoured: [] };

/**
 * The request's reasoning (an OpenAI client's reasoning_effort; an Anthropic client's `thinking`,
 * which arrives as the effort its budget maps to, with the budget beside it) for a model other
 * than Claude. `none` asks for no reasoning and sends nothing (the models' default, Nova 2's
 * thinking being off unless enabled).
 */
export function bedrockModelReasoning(request: ChatRequest, model: string): BedrockModelReasoning {
  if (isClaude(model)) return noReasoning;
  // Clients send more than the canonical type names (none, xhigh, max).
  const effort: unknown = request.reasoning_effort;
  const asked = typeof effort === 'string' ? effort !== 'none' : typeof request.reasoning_budget_tokens === 'number';
  if (!asked) return noReasoning;
  const level = effortLevel(effort);
  if (level !== undefined && novaWithReasoning.test(model)) {
    return { fields: { reasoningConfig: { type: 'enabled', maxReasoningEffort: level } }, refusesSampling: level === 'high', unhonoured: [] };
  }
  if (level !== undefined && gptOss.test(model)) return { fields: { reasoning_effort: level }, refusesSampling: false, unhonoured: [] };
  return { fields: {}, refusesSampling: false, unhonoured: [typeof effort === 'string' ? 'reasoning_effort' : 'reasoning_budget_tokens'] };
}
