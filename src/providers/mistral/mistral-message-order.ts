import type { ChatMessage } from '../../canonical/chat.ts';
import { mistralToolResultsBridge } from './mistral-api.ts';

/**
 * The messages in an order Mistral serves (mistral-common's request validator, whose errors its
 * API answers with):
 * - after tool results come only more tool results or an assistant message (400 "Unexpected role
 *   'user' after role 'tool'"). The gateway makes that order itself (an Anthropic tool_result
 *   beside text or an image becomes tool messages, then a user message) and OpenAI clients send
 *   it, so a user message right after tool results gets an assistant turn before it
 *   (`mistralToolResultsBridge`), as other Mistral clients do; nothing of the client's is moved or
 *   lost. (A system message there is refused after an assistant turn too, so it is left as sent.)
 * - the last message is a user's or a tool's, or an assistant's with `prefix: true` (400 "Expected
 *   last role User or Tool (or Assistant with prefix True)"). A trailing assistant message with
 *   text and no tool calls is a prefill (Anthropic) or a text to continue, which is what Mistral's
 *   prefix does: it gets `prefix: true`. Any other trailing assistant message is left for Mistral to judge.
 * The input is never changed; when nothing applies the same array comes back.
 */
export function fitMistralMessageOrder(messages: ChatMessage[], changes: string[]): ChatMessage[] {
  let out = messages;
  for (let index = messages.length - 1; index > 0; index--) {
    if (roleOf(messages[index - 1]) !== 'tool' || roleOf(messages[index]) !== 'user') continue;
    if (out === messages) out = [...messages];
    out.splice(index, 0, { role: 'assistant', content: mistralToolResultsBridge });
    changes.push('assistant turn between tool results and a user message');
  }
  const last = out.at(-1);
  if (last !== undefined && isPrefill(last)) {
    if (out === messages) out = [...messages];
    out[out.length - 1] = { ...last, prefix: true };
    changes.push('prefix: true on the last assistant message');
  }
  return out;
}

function roleOf(message: ChatMessage): unknown {
  return message !== null && typeof message === 'object' ? message.role : undefined;
}

/** An assistant message Mistral can continue: text, no tool calls, not yet marked. */
function isPrefill(message: ChatMessage): boolean {
  if (roleOf(message) !== 'assistant' || message.prefix === true) return false;
  if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) return false;
  return (typeof message.content === 'string' || Array.isArray(message.content)) && message.content.length > 0;
}
