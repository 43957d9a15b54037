import type { ChatRequest, ChatResponse } from '../../canonical/chat.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDefinition } from '../../pipeline/plugin.ts';
import { outputValidationConfigSchema, type OutputValidationConfig } from './output-validation-config.ts';
import { checkJsonAnswer, outputValidationFailed, SchemaCache } from './validate-json-answer.ts';

const name = 'output-validation';
/** Response side; the number only orders it among response plugins (after pii's onResponse restores masked values). */
const priority = 1300;

/** Set on ctx.state by a caller that validates the answer itself (prompt APIs retry once instead). */
export const validatedElsewhere = 'output-validation:skip';

/**
 * Checks that the answer to a non-streaming chat request with response_format json_schema (or
 * json_object) is JSON matching the schema, with ajv; an invalid answer is a 502
 * output_validation_failed or passes flagged, per route. Streams are not checked.
 */
export const outputValidationDefinition: PluginDefinition<OutputValidationConfig> = {
  name,
  description: 'Validates JSON answers against the request’s response_format schema (non-streaming); error or pass flagged.',
  priority,
  configSchema: outputValidationConfigSchema,
  create(config, { logger }): Plugin {
    const schemas = new SchemaCache(config.cache_size);

    function invalid(ctx: RequestContext, problem: string): void {
      logger.warn({ type: 'output_validation', requestId: ctx.id, problem, action: config.on_invalid }, 'an answer failed output validation');
      if (config.on_invalid === 'error') throw outputValidationFailed(problem);
      ctx.responseHeaders = { ...ctx.responseHeaders, 'x-tollgate-output-validation': 'failed' };
    }

    return {
      name,
      priority,
      onResponse(ctx, response) {
        if (ctx.operation !== 'chat' || ctx.stream || ctx.state.has(validatedElsewhere)) return;
        const format = (ctx.body as ChatRequest).response_format;
        if (!format || (format.type !== 'json_schema' && !(format.type === 'json_object' && config.json_object))) return;
        let validator = null;
        if (format.type === 'json_schema' && format.json_schema?.schema) {
          const schema = format.json_schema.schema;
          if (JSON.stringify(schema).length <= config.max_schema_bytes) validator = schemas.get(schema);
        }
        const choices = (response as ChatResponse).choices;
        if (!Array.isArray(choices)) return;
        for (const choice of choices) {
          const message = choice.message;
          // A refusal or a tool call is not the JSON answer; there is nothing to validate.
          if (!message || typeof message.content !== 'string' || message.refusal || (message.tool_calls?.length ?? 0) > 0) continue;
          const result = checkJsonAnswer(message.content, validator, { mustBeObject: format.type === 'json_object' });
          if (!result.ok) return invalid(ctx, result.problem);
        }
        if (config.on_invalid === 'pass') ctx.responseHeaders = { ...ctx.responseHeaders, 'x-tollgate-output-validation': 'passed' };
      },
    };
  },
};
