import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { catalogFileSchema, catalogPath, maxCachedPrices, PriceCatalog, shippedCatalog } from '../../src/usage/price-catalog.ts';
import { normalizeModelName } from '../../src/usage/normalize-model-name.ts';
import { pricingConfigSchema } from '../../src/usage/pricing-config.ts';

/** Every provider type the gateway supports or is adding; each must have prices. */
const supportedProviders = ['openai', 'anthropic', 'gemini', 'azure', 'mistral', 'groq', 'deepseek', 'together', 'fireworks', 'xai', 'perplexity', 'cerebras', 'bedrock', 'cohere'];

describe('the shipped price catalog', () => {
  it('has the documented shape, a retrieval date and a source per provider', () => {
    const file = catalogFileSchema.parse(JSON.parse(readFileSync(catalogPath, 'utf8')));
    assert.match(file.retrieved, /^20\d\d-\d\d-\d\d$/);
    for (const provider of Object.keys(file.providers)) assert.ok(file.sources[provider], `a source for ${provider}`);
  });

  it('has entries for every supported provider, with sane prices', () => {
    const file = shippedCatalog();
    for (const provider of supportedProviders) {
      const models = Object.entries(file.providers[provider] ?? {});
      assert.ok(models.length >= 2, `${provider} has at least two models`);
      for (const [model, price] of models) {
        assert.ok(price.input < 200 && price.output < 200, `${provider}/${model} priced per million tokens`);
        if (price.cached_input !== undefined) assert.ok(price.cached_input <= price.input, `${provider}/${model}: cached input is not dearer than input`);
        if (price.context_window !== undefined) assert.ok(price.context_window >= 512);
      }
    }
  });
});

describe('price lookup', () => {
  const catalog = new PriceCatalog(shippedCatalog());
  const openai = { name: 'openai', type: 'openai' };

  it('tolerates dated snapshot names and provider naming habits', () => {
    assert.equal(normalizeModelName('gpt-4o-mini-2024-07-18'), 'gpt-4o-mini');
    assert.equal(catalog.lookup(openai, 'gpt-4o-mini-2024-07-18')?.input, 0.15);
    assert.equal(catalog.lookup(openai, 'GPT-4o')?.output, 10);
    // The legacy completions model has its own price, not gpt-3.5-turbo's (developers.openai.com/api/docs/models/gpt-3.5-turbo-instruct).
    assert.deepEqual([catalog.lookup(openai, 'gpt-3.5-turbo-instruct')?.input, catalog.lookup(openai, 'gpt-3.5-turbo-instruct')?.output], [1.5, 2]);
    assert.equal(catalog.lookup({ name: 'anthropic', type: 'anthropic' }, 'claude-sonnet-4-5-20250929')?.cache_write, 3.75);
    assert.equal(catalog.lookup({ name: 'bedrock', type: 'bedrock' }, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')?.input, 3);
    // Cohere's bare aliases are the 04-2024 / 03-2024 snapshots (docs.cohere.com/docs/models), listed apart.
    assert.equal(catalog.lookup({ name: 'cohere', type: 'cohere' }, 'command-r-plus')?.output, 15);
    assert.equal(catalog.lookup({ name: 'cohere', type: 'cohere' }, 'command-r-plus-08-2024')?.output, 10);
    assert.equal(catalog.lookup({ name: 'fireworks', type: 'fireworks' }, 'llama-v3p3-70b-instruct')?.input, 0.9);
    assert.equal(catalog.lookup({ name: 'fireworks', type: 'fireworks' }, 'accounts/fireworks/models/llama-v3p3-70b-instruct')?.input, 0.9);
    assert.equal(catalog.lookup({ name: 'mistral', type: 'mistral' }, 'mistral-small-latest')?.input, 0.1);
    assert.equal(catalog.lookup({ name: 'xai', type: 'xai' }, 'grok-3-mini-latest')?.cached_input, 0.075);
    assert.equal(catalog.lookup(openai, 'no-such-model'), null);
  });

  it('serves azure deployments of OpenAI models from the openai entries', () => {
    assert.equal(catalog.lookup({ name: 'my-azure', type: 'azure' }, 'gpt-4o-mini')?.input, 0.15);
    assert.equal(catalog.lookup({ name: 'my-azure', type: 'azure' }, 'o3')?.output, 8);
  });

  it('finds a price by model name alone, with or without a provider prefix', () => {
    assert.equal(catalog.lookupByName('openai/gpt-4.1-mini')?.input, 0.4);
    assert.equal(catalog.lookupByName('claude-haiku-4-5')?.output, 5);
    assert.equal(catalog.lookupByName('smart'), null);
  });

  it('merges config prices over the catalog: negotiated prices, custom models, provider-wide defaults', () => {
    const pricing = pricingConfigSchema.parse({
      openai: { 'gpt-4o': { input: 2 } },
      local: { 'llama3.1:8b': { input: 0, output: 0, context_window: 131072 }, '*': { input: 0.01, output: 0.02 } },
      anthropic: { 'claude-sonnet-4-5': { cached_input: 0.25 } },
    });
    const custom = new PriceCatalog(shippedCatalog(), pricing);
    assert.deepEqual([custom.lookup(openai, 'gpt-4o-2024-08-06')?.input, custom.lookup(openai, 'gpt-4o')?.output], [2, 10]);
    assert.equal(custom.lookup({ name: 'local', type: 'openai-compatible' }, 'llama3.1:8b')?.context_window, 131072);
    assert.equal(custom.lookup({ name: 'local', type: 'openai-compatible' }, 'qwen2.5:7b')?.output, 0.02);
    assert.equal(custom.lookup({ name: 'anthropic', type: 'anthropic' }, 'claude-sonnet-4-5')?.cached_input, 0.25);
    assert.equal(custom.lookup({ name: 'other', type: 'openai-compatible' }, 'qwen2.5:7b'), null);
  });

  it('prices the image input of gpt-image models apart from text (OpenAI: text $5, images $10, output $40), in the catalog and in pricing:', () => {
    const image = catalog.lookup(openai, 'gpt-image-1');
    assert.deepEqual([image?.input, image?.image_input, image?.output], [5, 10, 40]);
    assert.equal(catalog.lookup({ name: 'my-azure', type: 'azure' }, 'gpt-image-1-mini')?.image_input, 2.5);
    // An operator's text prices keep the catalog's image price; a custom model may have its own.
    const pricing = pricingConfigSchema.parse({ openai: { 'gpt-image-1': { input: 4, output: 32 } }, local: { painter: { input: 1, output: 2, image_input: 3 } } });
    const custom = new PriceCatalog(shippedCatalog(), pricing);
    assert.deepEqual([custom.lookup(openai, 'gpt-image-1')?.input, custom.lookup(openai, 'gpt-image-1')?.image_input], [4, 10]);
    assert.equal(custom.lookup({ name: 'local', type: 'openai-compatible' }, 'painter')?.image_input, 3);
  });
});

describe('audio chat models', () => {
  const catalog = new PriceCatalog(shippedCatalog());
  const openai = { name: 'openai', type: 'openai' };
  it("prices OpenAI's audio chat models' audio apart from text (their model pages), in the catalog and in pricing:", () => {
    const prices = (model: string) => {
      const price = catalog.lookup(openai, model);
      return [price?.input, price?.output, price?.audio_input, price?.audio_output];
    };
    assert.deepEqual(prices('gpt-audio'), [2.5, 10, 32, 64]);
    assert.deepEqual(prices('gpt-audio-2025-08-28'), [2.5, 10, 32, 64]);
    assert.deepEqual(prices('gpt-audio-1.5'), [2.5, 10, 32, 64]);
    assert.deepEqual(prices('gpt-4o-audio-preview'), [2.5, 10, 40, 80]);
    assert.deepEqual(prices('gpt-4o-mini-audio-preview-2024-12-17'), [0.15, 0.6, 10, 20]);
    assert.equal(catalog.lookup({ name: 'my-azure', type: 'azure' }, 'gpt-audio')?.audio_output, 64);
    // Its page lists no audio prices: left out rather than guessed.
    assert.equal(catalog.lookup(openai, 'gpt-audio-mini'), null);
    const pricing = pricingConfigSchema.parse({ openai: { 'gpt-audio': { audio_input: 30 } }, local: { voice: { input: 1, output: 2, audio_input: 3, audio_output: 4 } } });
    const custom = new PriceCatalog(shippedCatalog(), pricing);
    assert.deepEqual([custom.lookup(openai, 'gpt-audio')?.audio_input, custom.lookup(openai, 'gpt-audio')?.audio_output], [30, 64]);
    assert.equal(custom.lookup({ name: 'local', type: 'openai-compatible' }, 'voice')?.audio_output, 4);
  });
});

describe('the lookup cache', () => {
  // Leak audit, finding 1: every model name a client sent stayed cached (up to 10,000, then all were dropped at once).
  it('keeps the maxCachedPrices most recently used lookups, whatever names clients invent', () => {
    const catalog = new PriceCatalog(shippedCatalog(), pricingConfigSchema.parse({ up: { '*': { input: 1, output: 2 } } }));
    const up = { name: 'up', type: 'openai-compatible' };
    const inUse = catalog.lookup(up, 'in-use');
    const oldest = catalog.lookup(up, 'invented-0');
    for (let index = 0; index < 5_000; index++) {
      assert.equal(catalog.lookup(up, `invented-${index}`)?.output, 2);
      catalog.lookupByName(`plain-invented-${index}`);
      if (index % 100 === 0) assert.equal(catalog.lookup(up, 'in-use'), inUse, 'a model in use stays cached (the same object)');
    }
    assert.equal(catalog.cachedLookups, maxCachedPrices);
    const again = catalog.lookup(up, 'invented-0');
    assert.notEqual(again, oldest, 'the least recently used was let go, and is looked up anew');
    assert.equal(again?.input, 1);
  });
});
