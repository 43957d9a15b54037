import type { GeminiSchema } from './gemini-api.ts';

/**
 * Gemini's `parameters` and `responseSchema` take a subset of OpenAPI 3.0, not JSON Schema: it
 * rejects keywords such as `additionalProperties`, `$schema`, `$ref`/`$defs`, `const`,
 * `oneOf`/`allOf`, `exclusiveMinimum`, non-string enums, string formats other than
 * `enum`/`date-time`, and `required` names without a property. So the schema is rebuilt from
 * the keywords Gemini knows (an allow-list, so new JSON Schema keywords cannot break requests):
 * local `$ref`s are inlined, `["x","null"]` and `anyOf [.., {type:null}]` become `nullable`,
 * `oneOf` becomes `anyOf`, `allOf` is merged, `const` becomes a one-value enum.
 */
export function toGeminiSchema(schema: unknown): GeminiSchema | undefined {
  if (!isObject(schema)) return undefined;
  return convert(schema, schema, 0);
}

const maxDepth = 24;
const stringFormats = new Set(['enum', 'date-time']);
const numberFormats = new Set(['float', 'double']);
const integerFormats = new Set(['int32', 'int64']);
const copiedNumbers = ['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties', 'minimum', 'maximum'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function resolveReference(reference: string, root: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!reference.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of reference.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return isObject(node) ? node : undefined;
}

function isNullSchema(schema: unknown): boolean {
  return isObject(schema) && schema.type === 'null';
}

/** Merges allOf members into one schema (properties and required are unioned). */
function mergeAll(base: Record<string, unknown>, members: unknown[], root: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  delete merged.allOf;
  for (const member of members) {
    let part = isObject(member) ? member : {};
    if (typeof part.$ref === 'string') part = { ...(resolveReference(part.$ref, root) ?? {}), ...part, $ref: undefined };
    for (const [key, value] of Object.entries(part)) {
      if (value === undefined) continue;
      if (key === 'properties' && isObject(value)) merged.properties = { ...(isObject(merged.properties) ? merged.properties : {}), ...value };
      else if (key === 'required' && Array.isArray(value)) merged.required = [...new Set([...(Array.isArray(merged.required) ? merged.required : []), ...value])];
      else if (!(key in merged)) merged[key] = value;
    }
  }
  return merged;
}

function convert(input: Record<string, unknown>, root: Record<string, unknown>, depth: number): GeminiSchema {
  if (depth > maxDepth) return { type: 'object' };
  let schema = input;
  if (typeof schema.$ref === 'string') {
    const target = resolveReference(schema.$ref, root);
    // Recursive or remote references cannot be inlined: an open object is the honest fallback.
    if (!target) return { type: 'object', ...(typeof schema.description === 'string' ? { description: schema.description } : {}) };
    const { $ref: _reference, ...siblings } = schema;
    schema = { ...target, ...siblings };
  }
  if (Array.isArray(schema.allOf)) schema = mergeAll(schema, schema.allOf, root);

  const out: GeminiSchema = {};
  let nullable = schema.nullable === true;

  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (alternatives) {
    if (alternatives.some(isNullSchema)) nullable = true;
    const rest = alternatives.filter((item) => !isNullSchema(item) && isObject(item)) as Record<string, unknown>[];
    if (rest.length === 1) {
      const { anyOf: _anyOf, oneOf: _oneOf, ...outer } = schema;
      const single = convert({ ...outer, ...rest[0] }, root, depth + 1);
      if (nullable) single.nullable = true;
      return single;
    }
    if (rest.length > 1) out.anyOf = rest.map((item) => convert(item, root, depth + 1));
  }

  const declared = schema.type;
  let type: string | undefined;
  if (Array.isArray(declared)) {
    const types = declared.filter((item) => typeof item === 'string' && item !== 'null') as string[];
    if (types.length !== declared.length) nullable = true;
    if (types.length > 1 && !out.anyOf) {
      const { type: _type, ...rest } = schema;
      out.anyOf = types.map((item) => convert({ ...rest, type: item }, root, depth + 1));
    } else {
      type = types[0];
    }
  } else if (typeof declared === 'string' && declared !== 'null') {
    type = declared;
  }
  if (type === undefined && !out.anyOf) {
    if (isObject(schema.properties)) type = 'object';
    else if (schema.items !== undefined) type = 'array';
    else if (typeof schema.const === 'string' || (Array.isArray(schema.enum) && schema.enum.every((item) => typeof item === 'string'))) type = 'string';
  }
  if (type !== undefined) out.type = type;

  if (typeof schema.title === 'string') out.title = schema.title;
  let description = typeof schema.description === 'string' ? schema.description : undefined;

  const values = schema.const !== undefined ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;
  if (values) {
    const strings = values.filter((item) => item !== null);
    if (values.length !== strings.length) nullable = true;
    if (strings.every((item) => typeof item === 'string') && (type === 'string' || type === undefined)) {
      out.enum = strings as string[];
      out.type = 'string';
    } else if (strings.length > 0) {
      // Gemini enums hold strings only; the allowed values still reach the model as text.
      const listed = `Allowed values: ${strings.map((item) => JSON.stringify(item)).join(', ')}.`;
      description = description ? `${description} ${listed}` : listed;
    }
  }
  if (description !== undefined) out.description = description;

  if (typeof schema.format === 'string') {
    const allowed = type === 'string' ? stringFormats : type === 'number' ? numberFormats : type === 'integer' ? integerFormats : undefined;
    if (allowed?.has(schema.format)) out.format = schema.format;
  }
  for (const key of copiedNumbers) if (typeof schema[key] === 'number') out[key] = schema[key] as number;
  if (typeof schema.pattern === 'string') out.pattern = schema.pattern;
  if (schema.default !== undefined) out.default = schema.default;
  if (schema.example !== undefined) out.example = schema.example;
  else if (Array.isArray(schema.examples) && schema.examples.length > 0) out.example = schema.examples[0];

  if (isObject(schema.properties)) {
    const properties: Record<string, GeminiSchema> = {};
    for (const [name, property] of Object.entries(schema.properties)) {
      properties[name] = convert(isObject(property) ? property : {}, root, depth + 1);
    }
    if (Object.keys(properties).length > 0) {
      out.properties = properties;
      if (Array.isArray(schema.required)) {
        const required = schema.required.filter((name): name is string => typeof name === 'string' && name in properties);
        if (required.length > 0) out.required = required;
      }
      if (Array.isArray(schema.propertyOrdering)) out.propertyOrdering = schema.propertyOrdering.filter((name): name is string => typeof name === 'string' && name in properties);
    }
  }
  if (type === 'array') {
    const items = Array.isArray(schema.items) ? schema.items[0] : Array.isArray(schema.prefixItems) ? schema.prefixItems[0] : schema.items;
    out.items = convert(isObject(items) ? items : {}, root, depth + 1);
  }
  if (nullable) out.nullable = true;
  return out;
}

/** True when a converted parameters schema says nothing (Gemini rejects an object with no properties). */
export function isEmptyObjectSchema(schema: GeminiSchema | undefined): boolean {
  return schema === undefined || (schema.type === 'object' && schema.properties === undefined && schema.anyOf === undefined);
}
