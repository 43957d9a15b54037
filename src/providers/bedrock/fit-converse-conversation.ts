import { errors } from '../../errors/catalogue.ts';
import type { BedrockMessage, BedrockSystemBlock, BedrockTextBlock } from './bedrock-api.ts';

/**
 * The user turn put before a conversation that opens with the assistant (a chat UI's greeting).
 * Converse answers "A conversation must start with a user message"; OpenAI takes any first role.
 * A single neutral character says nothing the model would answer (what pydantic-ai sends too).
 */
export const openingUserText = '.';

export interface ConverseConversation {
  system: BedrockSystemBlock[];
  messages: BedrockMessage[];
}

/**
 * Converse's rules on a whole conversation, applied after the messages are converted:
 * - a model without system prompts (`systemPrompts: false`: Titan Text, Mistral 7B / Mixtral
 *   Instruct…) gets the system text at the start of the first user turn (cache points dropped:
 *   those models cache nothing);
 * - system text alone (OpenAI answers it) is sent as the one user turn, as the anthropic adapter
 *   does: an instruction with nothing to apply it to reads the same as a request;
 * - a conversation that opens with the assistant gets a minimal user turn before it;
 * - one that ends with the assistant is a prefill the answer continues: the end of its last text
 *   is trimmed (trimFinalPrefill).
 * Nothing left at all (empty or whitespace-only messages) is refused with 400.
 */
export function fitConverseConversation(conversation: ConverseConversation, systemPrompts: boolean): ConverseConversation {
  let { system } = conversation;
  const messages = conversation.messages;
  if (!systemPrompts && system.length > 0) {
    const texts = system.filter((block): block is BedrockTextBlock => 'text' in block);
    if (messages[0]?.role === 'user') messages[0].content.unshift(...texts);
    else if (texts.length > 0) messages.unshift({ role: 'user', content: texts });
    system = [];
  }
  if (messages.length === 0) {
    if (system.length === 0) throw errors.invalidRequest("'messages' must hold at least one message with text that is not only whitespace.", 'messages');
    return { system: [], messages: [{ role: 'user', content: system }] };
  }
  if (messages[0].role === 'assistant') messages.unshift({ role: 'user', content: [{ text: openingUserText }] });
  trimFinalPrefill(messages);
  return { system, messages };
}

/**
 * A last assistant turn is a prefill: the model continues its text instead of writing a new
 * message. Claude refuses a prefill that ends in whitespace, on Bedrock as on Anthropic's API
 * ("The model returned the following errors: final assistant content cannot end with trailing
 * whitespace"), which OpenAI takes; the end of its last text block (before a cachePoint) is trimmed.
 * For every model: an application inference profile names no model family, and the answer's first
 * word brings its own leading space. Nothing for a conversation that ends with the user.
 */
function trimFinalPrefill(messages: BedrockMessage[]): void {
  const last = messages.at(-1);
  if (last?.role !== 'assistant') return;
  const block = last.content.findLast((candidate) => !('cachePoint' in candidate));
  if (block !== undefined && 'text' in block) block.text = block.text.trimEnd();
}
