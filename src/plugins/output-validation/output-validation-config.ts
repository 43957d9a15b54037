import { z } from 'zod';

export const outputValidationConfigSchema = z
  .object({
    on_invalid: z
      .enum(['error', 'pass'])
      .default('error')
      .describe('error: answer 502 output_validation_failed; pass: send the answer as it is, with x-tollgate-output-validation: failed and a log line.'),
    json_object: z.boolean().default(true).describe('Also check that answers to response_format json_object requests are JSON objects.'),
    max_schema_bytes: z.number().int().positive().default(65536).describe('Schemas larger than this (JSON text) are not compiled; the answer passes unchecked.'),
    max_compile_ms: z.number().int().positive().default(200).describe('Most time compiling one request schema may take (the event loop waits meanwhile); a schema that takes longer is not used and its answers pass unchecked.'),
    max_check_ms: z.number().int().positive().default(50).describe('Most time checking one answer against its schema may take; an answer that takes longer fails validation ("it could not be checked").'),
    cache_size: z.number().int().positive().default(256).describe('How many distinct request schemas keep a compiled validator.'),
  })
  .strict();

export type OutputValidationConfig = z.infer<typeof outputValidationConfigSchema>;
