import { z } from 'zod';

/** One model's prices (USD per million tokens) and limits; every field optional so a config entry can change one price. */
export const modelPriceOverrideSchema = z
  .object({
    input: z.number().nonnegative().optional().describe('USD per million input (prompt) tokens.'),
    output: z.number().nonnegative().optional().describe('USD per million output (completion) tokens.'),
    cached_input: z.number().nonnegative().optional().describe('USD per million input tokens read from the provider prompt cache; defaults to the input price.'),
    cache_write: z.number().nonnegative().optional().describe('USD per million input tokens written to the provider prompt cache (Anthropic); defaults to the input price.'),
    reasoning: z.number().nonnegative().optional().describe('USD per million reasoning tokens when they are priced apart from output; defaults to the output price.'),
    context_window: z.number().int().positive().optional().describe('Most tokens (input plus output) the model accepts.'),
    max_output_tokens: z.number().int().positive().optional().describe('Most output tokens the model produces in one response.'),
  })
  .strict();

/**
 * The config's `pricing:` section: provider name (or provider type) -> model name -> prices. Entries
 * are merged over the shipped catalog (negotiated prices), or add models it lacks (self-hosted,
 * custom). The model `"*"` prices every model of that provider that has no entry of its own.
 */
export const pricingConfigSchema = z
  .record(z.string().min(1), z.record(z.string().min(1), modelPriceOverrideSchema))
  .default({})
  .describe('Model prices (USD per million tokens) by provider name or type, then model; merged over the shipped price catalog. Model "*" is the provider-wide default.');

export type ModelPriceOverride = z.infer<typeof modelPriceOverrideSchema>;
export type PricingConfig = z.infer<typeof pricingConfigSchema>;
