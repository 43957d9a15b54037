import type { ResponseFormat } from '../../canonical/chat.ts';
import type { AnthropicClientRequest } from './anthropic-client-request.ts';

/** The name the canonical json_schema format gets (Anthropic's format has none; OpenAI requires one). */
const formatName = 'structured_output';

/**
 * Anthropic's structured output (`output_config.format: {type: json_schema, schema}`, what the
 * SDKs' `messages.parse` with `zodOutputFormat` sends; the older top-level `output_format` too)
 * as the canonical `response_format`, which every translated adapter asks its model for JSON
 * with. Undefined when the request has none, or a format type other than json_schema.
 */
export function responseFormatOf(request: AnthropicClientRequest): ResponseFormat | undefined {
  const format = request.output_config?.format ?? request.output_format;
  if (format === null || typeof format !== 'object') return undefined;
  const { type, schema } = format as { type?: unknown; schema?: unknown };
  if (type !== 'json_schema' || schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const jsonSchema = schema as Record<string, unknown>;
  // Anthropic decodes within the schema, as OpenAI's strict mode does; strict mode refuses schemas
  // Anthropic takes (optional properties, open objects), so it is asked only where it holds.
  return { type: 'json_schema', json_schema: { name: formatName, schema: jsonSchema, strict: fitsStrictMode(jsonSchema) } };
}

/** Subschemas a strict-mode check walks into (by keyword: one schema, a list, or a map of them). */
const oneSchema = ['items', 'additionalItems', 'not', 'if', 'then', 'else', 'contains'];
const schemaLists = ['anyOf', 'allOf', 'oneOf', 'prefixItems'];
const schemaMaps = ['properties', '$defs', 'definitions', 'patternProperties'];

/**
 * True when OpenAI's strict mode takes the schema as it is: an object at the top, and every
 * object closed (`additionalProperties: false`) with all its properties required. The
 * Anthropic SDKs' schema transform closes objects; optional fields still fail this check.
 */
export function fitsStrictMode(schema: Record<string, unknown>): boolean {
  if (schema.type !== 'object') return false;
  return closedObjects(schema, 0);
}

function closedObjects(schema: unknown, depth: number): boolean {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return true;
  // A schema nested this deep is beyond what strict mode takes anyway.
  if (depth > 64) return false;
  const node = schema as Record<string, unknown>;
  const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
  if (isObject || node.properties !== undefined) {
    if (node.additionalProperties !== false) return false;
    const keys = node.properties !== null && typeof node.properties === 'object' ? Object.keys(node.properties) : [];
    const required = Array.isArray(node.required) ? new Set(node.required) : new Set();
    if (!keys.every((key) => required.has(key))) return false;
  }
  for (const keyword of oneSchema) if (!closedObjects(node[keyword], depth + 1)) return false;
  for (const keyword of schemaLists) {
    const list = node[keyword];
    if (Array.isArray(list) && !list.every((item) => closedObjects(item, depth + 1))) return false;
  }
  for (const keyword of schemaMaps) {
    const map = node[keyword];
    if (map !== null && typeof map === 'object' && !Object.values(map).every((item) => closedObjects(item, depth + 1))) return false;
  }
  return true;
}
