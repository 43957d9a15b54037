/**
 * Mistral's finish reasons are OpenAI's plus `model_length` (the model's context window was
 * reached, so the answer was cut: OpenAI says `length` for that) and `error` (the generation failed
 * on Mistral's side; OpenAI has no value for it, so it is passed on as Mistral sent it).
 */
export function mapMistralFinishReason(reason: unknown): unknown {
  return reason === 'model_length' ? 'length' : reason;
}
