import type { Attributes } from '@opentelemetry/api';
import type { Operation } from '../../canonical/operation.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Target } from '../../routing/target.ts';

// Attribute names of the OpenTelemetry GenAI semantic conventions (gen_ai.*), written out: the
// constants in @opentelemetry/semantic-conventions are experimental and marked as moved to the
// GenAI conventions' own repository, and the names are what backends match on.

/** gen_ai.operation.name for each operation; those the conventions do not name keep Tollgate's name. */
const operationNames: Partial<Record<Operation, string>> = { chat: 'chat', completions: 'text_completion', embeddings: 'embeddings' };

export function genAiOperationName(operation: Operation): string {
  return operationNames[operation] ?? operation;
}

/** gen_ai.provider.name: the conventions' well-known values where a provider type has one, else the type itself. */
const providerNames: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  azure: 'azure.ai.openai',
  bedrock: 'aws.bedrock',
  gemini: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
  cohere: 'cohere',
  mistral: 'mistral_ai',
  deepseek: 'deepseek',
  groq: 'groq',
  perplexity: 'perplexity',
  xai: 'x_ai',
};

export function genAiProviderName(providerType: string): string {
  return providerNames[providerType] ?? providerType;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The sampling parameters a client set (never the messages): max tokens, temperature, top_p. */
export function requestParameters(ctx: RequestContext): Attributes {
  const body = ctx.body as { max_tokens?: unknown; max_completion_tokens?: unknown; temperature?: unknown; top_p?: unknown };
  return {
    'gen_ai.request.max_tokens': finiteNumber(body.max_completion_tokens) ?? finiteNumber(body.max_tokens),
    'gen_ai.request.temperature': finiteNumber(body.temperature),
    'gen_ai.request.top_p': finiteNumber(body.top_p),
  };
}

/** Token counts as the provider reported them (or the gateway estimated them, then flagged). */
export function usageAttributes(ctx: RequestContext): Attributes {
  const usage = ctx.usage;
  if (!usage) return {};
  return {
    'gen_ai.usage.input_tokens': finiteNumber(usage.prompt_tokens),
    'gen_ai.usage.output_tokens': finiteNumber(usage.completion_tokens),
    'gen_ai.usage.cache_read.input_tokens': finiteNumber(usage.prompt_tokens_details?.cached_tokens),
    'gen_ai.usage.cache_creation.input_tokens': finiteNumber(usage.cache_creation_tokens),
    'gen_ai.usage.reasoning.output_tokens': finiteNumber(usage.completion_tokens_details?.reasoning_tokens),
    'tollgate.usage.estimated': usage.estimated === true ? true : undefined,
  };
}

const serverAddresses = new WeakMap<Target['provider'], { address?: string; port?: number }>();

/** server.address and server.port of a provider's base URL, parsed once per provider instance. */
export function providerAddress(target: Target): { address?: string; port?: number } {
  let known = serverAddresses.get(target.provider);
  if (!known) {
    known = {};
    try {
      const url = new URL(target.provider.settings.baseUrl);
      known = { address: url.hostname, port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port) };
    } catch {
      // The echo provider and tests may have no URL; the span just goes without an address.
    }
    serverAddresses.set(target.provider, known);
  }
  return known;
}
