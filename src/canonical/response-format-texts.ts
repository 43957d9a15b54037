import type { ResponseFormat } from './chat.ts';
import { jsonSchemaTexts } from './json-schema-texts.ts';

/**
 * The texts of a json_schema response format the model reads (its name, description and schema:
 * json-schema-texts.ts), each a text of its own; none for text or json_object. A chat
 * `response_format`, a Responses `text.format` and a Messages `output_config.format` all arrive as
 * the canonical `response_format`.
 */
export function responseFormatTexts(format: ResponseFormat | undefined): string[] {
  if (format === undefined || format === null || typeof format !== 'object' || format.type !== 'json_schema') return [];
  const definition = format.json_schema as Partial<Extract<ResponseFormat, { type: 'json_schema' }>['json_schema']> | undefined;
  if (definition === undefined || definition === null || typeof definition !== 'object') return [];
  const texts: string[] = [];
  if (typeof definition.name === 'string' && definition.name !== '') texts.push(definition.name);
  if (typeof definition.description === 'string' && definition.description !== '') texts.push(definition.description);
  if (definition.schema !== undefined) jsonSchemaTexts(definition.schema, texts);
  return texts;
}
