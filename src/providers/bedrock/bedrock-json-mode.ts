import type { ResponseFormat } from '../../canonical/chat.ts';

/**
 * JSON mode on models that cannot be made to call a tool (no `toolChoice.tool`: Llama, Mistral,
 * Cohere, DeepSeek, Titan…, and ids this adapter cannot place). A JSON tool offered with
 * toolChoice auto would be called or not at the model's whim, and several of these models take
 * no tools at all; so instead the request carries an instruction (in `system`, or the first user
 * turn for models without system prompts) and the answer's text is read back as JSON
 * (jsonAnswerOf). Null when the request asks for no JSON.
 */
export function jsonInstruction(format: ResponseFormat | undefined): string | null {
  if (!format || (format.type !== 'json_object' && format.type !== 'json_schema')) return null;
  const lines = ['Answer with a single JSON object and nothing else: no text before or after it, no Markdown code fences.'];
  if (format.type === 'json_schema') {
    const { description, schema } = format.json_schema ?? {};
    if (typeof description === 'string' && description !== '') lines.push(`The object is: ${description}`);
    if (schema && typeof schema === 'object') lines.push(`It must be valid against this JSON Schema:\n${JSON.stringify(schema)}`);
  }
  return lines.join('\n');
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The JSON in a model's answer to a JSON instruction: the text itself when it parses; else the
 * first Markdown code block, or the span from the first `{` to the last `}`, when that parses
 * (models often wrap the object in a fence or a sentence). Text holding no JSON comes back
 * unchanged: the client sees what the model said (a reply cut short by max_tokens, a refusal).
 */
export function jsonAnswerOf(text: string): string {
  const trimmed = text.trim();
  if (parses(trimmed)) return trimmed;
  const fenced = /```[a-zA-Z]*\s*([\s\S]*?)```/.exec(trimmed)?.[1]?.trim();
  if (fenced !== undefined && parses(fenced)) return fenced;
  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  if (start !== -1 && end > start) {
    const span = trimmed.slice(start, end + 1);
    if (parses(span)) return span;
  }
  return text;
}
