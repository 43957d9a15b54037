import type { FinishReason } from '../../canonical/chat.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { CohereFinishReason } from './cohere-api.ts';

/**
 * Cohere's finish_reason as OpenAI's. TOOL_CALL is `tool_calls`; reasons OpenAI has no word for
 * are `stop`, except that an answer that stopped on MAX_TOKENS is `length`. ERROR and TIMEOUT
 * are not finish reasons a client can act on: failedFinishError turns them into errors.
 */
export function mapCohereFinishReason(reason: CohereFinishReason | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason === 'TOOL_CALL' || hasToolCalls) return 'tool_calls';
  return 'stop';
}

/**
 * What the choice of an answer Cohere ended with STOP_SEQUENCE says of it (`stop_sequence`, the
 * canonical extension the Anthropic client format reads as `stop_reason: "stop_sequence"`): the
 * sequence when the request sent only one, else null (Cohere does not say which one matched).
 * Nothing for any other reason.
 */
export function cohereStopSequence(reason: CohereFinishReason | undefined, sent: readonly string[] | undefined): { stop_sequence: string | null } | undefined {
  if (reason !== 'STOP_SEQUENCE') return undefined;
  return { stop_sequence: sent?.length === 1 ? sent[0] : null };
}

/**
 * The error for an answer Cohere ended with ERROR or TIMEOUT (a 200 whose generation failed):
 * passing it off as a complete answer would hide the failure, so it is a 502 (504 for TIMEOUT),
 * marked as upstream so retries and fallbacks apply before the first byte reaches the client.
 */
export function failedFinishError(provider: string, reason: CohereFinishReason | undefined, detail?: string): GatewayError | undefined {
  if (reason !== 'ERROR' && reason !== 'TIMEOUT') return undefined;
  const suffix = detail ? `: ${detail}` : '.';
  if (reason === 'TIMEOUT') {
    return new GatewayError({ status: 504, type: 'timeout_error', code: 'upstream_timeout', upstream: true, message: `Provider '${provider}' timed out while generating the answer${suffix}` });
  }
  return new GatewayError({ status: 502, type: 'upstream_error', code: 'upstream_generation_error', upstream: true, message: `Provider '${provider}' stopped the answer with an error${suffix}` });
}
