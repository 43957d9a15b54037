/** A GPT-5 custom tool call's free-form input (`{type: 'custom', custom: {input}}`), as a text to read; none for other calls. */
export function customInputOf(call: unknown): string[] {
  const { type, custom } = (call ?? {}) as { type?: unknown; custom?: { input?: unknown } | null };
  return type === 'custom' && typeof custom?.input === 'string' ? [custom.input] : [];
}
