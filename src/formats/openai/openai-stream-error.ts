import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';

/**
 * The failure an OpenAI-format stream event reports, or null for an answer: a top-level `error`
 * object alone (OpenAI, vLLM, Groq), or beside choices one of which finished with "error"
 * (OpenRouter's mid-stream error). Its own message and code, its status when the code is one
 * (errors.upstreamStreamError). The one reading of such events for the passed-through stream's
 * log (passthrough-usage.ts), a stream read chunk by chunk (deliver-reply.ts) and a translated one
 * (decode-passthrough.ts).
 */
export function openAIStreamError(event: unknown): GatewayError | null {
  const { error, choices } = (event ?? {}) as { error?: unknown; choices?: unknown };
  if (error === null || typeof error !== 'object' || Array.isArray(error)) return null;
  if (Array.isArray(choices) && choices.length > 0 && !choices.some((choice) => (choice as { finish_reason?: unknown } | null)?.finish_reason === 'error')) return null;
  const { message, code } = error as { message?: unknown; code?: unknown };
  return errors.upstreamStreamError(typeof message === 'string' ? message : null, typeof code === 'string' || typeof code === 'number' ? code : null);
}
