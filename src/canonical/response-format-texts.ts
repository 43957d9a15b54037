import type { ResponseFormat } from './chat.ts';
import { jsonSchemaTexts, rewriteJsonSchemaTexts } from './json-schema-texts.ts';

type JsonSchemaFormat = Extract<ResponseFormat, { type: 'json_schema' }>;

/** The json_schema definition of a response format; null for text, json_object or a malformed one. */
function jsonSchemaOf(format: ResponseFormat | undefined): Partial<JsonSchemaFormat['json_schema']> | null {
  if (format === undefined || format === null || typeof format !== 'object' || format.type !== 'json_schema') return null;
  const definition = format.json_schema as Partial<JsonSchemaFormat['json_schema']> | undefined;
  return definition === undefined || definition === null || typeof definition !== 'object' ? null : definition;
}

/**
 * The texts of a json_schema response format the model reads (its name, description and schema:
 * json-schema-texts.ts), each a text of its own; none for text or json_object. A chat
 * `response_format`, a Responses `text.format` and a Messages `output_config.format` all arrive as
 * the canonical `response_format`.
 */
export function responseFormatTexts(format: ResponseFormat | undefined): string[] {
  const definition = jsonSchemaOf(format);
  if (definition === null) return [];
  const texts: string[] = [];
  if (typeof definition.name === 'string' && definition.name !== '') texts.push(definition.name);
  if (typeof definition.description === 'string' && definition.description !== '') texts.push(definition.description);
  if (definition.schema !== undefined) jsonSchemaTexts(definition.schema, texts);
  return texts;
}

/**
 * Rewrites the texts of a request's json_schema response format a guardrail may change, in order:
 * its description and its schema's texts (rewriteJsonSchemaTexts: prose and values, not names).
 * Its name is an identifier, kept. A changed format is a new object (the schema may be the
 * client's own, which a Responses answer echoes). Returns true when a text changed.
 */
export function rewriteResponseFormatTexts(request: { response_format?: ResponseFormat }, rewrite: (text: string) => string): boolean {
  const format = request.response_format;
  const definition = jsonSchemaOf(format);
  if (definition === null) return false;
  const description = typeof definition.description === 'string' && definition.description !== '' ? rewrite(definition.description) : definition.description;
  const schema = definition.schema === undefined ? undefined : rewriteJsonSchemaTexts(definition.schema, rewrite);
  if (description === definition.description && schema === definition.schema) return false;
  const next = { ...definition } as JsonSchemaFormat['json_schema'];
  if (description !== definition.description) next.description = description;
  if (schema !== definition.schema) next.schema = schema;
  request.response_format = { ...(format as JsonSchemaFormat), json_schema: next };
  return true;
}
