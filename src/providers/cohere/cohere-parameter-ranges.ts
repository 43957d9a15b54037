/** A range Cohere documents for a sampling parameter; it answers 400 to a value outside it. */
interface Range {
  min: number;
  max: number;
}

/**
 * Cohere's documented ranges (docs.cohere.com/v2/reference/chat), keyed by Cohere's field name.
 * OpenAI's are wider: top_p 0-1 (1 is its default, which many clients send), penalties -2..2;
 * Anthropic's top_k has no upper bound.
 */
export const cohereRanges = {
  p: { min: 0.01, max: 0.99 },
  k: { min: 0, max: 500 },
  frequency_penalty: { min: 0, max: 1 },
  presence_penalty: { min: 0, max: 1 },
} as const satisfies Record<string, Range>;

/** `value` moved into `range`. */
export function clampTo(range: Range, value: number): number {
  return Math.min(range.max, Math.max(range.min, value));
}
