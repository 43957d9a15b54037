import type { PromptApiConfig } from './prompt-api-config.ts';

type JsonObject = Record<string, unknown>;

const errorSchema: JsonObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'type', 'code'],
      properties: { message: { type: 'string' }, type: { type: 'string' }, param: { type: ['string', 'null'] }, code: { type: 'string' } },
    },
  },
};

const usageSchema: JsonObject = {
  type: ['object', 'null'],
  description: 'Tokens of every model call the answer took (a JSON retry included).',
  properties: { prompt_tokens: { type: 'integer' }, completion_tokens: { type: 'integer' }, total_tokens: { type: 'integer' } },
};

const errorResponse = (description: string): JsonObject => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function operationId(path: string): string {
  return path
    .slice('/apis/'.length)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word, index) => (index === 0 ? word : word[0].toUpperCase() + word.slice(1)))
    .join('');
}

function outputSchema(api: PromptApiConfig): JsonObject {
  if (api.output.mode === 'text') return { type: 'string', description: 'The model’s answer.' };
  return api.output.schema ?? { description: 'The model’s answer, parsed as JSON.' };
}

function operation(api: PromptApiConfig): JsonObject {
  return {
    summary: api.description ?? `Prompt API ${api.path}`,
    operationId: operationId(api.path),
    tags: ['prompt APIs'],
    requestBody: { required: true, content: { 'application/json': { schema: api.input } } },
    responses: {
      '200': {
        description: 'The answer.',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['output'],
              properties: { output: outputSchema(api), model: { type: 'string', description: 'The model that answered.' }, usage: usageSchema, finish_reason: { type: ['string', 'null'] } },
            },
          },
        },
      },
      '400': errorResponse('The input does not match the schema (invalid_api_input), is not JSON, or a guardrail refused the prompt.'),
      '401': errorResponse('No key, or an unknown one (when key authentication is on).'),
      '429': errorResponse('A rate limit or budget was reached.'),
      '502': errorResponse('The model could not be reached, or (json output) its answer was not valid after one retry (output_validation_failed).'),
    },
  };
}

/** OpenAPI 3.1 for the configured prompt APIs (served at GET /apis/openapi.json). */
export function promptApiOpenApiDocument(apis: readonly PromptApiConfig[]): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const api of apis) paths[api.path] = { post: operation(api) };
  return {
    openapi: '3.1.0',
    info: { title: 'Tollgate prompt APIs', version: '1', description: 'Prompts published as REST endpoints by this gateway’s `apis:` configuration.' },
    components: {
      securitySchemes: { gatewayKey: { type: 'http', scheme: 'bearer', description: 'A Tollgate key, when key authentication is on (x-api-key works too).' } },
      schemas: { Error: errorSchema },
    },
    security: [{ gatewayKey: [] }, {}],
    paths,
  };
}
