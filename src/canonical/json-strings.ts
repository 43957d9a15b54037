/**
 * The strings of a JSON value, as a guardrail reads them: a tool call's arguments are a JSON text
 * the model reads value by value, so `{"q":"project \u0066alcon"}` holds `project falcon` (the
 * escape decoded by the parser, as any client's parser and the model read it) and a term never
 * runs from one value into the next. pii walks the same values when it rewrites arguments
 * (plugins/pii/request-texts.ts); content-rules reads them here.
 */

/**
 * Every string of a parsed JSON value in document order: string values at any depth and, when
 * `keys` is true, object keys before their values. Walked with a stack, not recursion, so a deeply
 * nested value (a client's `[[[[…]]]]`) cannot overflow the call stack.
 */
export function jsonStrings(value: unknown, keys: boolean): string[] {
  const strings: string[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') strings.push(item);
    else if (Array.isArray(item)) for (let index = item.length - 1; index >= 0; index--) pending.push(item[index]);
    else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let index = entries.length - 1; index >= 0; index--) {
        pending.push(entries[index][1]);
        if (keys) pending.push(entries[index][0]);
      }
    }
  }
  return strings;
}

/** The strings of a tool call's arguments (jsonStrings), or null when the text is not JSON (a model's free-form or cut-off arguments). */
export function argumentStrings(argumentsText: string, keys: boolean): string[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsText);
  } catch {
    return null;
  }
  return jsonStrings(parsed, keys);
}
