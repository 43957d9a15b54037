import type { ToolCall } from '../canonical/chat.ts';
import { errors } from '../errors/catalogue.ts';

/**
 * A tool call's arguments (OpenAI sends a JSON string) as the object that Anthropic's tool_use
 * and Bedrock's toolUse blocks require. Empty arguments are `{}`; anything that is not a JSON
 * object is the client's error (400 naming `<param>.function.arguments`), since these APIs refuse
 * other inputs and a guessed wrapping would change what the model sees in its own history.
 */
export function parseToolCallArguments(call: ToolCall, param: string): Record<string, unknown> {
  const text = call.function?.arguments ?? '';
  let input: unknown = {};
  if (text.trim() !== '') {
    try {
      input = JSON.parse(text);
    } catch {
      throw errors.invalidRequest('Tool call arguments must be a JSON object.', `${param}.function.arguments`);
    }
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw errors.invalidRequest('Tool call arguments must be a JSON object.', `${param}.function.arguments`);
  return input as Record<string, unknown>;
}
