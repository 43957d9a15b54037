import { GatewayError } from '../../errors/gateway-error.ts';
import { mapAnthropicError, type AnthropicErrorOptions } from '../anthropic/anthropic-error.ts';
import { mapGeminiError } from '../gemini/gemini-error.ts';
import { withoutSecrets } from '../without-secrets.ts';

/** What Claude says when the prompt does not fit, in either body shape. */
const claudeContextLengthPattern = /prompt is too long/i;

/** `{"type":"error","error":{"type":...}}`: the model (Claude) itself refused, not Vertex's front end. */
function isAnthropicErrorBody(bodyText: string): boolean {
  try {
    const parsed = JSON.parse(bodyText) as { type?: unknown; error?: { type?: unknown } } | null;
    return parsed?.type === 'error' && typeof parsed.error?.type === 'string';
  } catch {
    return false;
  }
}

/**
 * A Vertex AI error as a GatewayError. Vertex answers in Google's shape
 * (`{"error":{"code","message","status","details"}}`) for both publishers: auth, quota, unknown
 * models, bad arguments; Claude's own errors may come through rawPredict in Anthropic's shape.
 * Each goes to its adapter's mapping (401 for UNAUTHENTICATED, 429 with Retry-After from the header
 * or RetryInfo, context length on 400, 529 -> 503 for OpenAI-format clients; an Anthropic-format
 * client gets Claude's own status and body). Every secret (the access token, the api_key)
 * is scrubbed from the body before it is read.
 */
export function mapVertexError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, bodyText: string, secrets: ReadonlyArray<string | undefined>, options: AnthropicErrorOptions = {}): GatewayError {
  const text = withoutSecrets(bodyText, secrets);
  // Claude's own error to an Anthropic-format client: its status (529 included) and body, as from Anthropic.
  if (isAnthropicErrorBody(text)) return mapAnthropicError(provider, status, headers, text, undefined, options);
  const error = mapGeminiError(provider, status, headers, text);
  if (error.status === 400 && error.code !== 'context_length_exceeded' && claudeContextLengthPattern.test(error.message)) {
    return new GatewayError({ status: 400, type: error.type, code: 'context_length_exceeded', param: 'messages', message: error.message, headers: error.headers, upstream: true });
  }
  return error;
}
