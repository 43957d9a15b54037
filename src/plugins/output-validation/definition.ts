import { definePlugin } from '../../pipeline/define-plugin.ts';
import { outputValidationConfigSchema, type OutputValidationConfig } from './output-validation-config.ts';

/** Response side; the number only orders it among response plugins (after pii's onResponse restores masked values). */
export const outputValidationPriority = 1300;

/** Set on ctx.state by a caller that validates the answer itself (prompt APIs retry once instead). */
export const validatedElsewhere = 'output-validation:skip';

/**
 * Checks that the answer to a non-streaming chat request with response_format json_schema (or
 * json_object) is JSON matching the schema, with ajv; an invalid answer is a 502
 * output_validation_failed or passes flagged, per route. Streams are not checked.
 */
export const outputValidationDefinition = definePlugin<OutputValidationConfig>({
  name: 'output-validation',
  description: 'Validates JSON answers against the request’s response_format schema (non-streaming); error or pass flagged.',
  priority: outputValidationPriority,
  configSchema: outputValidationConfigSchema,
  implementation: async () => (await import('./index.ts')).createOutputValidationPlugin,
});
