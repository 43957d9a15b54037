/**
 * Whether a streamed tool call's arguments so far are a whole JSON object or array, so no delta can
 * follow. The client encoders that must finish one call before the next starts (Anthropic's
 * content blocks, the Responses API's output items) hold a call that starts before this; the common
 * case, calls one after another, never waits.
 */
export function argumentsComplete(text: string): boolean {
  if (text === '') return false;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object';
  } catch {
    return false;
  }
}
