import { z } from 'zod';

/** The prices a processing tier replaces (OpenAI's `service_tier`: flex, priority), USD per million tokens. */
export const tierPriceSchema = z
  .object({
    input: z.number().nonnegative().optional().describe('USD per million input tokens in this tier.'),
    output: z.number().nonnegative().optional().describe('USD per million output tokens in this tier.'),
    cached_input: z.number().nonnegative().optional().describe('USD per million cached input tokens in this tier.'),
  })
  .strict();

/**
 * The prices of a request whose input passes a size (Anthropic's long-context rates for Claude
 * Sonnet 4 and 4.5 above 200k input tokens, Gemini Pro's above 200k prompt tokens): every token of
 * such a request is billed at them, replacing the model's own field by field.
 */
export const longContextPriceSchema = z
  .object({
    above_input_tokens: z.number().int().positive().describe('The request input (prompt tokens, cache reads and writes included) above which every token of the request is billed at these prices.'),
    input: z.number().nonnegative().optional().describe('USD per million input tokens above the threshold.'),
    output: z.number().nonnegative().optional().describe('USD per million output tokens above the threshold.'),
    cached_input: z.number().nonnegative().optional().describe('USD per million cached input tokens above the threshold.'),
    cache_write: z.number().nonnegative().optional().describe('USD per million 5-minute cache-write tokens above the threshold.'),
    cache_write_1h: z.number().nonnegative().optional().describe('USD per million 1-hour cache-write tokens above the threshold; defaults to twice its input price.'),
  })
  .strict();

/** One model's prices (USD per million tokens) and limits; every field optional so a config entry can change one price. */
export const modelPriceOverrideSchema = z
  .object({
    input: z.number().nonnegative().optional().describe('USD per million input (prompt) tokens.'),
    output: z.number().nonnegative().optional().describe('USD per million output (completion) tokens.'),
    cached_input: z.number().nonnegative().optional().describe('USD per million input tokens read from the provider prompt cache; defaults to the input price.'),
    cache_write: z.number().nonnegative().optional().describe('USD per million input tokens written to the provider prompt cache (Anthropic: 5-minute writes); defaults to the input price.'),
    cache_write_1h: z.number().nonnegative().optional().describe('USD per million input tokens written to a 1-hour prompt cache (Anthropic); defaults to twice the input price.'),
    reasoning: z.number().nonnegative().optional().describe('USD per million reasoning tokens when they are priced apart from output; defaults to the output price.'),
    image_input: z.number().nonnegative().optional().describe('USD per million image input tokens when they are priced apart from text input (gpt-image models: the images an edit reads); defaults to the input price.'),
    audio_input: z.number().nonnegative().optional().describe('USD per million audio input tokens when they are priced apart from text input (gpt-audio models in chat: prompt_tokens_details.audio_tokens); defaults to the input price.'),
    audio_output: z.number().nonnegative().optional().describe('USD per million audio output tokens when they are priced apart from text output (a spoken answer: completion_tokens_details.audio_tokens); defaults to the output price.'),
    context_window: z.number().int().positive().optional().describe('Most tokens (input plus output) the model accepts.'),
    max_output_tokens: z.number().int().positive().optional().describe('Most output tokens the model produces in one response.'),
    service_tiers: z
      .record(z.string().min(1), tierPriceSchema)
      .optional()
      .describe('Prices of a processing tier the provider names in its answer (OpenAI service_tier: flex, priority), replacing input, output and cached_input field by field.'),
    long_context: longContextPriceSchema.optional().describe('Prices of a request whose input is above a size (long-context rates), replacing the others field by field for every token of that request.'),
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
