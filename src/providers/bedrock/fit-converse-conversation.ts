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
 * - a conversation that opens with the assistant gets a minimal user turn before it.
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
  return { system, messages };
}
