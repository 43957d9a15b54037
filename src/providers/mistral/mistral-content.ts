/** The text and the thinking of a content array, each null when the array has none. */
export interface MistralContentText {
  text: string | null;
  thinking: string | null;
}

/**
 * Reasoning models (Magistral, and other models with `reasoning_effort: "high"`) answer `content`
 * as a list of chunks: `{type: "thinking", thinking: [{type: "text", text}]}` and
 * `{type: "text", text}`. OpenAI clients expect a string; the text chunks are joined into it and
 * the thinking into `reasoning_content` (what the gateway calls a model's reasoning for every
 * provider). Other chunks (references, images) have no place in an OpenAI answer and are left out.
 */
export function splitMistralContent(parts: readonly unknown[]): MistralContentText {
  let text: string | null = null;
  let thinking: string | null = null;
  for (const part of parts) {
    if (part === null || typeof part !== 'object') continue;
    const chunk = part as { type?: unknown; text?: unknown; thinking?: unknown };
    if (chunk.type === 'text' && typeof chunk.text === 'string') text = (text ?? '') + chunk.text;
    else if (chunk.type === 'thinking') {
      const thought = thinkingText(chunk.thinking);
      if (thought !== null) thinking = (thinking ?? '') + thought;
    }
  }
  return { text, thinking };
}

/** A thinking chunk's text: its text chunks joined (a plain string is taken as it is). */
function thinkingText(thinking: unknown): string | null {
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) return null;
  let text: string | null = null;
  for (const part of thinking) {
    if (part !== null && typeof part === 'object' && (part as { type?: unknown }).type === 'text' && typeof (part as { text?: unknown }).text === 'string') text = (text ?? '') + (part as { text: string }).text;
  }
  return text;
}
