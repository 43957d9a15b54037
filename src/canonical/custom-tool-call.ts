/**
 * GPT-5's custom (free-form) tool call as chat carries it in an assistant turn:
 * `{type: 'custom', custom: {name, input}}`. Its input is text the guardrails read (pii rewrites it
 * in place) and only OpenAI-format providers take such a call.
 */
export interface CustomToolCall {
  type: 'custom';
  custom: { name?: unknown; input: string };
}

/** The call as a custom tool call with a text input, or null for every other call. */
export function customToolCallOf(call: unknown): CustomToolCall | null {
  const candidate = call as { type?: unknown; custom?: { input?: unknown } | null } | null;
  return candidate?.type === 'custom' && typeof candidate.custom?.input === 'string' ? (candidate as CustomToolCall) : null;
}

/** A custom tool call's input, as a text to read; none for other calls. */
export function customInputOf(call: unknown): string[] {
  const custom = customToolCallOf(call);
  return custom === null ? [] : [custom.custom.input];
}
