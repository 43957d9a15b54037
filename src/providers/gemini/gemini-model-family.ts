/**
 * Whether a Gemini model is of generation 3 or later, read from its name (`gemini-3-pro-preview`,
 * `gemini-3.1-flash`, `gemini-10-…`). Gemini 3 changed what a request may hold: thinking is set as a
 * level (gemini-thinking.ts), and structured output may go with function calling
 * (gemini-json-mode.ts). A name that says no generation (`gemini-flash-latest`, a tuned model) is
 * taken as older, whose rules every model accepts.
 */
export function isGemini3OrLater(model: string): boolean {
  return /gemini-([3-9]|\d{2,})/i.test(model);
}

/**
 * Whether a model takes `thinkingConfig`. Google documents thinking for Gemini 2.5 and 3 (and
 * later) only, and answers 400 "thinking is not supported by this model" to a thinkingConfig on
 * the others: Gemini 2.0 and 1.x, Gemma, and 2.5 Flash Image. A name that says no generation
 * (`gemini-flash-latest`, a tuned model) is taken as one that thinks, as the aliases point at
 * thinking models.
 */
export function takesThinkingConfig(model: string): boolean {
  return !/gemini-(1\.|2\.0)|gemma|gemini-2\.5-flash-image/i.test(model);
}
