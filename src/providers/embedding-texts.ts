import type { EmbeddingRequest } from '../canonical/embeddings.ts';
import { errors } from '../errors/catalogue.ts';

/**
 * The texts of an embeddings request, for a provider that embeds text only: OpenAI's token-id
 * inputs (arrays of numbers) cannot be sent, so they are refused with a 400 naming the input
 * rather than failing at the provider. `provider` is the name the message gives.
 */
export function embeddingTexts(request: EmbeddingRequest, provider: string): string[] {
  if (typeof request.input === 'string') return [request.input];
  const items = request.input as unknown[];
  if (!Array.isArray(items) || items.length === 0) throw errors.invalidRequest("'input' must not be empty.", 'input');
  return items.map((item, index) => {
    if (typeof item !== 'string') throw errors.invalidRequest(`Provider '${provider}' embeds text only; input[${index}] is not a string (token arrays are not supported).`, `input[${index}]`);
    return item;
  });
}
