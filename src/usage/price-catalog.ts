import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { lastSegment, normalizeModelName } from './normalize-model-name.ts';
import { longContextPriceSchema, tierPriceSchema, type ModelPriceOverride, type PricingConfig } from './pricing-config.ts';

/** The prices a processing tier replaces (OpenAI's `service_tier`: flex, priority), USD per million tokens. */
export interface TierPrice {
  input?: number;
  output?: number;
  cached_input?: number;
}

/** The prices of a request whose input is above `above_input_tokens` (long-context rates), USD per million tokens. */
export interface LongContextPrice {
  above_input_tokens: number;
  input?: number;
  output?: number;
  cached_input?: number;
  cache_write?: number;
  cache_write_1h?: number;
}

/** A model's prices in USD per million tokens, and its token limits when known. */
export interface ModelPrice {
  input: number;
  output: number;
  cached_input?: number;
  /** Prompt-cache writes (Anthropic: 5-minute writes). */
  cache_write?: number;
  /** 1-hour prompt-cache writes (Anthropic); without it, twice the input price (Anthropic's rule). */
  cache_write_1h?: number;
  reasoning?: number;
  /** Image input tokens (gpt-image models' `input_tokens_details.image_tokens`) when priced apart from text input. */
  image_input?: number;
  /** Audio input tokens (`prompt_tokens_details.audio_tokens` of gpt-audio models' chat answers) when priced apart from text input. */
  audio_input?: number;
  /** Audio output tokens (`completion_tokens_details.audio_tokens`: the spoken answer) when priced apart from text output. */
  audio_output?: number;
  context_window?: number;
  max_output_tokens?: number;
  /** Prices of a processing tier the provider names in its answer (`service_tier`), replacing the standard ones field by field. */
  service_tiers?: Record<string, TierPrice>;
  /** Prices of every token of a request whose input is above a size (Anthropic's and Google's long-context rates). */
  long_context?: LongContextPrice;
}

const modelPriceSchema = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cached_input: z.number().nonnegative().optional(),
    cache_write: z.number().nonnegative().optional(),
    cache_write_1h: z.number().nonnegative().optional(),
    reasoning: z.number().nonnegative().optional(),
    image_input: z.number().nonnegative().optional(),
    audio_input: z.number().nonnegative().optional(),
    audio_output: z.number().nonnegative().optional(),
    context_window: z.number().int().positive().optional(),
    max_output_tokens: z.number().int().positive().optional(),
    service_tiers: z.record(z.string(), tierPriceSchema).optional(),
    long_context: longContextPriceSchema.optional(),
  })
  .strict();

/** The shape of the shipped data file, src/usage/price-catalog.json. */
export const catalogFileSchema = z
  .object({
    retrieved: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    currency: z.literal('USD'),
    unit: z.literal('per 1M tokens'),
    note: z.string(),
    sources: z.record(z.string(), z.string()),
    providers: z.record(z.string(), z.record(z.string(), modelPriceSchema)),
  })
  .strict();

export type CatalogFile = z.infer<typeof catalogFileSchema>;

/**
 * Where a provider type without an entry of its own finds one: Azure serves OpenAI's models,
 * Vertex AI Google's Gemini and Anthropic's Claude at their list prices (global endpoints; the
 * 10% premium of Claude's regional endpoints is not modelled).
 */
const fallbackTypes: Record<string, string[]> = { azure: ['openai'], vertex: ['gemini', 'anthropic'], 'openai-compatible': [] };

export const catalogPath = new URL('./price-catalog.json', import.meta.url);

let shipped: CatalogFile | null = null;

/** The shipped catalog, read and validated once per process. */
export function shippedCatalog(): CatalogFile {
  shipped ??= catalogFileSchema.parse(JSON.parse(readFileSync(catalogPath, 'utf8')));
  return shipped;
}

/** Model name -> entry, reachable by exact (lower-case) name, family name, and last path segment. */
class ModelIndex<T> {
  readonly #entries = new Map<string, T>();

  constructor(models: Record<string, T>) {
    const names = Object.keys(models);
    // Exact names first, so a family alias never shadows a model listed under that very name.
    for (const name of names) this.#entries.set(name.toLowerCase(), models[name]);
    for (const name of names) {
      for (const alias of [normalizeModelName(name), normalizeModelName(lastSegment(name))]) {
        if (!this.#entries.has(alias)) this.#entries.set(alias, models[name]);
      }
    }
  }

  find(model: string): T | undefined {
    const lower = model.toLowerCase();
    return this.#entries.get(lower) ?? this.#entries.get(normalizeModelName(model)) ?? this.#entries.get(normalizeModelName(lastSegment(model)));
  }
}

/** Who served a request, as far as pricing is concerned. */
export interface PricedProvider {
  /** The provider's configured name (`openai`, `my-azure`, `local`). */
  name: string;
  /** Its type (`openai`, `azure`, `openai-compatible`, `echo`, ...). */
  type: string;
}

/**
 * Most lookups a catalog remembers. The model name is the client's to choose (`openai/<anything>`
 * on a provider that lists no models), so the cache keeps the least recently used names out past
 * this many: a deployment's models in use stay, and a flood of invented names costs ~0.4 MB
 * at most (measured: 0.36 KB an entry), not 0.36 KB a name for good (leak audit, finding 1).
 */
export const maxCachedPrices = 1_000;

/**
 * The shipped price catalog with the config's `pricing:` entries merged over it. Lookups are by
 * provider name or type and model, tolerant of dated snapshot names (gpt-4o-mini-2024-07-18 ->
 * gpt-4o-mini) and cached per model name (the maxCachedPrices most recently used).
 */
export class PriceCatalog {
  readonly retrieved: string;
  readonly #shipped = new Map<string, ModelIndex<ModelPrice>>();
  readonly #overrides = new Map<string, ModelIndex<ModelPriceOverride>>();
  /** Lookups by key, least recently used first (a hit moves its entry to the end). */
  readonly #cache = new Map<string, ModelPrice | null>();

  constructor(file: CatalogFile, overrides: PricingConfig = {}) {
    this.retrieved = file.retrieved;
    for (const [provider, models] of Object.entries(file.providers)) this.#shipped.set(provider, new ModelIndex(models));
    for (const [provider, models] of Object.entries(overrides)) this.#overrides.set(provider, new ModelIndex(models));
  }

  /** The provider types the shipped catalog covers. */
  get providerTypes(): string[] {
    return [...this.#shipped.keys()];
  }

  /** How many lookups are cached (at most maxCachedPrices). */
  get cachedLookups(): number {
    return this.#cache.size;
  }

  /** A model's price, or null when neither the catalog nor the config knows it. */
  lookup(provider: PricedProvider, model: string): ModelPrice | null {
    const cacheKey = `${provider.name}\u0000${provider.type}\u0000${model}`;
    const cached = this.#cached(cacheKey);
    if (cached !== undefined) return cached;
    const price = this.#resolve(provider, model);
    this.#remember(cacheKey, price);
    return price;
  }

  /** A cached lookup, which becomes the most recently used; undefined when not cached. */
  #cached(cacheKey: string): ModelPrice | null | undefined {
    const cached = this.#cache.get(cacheKey);
    if (cached === undefined) return undefined;
    this.#cache.delete(cacheKey);
    this.#cache.set(cacheKey, cached);
    return cached;
  }

  #remember(cacheKey: string, price: ModelPrice | null): void {
    this.#cache.set(cacheKey, price);
    if (this.#cache.size > maxCachedPrices) this.#cache.delete(this.#cache.keys().next().value!);
  }

  /**
   * A price for a model name alone (e.g. `gpt-4o-mini` or `openai/gpt-4o-mini` before a target is
   * chosen): the named provider's entry when the name has a provider prefix, else the first
   * provider whose catalog lists the model.
   */
  lookupByName(model: string): ModelPrice | null {
    const slash = model.indexOf('/');
    if (slash > 0) {
      const provider = model.slice(0, slash);
      const found = this.lookup({ name: provider, type: provider }, model.slice(slash + 1));
      if (found) return found;
    }
    const cacheKey = `\u0000any\u0000${model}`;
    const cached = this.#cached(cacheKey);
    if (cached !== undefined) return cached;
    let price: ModelPrice | null = null;
    for (const [name, index] of this.#overrides) {
      const entry = index.find(model);
      if (entry && entry.input !== undefined && entry.output !== undefined) {
        price = this.lookup({ name, type: name }, model);
        break;
      }
    }
    if (!price) {
      for (const [type, index] of this.#shipped) {
        if (index.find(model)) {
          price = this.lookup({ name: type, type }, model);
          break;
        }
      }
    }
    this.#remember(cacheKey, price);
    return price;
  }

  #resolve(provider: PricedProvider, model: string): ModelPrice | null {
    let base: ModelPrice | undefined;
    for (const type of [provider.type, ...(fallbackTypes[provider.type] ?? [])]) {
      base = this.#shipped.get(type)?.find(model);
      if (base) break;
    }
    const override =
      this.#overrides.get(provider.name)?.find(model) ??
      (provider.type !== provider.name ? this.#overrides.get(provider.type)?.find(model) : undefined) ??
      (base ? undefined : (this.#overrides.get(provider.name)?.find('*') ?? this.#overrides.get(provider.type)?.find('*')));
    const merged = { ...base, ...withoutUndefined(override) };
    if (merged.input === undefined || merged.output === undefined) return null;
    return merged as ModelPrice;
  }
}

function withoutUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

const catalogs = new WeakMap<object, PriceCatalog>();
let plainCatalog: PriceCatalog | null = null;

/**
 * The catalog for one configuration's `pricing:` section, built once and shared by every plugin
 * of that configuration version.
 */
export function priceCatalogFor(pricing: PricingConfig | undefined): PriceCatalog {
  if (!pricing || Object.keys(pricing).length === 0) {
    plainCatalog ??= new PriceCatalog(shippedCatalog());
    return plainCatalog;
  }
  let catalog = catalogs.get(pricing);
  if (!catalog) {
    catalog = new PriceCatalog(shippedCatalog(), pricing);
    catalogs.set(pricing, catalog);
  }
  return catalog;
}

/**
 * The catalog in the shape routing's lowest-cost strategy reads (src/routing/price-lookup.ts
 * `PriceLookup`), so Router.build can take `priceCatalogFor(config.pricing)` as its prices.
 */
export function routingPrices(catalog: PriceCatalog): { lookup(provider: PricedProvider, model: string): { inputPerMTok?: number; outputPerMTok?: number; contextWindow?: number } | undefined } {
  return {
    lookup(provider, model) {
      const price = catalog.lookup(provider, model);
      return price ? { inputPerMTok: price.input, outputPerMTok: price.output, contextWindow: price.context_window } : undefined;
    },
  };
}
