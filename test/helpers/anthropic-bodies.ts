/** Anthropic Messages bodies as stand-in providers answer them (one shape for tests that only need a plain answer). */

/** A Message with one text block that ended its turn. */
export function anthropicMessage(text: string, usage: { input_tokens: number; output_tokens: number }): object {
  return { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage };
}
