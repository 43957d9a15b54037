/**
 * The processing tiers a provider type's answers name in `service_tier`, which the gateway reads
 * to price a call at that tier's prices (compute-cost.ts priceForTier); a `pricing:` tier of any
 * other name would price nothing (pricing-problems.ts).
 *
 * - OpenAI (and Azure OpenAI, which answers in OpenAI's shape): `default`, `flex`, `priority`,
 *   `scale`, the tiers its answers name (`auto` is a request value only; a `fast` request is
 *   answered as `priority`); OpenAI's API reference and the OpenAI SDKs' `service_tier` types.
 * - Groq: `on_demand`, `flex`, `performance` (console.groq.com/docs/service-tiers; `auto` is a
 *   request value).
 * - Types whose answers the gateway translates from another format (Anthropic, Gemini, Vertex AI,
 *   Bedrock, Cohere, Ollama: their own tiers, such as Anthropic's usage.service_tier, are not
 *   read), Mistral (its API has no tiers) and the built-in echo: no tier is read from them.
 * - Every other type (openai-compatible and the OpenAI-format presets): the server's own names,
 *   which the gateway cannot know, so any name is accepted.
 */
const tierNames: Record<string, readonly string[]> = {
  openai: ['default', 'flex', 'priority', 'scale'],
  azure: ['default', 'flex', 'priority', 'scale'],
  groq: ['on_demand', 'flex', 'performance'],
};

const withoutTiers = new Set(['anthropic', 'gemini', 'vertex', 'bedrock', 'cohere', 'mistral', 'ollama', 'echo']);

/** The tier names answers of this provider type may carry: a list, `none` (no tier is read), or `any`. */
export function serviceTierNames(providerType: string): readonly string[] | 'none' | 'any' {
  const names = tierNames[providerType];
  if (names !== undefined) return names;
  return withoutTiers.has(providerType) ? 'none' : 'any';
}
