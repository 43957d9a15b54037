import { errors } from '../errors/catalogue.ts';
import type { GatewayError } from '../errors/gateway-error.ts';

/**
 * The 400 for an image, file or audio part in a message the provider reads as text only (system and
 * developer messages; assistant messages too on Anthropic, Bedrock and Ollama), naming the message's
 * role: refused before any call rather than left out unseen, so the client learns the model would
 * not have seen it. One wording for every adapter.
 */
export function textOnlyMessage(provider: string, role: string, param: string): GatewayError {
  return errors.invalidRequest(`Provider '${provider}' takes images, audio and files in user messages only: ${role} messages may contain text only.`, param);
}
