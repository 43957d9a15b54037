import type { ChatRequest, ChatResponse } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { SchemaProblem, warmUpSchemaCompiler, type CompiledSchema } from './compile-json-schema.ts';
import { outputValidationPriority, validatedElsewhere } from './definition.ts';
import type { OutputValidationConfig } from './output-validation-config.ts';
import { checkJsonAnswer, outputValidationFailed, SchemaCache } from './validate-json-answer.ts';

const name = 'output-validation';
/** The request's compiled schema, from onRequest to onResponse. */
const compiledSchemaKey = 'output-validation:schema';

/** The output-validation plugin's instance: checks JSON answers against the request's schema (definition.ts). */
export function createOutputValidationPlugin(config: OutputValidationConfig, { logger }: PluginDependencies): Plugin {
  const schemas = new SchemaCache(config.cache_size, { compileMs: config.max_compile_ms, checkMs: config.max_check_ms });
  warmUpSchemaCompiler();

  function checked(ctx: RequestContext): boolean {
    return ctx.operation === 'chat' && !ctx.stream && !ctx.state.has(validatedElsewhere);
  }

  function invalid(ctx: RequestContext, problem: string): void {
    logger.warn({ type: 'output_validation', requestId: ctx.id, problem, action: config.on_invalid }, 'an answer failed output validation');
    if (config.on_invalid === 'error') throw outputValidationFailed(problem);
    ctx.responseHeaders = { ...ctx.responseHeaders, 'x-tollgate-output-validation': 'failed' };
  }

  return {
    name,
    priority: outputValidationPriority,
    // The schema is compiled before the provider is called: one the gateway cannot check safely
    // (a pattern RE2 cannot run) is refused while it costs nothing yet.
    onRequest(ctx) {
      if (!checked(ctx)) return;
      const format = (ctx.body as ChatRequest).response_format;
      if (format?.type !== 'json_schema' || !format.json_schema?.schema) return;
      const schema = format.json_schema.schema;
      const text = JSON.stringify(schema);
      if (text.length > config.max_schema_bytes) return;
      const { entry, fresh } = schemas.get(schema, text);
      if (entry instanceof SchemaProblem) {
        if (entry.kind === 'unsupported') throw errors.unsupportedValue('response_format', `The gateway cannot check answers against this response_format schema: ${entry.message}.`);
        // Said once per schema (it is cached): its answers pass unchecked, as documented.
        if (fresh) logger.warn({ type: 'output_validation', requestId: ctx.id, problem: entry.message }, 'a response_format schema is not used: answers to it pass unchecked');
        return;
      }
      ctx.state.set(compiledSchemaKey, entry);
    },
    // A JSON answer it would check comes back from a natively served Responses request unseen.
    nativeForwardingConflict(ctx) {
      if (!checked(ctx)) return null;
      const format = (ctx.body as ChatRequest).response_format;
      return format?.type === 'json_schema' || (format?.type === 'json_object' && config.json_object) ? 'checks JSON answers, which it cannot see there' : null;
    },
    onResponse(ctx, response) {
      if (!checked(ctx)) return;
      const format = (ctx.body as ChatRequest).response_format;
      if (!format || (format.type !== 'json_schema' && !(format.type === 'json_object' && config.json_object))) return;
      const schema = (ctx.state.get(compiledSchemaKey) as CompiledSchema | undefined) ?? null;
      const choices = (response as ChatResponse).choices;
      if (!Array.isArray(choices)) return;
      for (const choice of choices) {
        const message = choice.message;
        // A refusal or a tool call is not the JSON answer; there is nothing to validate.
        if (!message || typeof message.content !== 'string' || message.refusal || (message.tool_calls?.length ?? 0) > 0) continue;
        const result = checkJsonAnswer(message.content, schema, { mustBeObject: format.type === 'json_object' });
        if (!result.ok) return invalid(ctx, result.problem);
      }
      if (config.on_invalid === 'pass') ctx.responseHeaders = { ...ctx.responseHeaders, 'x-tollgate-output-validation': 'passed' };
    },
  };
}
