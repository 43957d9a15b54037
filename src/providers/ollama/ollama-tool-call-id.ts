/**
 * Older Ollama servers give tool calls no id, and an OpenAI client needs one to answer the call.
 * Ids are made per response, `call_<random>_<n>`, unique across a conversation; the follow-up
 * request carries the assistant's calls (id and name) back, which is how a tool result finds the
 * function name Ollama wants in `tool_name`.
 */
export function toolCallIdMaker(): (index: number) => string {
  const prefix = `call_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}_`;
  return (index) => prefix + index;
}
