/**
 * OpenRouter sends a model's reasoning as `reasoning` (a string, beside `reasoning_details`) in
 * each choice's `message` and stream `delta`, where DeepSeek and vLLM say `reasoning_content`, the
 * canonical name. Reading an OpenAI-format reply for a client of another format (Anthropic's
 * Messages, the Responses API: decode-passthrough.ts), `reasoning` becomes `reasoning_content` when
 * that is absent, so those clients get the thinking block or reasoning item. OpenAI-format clients
 * are not served through this: they get the provider's bytes as sent. Changes `reply` in place.
 */
export function takeReasoningAsReasoningContent(reply: unknown): void {
  const choices = (reply as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return;
  for (const choice of choices) {
    const holder = choice as { delta?: unknown; message?: unknown } | null;
    const fields = (holder?.delta ?? holder?.message) as { reasoning?: unknown; reasoning_content?: unknown } | null | undefined;
    if (fields === null || typeof fields !== 'object' || typeof fields.reasoning !== 'string') continue;
    if (fields.reasoning !== '' && (typeof fields.reasoning_content !== 'string' || fields.reasoning_content === '')) fields.reasoning_content = fields.reasoning;
    delete fields.reasoning;
  }
}
