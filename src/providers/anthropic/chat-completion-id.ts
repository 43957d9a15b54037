/** What an OpenAI chat completion id starts with; Anthropic's message id follows it. */
export const chatCompletionIdPrefix = 'chatcmpl-';

/**
 * A Messages API id (`msg_…`) as a chat completion id: `chatcmpl-msg_…`, the shape OpenAI clients
 * expect, with Anthropic's id kept whole after the prefix (what its support and logs know it by;
 * the Anthropic client format takes it back out).
 */
export function chatCompletionId(messageId: unknown): string {
  const id = typeof messageId === 'string' && messageId !== '' ? messageId : crypto.randomUUID().replace(/-/g, '');
  return id.startsWith(chatCompletionIdPrefix) ? id : `${chatCompletionIdPrefix}${id}`;
}
