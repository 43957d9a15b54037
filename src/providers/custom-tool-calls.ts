import type { CanonicalRequest, Operation } from '../canonical/operation.ts';
import { errors } from '../errors/catalogue.ts';
import type { GatewayError } from '../errors/gateway-error.ts';

/**
 * An assistant turn's custom tool calls (`{type: "custom", custom: {name, input}}`, GPT-5's
 * free-form tools, which OpenAI's chat API takes back in the history) can go only to a provider
 * of OpenAI's format; another has no such call to map them to. The refusal, or null.
 */
export function customToolCallRefusal(operation: Operation, request: CanonicalRequest, provider: string): GatewayError | null {
  if (operation !== 'chat') return null;
  const messages = (request as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return null;
  for (let index = 0; index < messages.length; index++) {
    const calls = (messages[index] as { tool_calls?: unknown } | null)?.tool_calls;
    if (!Array.isArray(calls)) continue;
    const at = calls.findIndex((call) => (call as { type?: unknown } | null)?.type === 'custom');
    if (at !== -1) return errors.invalidRequest(`Custom tool calls (type 'custom') are OpenAI's; provider '${provider}' has no such call to map them to.`, `messages[${index}].tool_calls[${at}]`);
  }
  return null;
}
