import type { ChatRequest, ChatResponse } from '../../canonical/chat.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { outputValidationPriority, validatedElsewhere } from './definition.ts';
import type { OutputValidationConfig } from './output-validation-config.ts';
import { checkJsonAnswer, outputValidationFailed, SchemaCache } from './validate-json-answer.ts';

const name = 'output-validation';

/** The output-validation plugin's instance: checks JSON answers against the request's schema (definition.ts). */
export function createOutputValidationPlugin(config: OutputValidationConfig, { logger }: PluginDependencies): Plugin {
  const schemas = new SchemaCache(config.cache_size);

  function invalid(ctx: RequestContext, problem: string): void {
    logger.warn({ type: 'output_validation', requestId: ctx.id, problem, action: config.on_invalid }, 'an answer failed output validation');
    if (config.on_invalid === 'error') throw outputValidationFailed(problem);
    ctx.responseHeaders = { ...ctx.responseHeaders, 'x-tollgate-output-validation': 'failed' };
  }

  return {
    name,
    priority: outputValidationPriority,
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
}
