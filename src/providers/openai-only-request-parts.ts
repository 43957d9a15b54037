import type { CanonicalRequest, Operation } from '../canonical/operation.ts';
import { errors } from '../errors/catalogue.ts';
import type { GatewayError } from '../errors/gateway-error.ts';

/* What of a chat request only OpenAI-format providers can take; another provider refuses it (call-provider.ts). */

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

/**
 * The legacy functions API's request fields (`functions`, `function_call`), which OpenAI's chat API
 * still takes: a provider of another format is called with tools, and an answer would come back
 * as `tool_calls` where such a client reads `message.function_call`. Refused (400 naming the field)
 * rather than dropped, which would leave the model without the functions. Null when absent.
 */
export function legacyFunctionsRefusal(operation: Operation, request: CanonicalRequest, provider: string): GatewayError | null {
  if (operation !== 'chat') return null;
  const fields = request as { functions?: unknown; function_call?: unknown };
  const param = fields.functions !== undefined && fields.functions !== null ? 'functions' : fields.function_call !== undefined && fields.function_call !== null ? 'function_call' : null;
  if (param === null) return null;
  return errors.invalidRequest(`The legacy '${param}' parameter is OpenAI's older tools API; provider '${provider}' is called with tools: send 'tools' and 'tool_choice' instead.`, param);
}
