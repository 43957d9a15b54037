const toolCallsKey = Buffer.from('"tool_calls"');
const modelLength = Buffer.from('"model_length"');
const contentKey = Buffer.from('"content"');
const usageKey = Buffer.from('"usage"');

/**
 * Whether Mistral's JSON (an answer or some SSE events) may hold what an OpenAI client cannot read:
 * tool calls (Mistral leaves out their `type`), the `model_length` finish reason, or `content` as
 * an array (reasoning models). Searched in the bytes, so the events of a plain text stream are
 * never parsed. A false positive (text that quotes a key) only costs a parse that changes nothing.
 */
export function mayNeedMistralFix(bytes: Buffer): boolean {
  return bytes.includes(toolCallsKey) || bytes.includes(modelLength) || hasKeyWithValue(bytes, contentKey, 91);
}

/**
 * mayNeedMistralFix for stream events, which also need a look when they carry a usage object:
 * Mistral puts the usage on its finish chunk (always: it takes no stream_options), where OpenAI
 * sends it in a chunk of its own (mistral-stream-mapper.ts splits it off). `"usage": null` is no usage.
 */
export function mayNeedMistralStreamFix(bytes: Buffer): boolean {
  return mayNeedMistralFix(bytes) || hasKeyWithValue(bytes, usageKey, 123);
}

/** Whether `key` appears with a value that starts with the byte `opening` (`[` 91, `{` 123). */
function hasKeyWithValue(bytes: Buffer, key: Buffer, opening: number): boolean {
  for (let at = bytes.indexOf(key); at !== -1; at = bytes.indexOf(key, at + key.length)) {
    let index = at + key.length;
    // JSON whitespace and the colon between the key and its value.
    while (index < bytes.length && (bytes[index] === 32 || bytes[index] === 9 || bytes[index] === 10 || bytes[index] === 13 || bytes[index] === 58)) index++;
    if (bytes[index] === opening) return true;
  }
  return false;
}
