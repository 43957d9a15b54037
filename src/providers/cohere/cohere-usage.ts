import { billedTokens, type Usage } from '../../canonical/chat.ts';
import type { CohereUsage } from './cohere-api.ts';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Cohere's usage as OpenAI usage. `tokens` counts what the model read and wrote, which is what
 * OpenAI's numbers mean; `billed_units` (what Cohere charges, which can leave out the tokens of
 * its own prompt template) is the fallback when `tokens` is missing. When both are there, the
 * billed units ride along under `billedTokens` (never shown to the client): the cost is computed
 * from them. `cached_tokens` is part of the input in both APIs.
 */
export function mapCohereUsage(usage: CohereUsage | undefined): Usage | undefined {
  if (!usage) return undefined;
  const fromTokens = usage.tokens && (count(usage.tokens.input_tokens) !== undefined || count(usage.tokens.output_tokens) !== undefined);
  const source = fromTokens ? usage.tokens : usage.billed_units;
  const prompt = count(source?.input_tokens);
  const completion = count(source?.output_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  const mapped: Usage = { prompt_tokens: prompt ?? 0, completion_tokens: completion ?? 0, total_tokens: (prompt ?? 0) + (completion ?? 0) };
  if (fromTokens && usage.billed_units) {
    const billedInput = count(usage.billed_units.input_tokens);
    const billedOutput = count(usage.billed_units.output_tokens);
    if (billedInput !== undefined || billedOutput !== undefined) mapped[billedTokens] = { prompt_tokens: billedInput ?? mapped.prompt_tokens, completion_tokens: billedOutput ?? mapped.completion_tokens };
  }
  const cached = count(usage.cached_tokens);
  if (cached !== undefined) mapped.prompt_tokens_details = { cached_tokens: cached };
  return mapped;
}
