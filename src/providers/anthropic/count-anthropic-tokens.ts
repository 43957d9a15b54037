import type { IncomingHttpHeaders } from 'node:http';
import type { Provider } from '../provider.ts';

/** One `count_tokens` call: the client's Messages body, sent as the passthrough sends it. */
export interface TokenCountCall {
  /** The provider's model name (swapped into the body when routing changed it). */
  model: string;
  /** The client's body bytes. */
  rawBody: Buffer;
  /** Whether `rawBody` already names `model`. */
  rawModelUnchanged: boolean;
  apiKey: string | undefined;
  signal: AbortSignal;
  requestId: string;
  /** The client's headers (its anthropic-version and anthropic-beta go up). */
  clientHeaders?: IncomingHttpHeaders;
}

/** The provider's count as it answered: its body (`{"input_tokens": n}`) and the headers worth passing on. */
export interface TokenCountReply {
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * A provider that can count a Messages request's tokens itself (Anthropic's POST
 * /v1/messages/count_tokens, Claude on Vertex AI's count-tokens:rawPredict).
 */
export interface TokenCounter {
  countTokens(call: TokenCountCall): Promise<TokenCountReply>;
  /** Whether it counts for this model (Vertex: only Claude's); every model when absent. */
  countsTokensFor?(model: string): boolean;
}

/** True for a provider that counts this model's tokens itself; the gateway estimates for the others. */
export function countsTokens(provider: Provider, model: string): provider is Provider & TokenCounter {
  const counter = provider as Partial<TokenCounter>;
  return typeof counter.countTokens === 'function' && (counter.countsTokensFor?.(model) ?? true);
}
