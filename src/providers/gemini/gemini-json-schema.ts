import type { GeminiJsonSchema } from './gemini-api.ts';

/**
 * Tool parameters and `response_format` schemas go to Gemini as JSON Schema, in
 * `parametersJsonSchema` / `responseJsonSchema` (Gemini API v1beta and Vertex AI v1 both take
 * them), not as the OpenAPI subset of `parameters` / `responseSchema`: that subset cannot say
 * "any object" (it rejects an OBJECT without properties, so one free-form `metadata` property
 * failed the whole request) and has no `additionalProperties`, `$ref` or `type: [..]`.
 *
 * Google applies a documented set of keywords (type, properties, required, additionalProperties,
 * items, prefixItems, enum, format, minimum/maximum, minItems/maxItems, anyOf, oneOf, $ref/$defs,
 * title, description, propertyOrdering) and ignores the others, so the schema goes up nearly as
 * the client wrote it. Two rewrites keep meaning that would otherwise be lost or refused:
 * `const: x` becomes `enum: [x]` (the same constraint, in a keyword Google applies), and the
 * `$schema` meta keyword is left out.
 */
export function toGeminiJsonSchema(schema: unknown): GeminiJsonSchema | undefined {
  if (!isObject(schema)) return undefined;
  return normalize(schema, 0);
}

/**
 * The parameters of a function as Gemini's `parametersJsonSchema` takes them: an object schema
 * (a schema without a type gets `type: object`, which Google requires at the top).
 */
export function toGeminiParameters(schema: unknown): GeminiJsonSchema | undefined {
  const converted = toGeminiJsonSchema(schema);
  if (!converted) return undefined;
  return converted.type === undefined && converted.anyOf === undefined && converted.oneOf === undefined && converted.$ref === undefined ? { type: 'object', ...converted } : converted;
}

/**
 * True when a parameters schema lets the function take no argument at all (`{type: object}`,
 * `{properties: {}}`, strict mode's `additionalProperties: false`): such a function is declared
 * without parameters, as Google's own examples do. A free-form object (`additionalProperties:
 * true` or a schema) does take arguments and is sent.
 */
export function declaresNoParameters(schema: unknown): boolean {
  if (!isObject(schema)) return true;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type' && value === 'object') continue;
    if (key === 'properties' && isObject(value) && Object.keys(value).length === 0) continue;
    if (key === 'required' && Array.isArray(value) && value.length === 0) continue;
    if (key === 'additionalProperties' && value === false) continue;
    if (ignoredAtTheTop.has(key)) continue;
    return false;
  }
  return true;
}

const ignoredAtTheTop = new Set(['$schema', '$id', '$comment', 'title', 'description', 'strict']);

/** Keywords whose value is one schema. */
const oneSchema = new Set(['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'additionalItems', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema']);
/** Keywords whose value is a list of schemas. */
const schemaList = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items']);
/** Keywords whose value maps names to schemas. */
const schemaMap = new Set(['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas']);

/** Deeper than this, a schema goes up as it is (client JSON cannot loop, but it can be deep). */
const maxDepth = 64;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function normalize(schema: Record<string, unknown>, depth: number): GeminiJsonSchema {
  if (depth > maxDepth) return schema;
  const out: GeminiJsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema') continue;
    if (key === 'const') {
      if (schema.enum === undefined) out.enum = [value];
      continue;
    }
    if (oneSchema.has(key) && isObject(value)) out[key] = normalize(value, depth + 1);
    else if (schemaList.has(key) && Array.isArray(value)) out[key] = value.map((item) => (isObject(item) ? normalize(item, depth + 1) : item));
    else if (schemaMap.has(key) && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, isObject(item) ? normalize(item, depth + 1) : item]));
    else out[key] = value;
  }
  return out;
}
