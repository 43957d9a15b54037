/**
 * Keywords of JSON Schema whose names are no text of the schema's author; any other key (a
 * property's name, a definition's name, a key inside a `default` or an example) is text the
 * model reads.
 */
const keywords = new Set([
  '$schema', '$id', '$ref', '$defs', '$comment', '$anchor', '$dynamicRef', '$dynamicAnchor', 'definitions',
  'type', 'properties', 'patternProperties', 'additionalProperties', 'unevaluatedProperties', 'propertyNames', 'required', 'dependentRequired', 'dependentSchemas',
  'items', 'prefixItems', 'additionalItems', 'unevaluatedItems', 'contains', 'minContains', 'maxContains', 'minItems', 'maxItems', 'uniqueItems',
  'anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', 'enum', 'const', 'default', 'examples', 'title', 'description',
  'format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minProperties', 'maxProperties',
  'nullable', 'deprecated', 'readOnly', 'writeOnly', 'contentMediaType', 'contentEncoding', 'strict',
]);

/**
 * Every text of a JSON Schema (a tool's parameters, a response format's schema) the model reads,
 * in document order: descriptions and titles, property and definition names, and the strings of
 * enums, constants, defaults and examples (and of any other keyword). Walked without recursion: a
 * client's schema may nest as deep as its body allows.
 */
export function jsonSchemaTexts(schema: unknown, out: string[] = []): string[] {
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value !== '') out.push(value);
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) pending.push(value[index]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index];
        pending.push(item);
        if (!keywords.has(key)) pending.push(key);
      }
    }
  }
  return out;
}
