const toolCallsKey = Buffer.from('"tool_calls"');
const modelLength = Buffer.from('"model_length"');
const contentKey = Buffer.from('"content"');

/**
 * Whether Mistral's JSON (an answer or some SSE events) may hold what an OpenAI client cannot read:
 * tool calls (Mistral leaves out their `type`), the `model_length` finish reason, or `content` as
 * an array (reasoning models). Searched in the bytes, so the events of a plain text stream are
 * never parsed. A false positive (text that quotes a key) only costs a parse that changes nothing.
 */
export function mayNeedMistralFix(bytes: Buffer): boolean {
  if (bytes.includes(toolCallsKey) || bytes.includes(modelLength)) return true;
  for (let at = bytes.indexOf(contentKey); at !== -1; at = bytes.indexOf(contentKey, at + contentKey.length)) {
    let index = at + contentKey.length;
    // JSON whitespace and the colon between the key and its value.
    while (index < bytes.length && (bytes[index] === 32 || bytes[index] === 9 || bytes[index] === 10 || bytes[index] === 13 || bytes[index] === 58)) index++;
    if (bytes[index] === 91) return true;
  }
  return false;
}
