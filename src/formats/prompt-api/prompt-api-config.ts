import { z } from 'zod';
import { schemaProblem, type SchemaLimits } from '../../plugins/output-validation/compile-json-schema.ts';
import { templateMessageSchema } from '../../plugins/prompt-template/prompt-template-config.ts';
import { placeholderNames } from '../../plugins/prompt-template/template-text.ts';

const jsonSchemaObject = z.record(z.string(), z.unknown());

/**
 * The operator's schemas compile at load (generous: nothing waits on it but the load), and each
 * check of a caller's input or a model's answer against them has 100 ms.
 */
export const promptApiSchemaLimits: SchemaLimits = { compileMs: 5000, checkMs: 100 };

/** One `apis:` entry: a prompt published as a plain REST endpoint. */
export const promptApiSchema = z
  .object({
    path: z
      .string()
      .regex(/^\/apis\/[A-Za-z0-9._~\/-]+$/, 'expected a path under /apis/, such as /apis/summarize')
      .refine((path) => path !== '/apis/openapi.json', '/apis/openapi.json is the prompt APIs’ own OpenAPI document')
      .describe('The endpoint (POST), under /apis/.'),
    description: z.string().optional().describe('What the API does (its OpenAPI summary).'),
    model: z.string().min(1).describe('The model to call: an alias, `provider/model` or a plain name, resolved and routed like a chat request’s model (routes may match the path too); checked at load.'),
    input: jsonSchemaObject.default({ type: 'object' }).describe('JSON Schema of the request body (validated with ajv; `default`s are filled in; patterns run in RE2).'),
    prompt: z.string().optional().describe('Template of one user message; `{{field}}` inserts a top-level input field.'),
    messages: z.array(templateMessageSchema).min(1).optional().describe('Template messages; `{{field}}` inserts a top-level input field.'),
    output: z
      .object({
        mode: z.enum(['text', 'json']).default('text').describe('text: the answer as a string; json: the answer parsed as JSON and validated against `schema`, with one automatic retry.'),
        schema: jsonSchemaObject.optional().describe('JSON Schema the answer must match (json mode); also sent to the model as response_format json_schema.'),
      })
      .strict()
      .default({ mode: 'text' })
      .describe('What the endpoint answers in `output`.'),
    parameters: z.record(z.string(), z.unknown()).default({}).describe('Extra chat parameters sent with every call (temperature, max_tokens, ...).'),
  })
  .strict()
  .superRefine((api, context) => {
    if ((api.prompt === undefined) === (api.messages === undefined)) {
      context.addIssue({ code: 'custom', message: 'set exactly one of prompt or messages' });
      return;
    }
    const inputProblem = schemaProblem(api.input, promptApiSchemaLimits);
    if (inputProblem) context.addIssue({ code: 'custom', path: ['input'], message: inputProblem });
    if (api.output.schema !== undefined) {
      const outputProblem = schemaProblem(api.output.schema, promptApiSchemaLimits);
      if (outputProblem) context.addIssue({ code: 'custom', path: ['output', 'schema'], message: outputProblem });
    }
    const properties = api.input.properties;
    if (properties !== null && typeof properties === 'object') {
      const texts = api.prompt !== undefined ? [api.prompt] : api.messages!.map((message) => message.content);
      for (const field of new Set(texts.flatMap(placeholderNames))) {
        if (!Object.hasOwn(properties, field)) context.addIssue({ code: 'custom', path: [api.prompt !== undefined ? 'prompt' : 'messages'], message: `{{${field}}} is not a property of the input schema` });
      }
    }
    for (const reserved of ['model', 'messages', 'stream', 'response_format']) {
      if (Object.hasOwn(api.parameters, reserved)) context.addIssue({ code: 'custom', path: ['parameters', reserved], message: 'set by the prompt API itself' });
    }
  });

export const promptApisSchema = z
  .array(promptApiSchema)
  .default([])
  .superRefine((apis, context) => {
    const seen = new Set<string>();
    apis.forEach((api, index) => {
      if (seen.has(api.path)) context.addIssue({ code: 'custom', path: [index, 'path'], message: `another API already uses ${api.path}` });
      seen.add(api.path);
    });
  })
  .describe('Prompts published as REST endpoints (POST path with the input JSON -> {"output": ...}); see src/formats/prompt-api/README.md.');

export type PromptApiConfig = z.infer<typeof promptApiSchema>;
