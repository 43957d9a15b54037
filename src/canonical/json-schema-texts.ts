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

/** Keywords whose value is prose the schema's author wrote for the model. */
const proseKeywords = new Set(['description', 'title', '$comment']);
/** Keywords whose value is a schema (or, for `items`, a list of them). */
const schemaKeywords = new Set(['items', 'additionalItems', 'unevaluatedItems', 'contains', 'additionalProperties', 'unevaluatedProperties', 'propertyNames', 'not', 'if', 'then', 'else']);
/** Keywords whose value is a list of schemas. */
const schemaListKeywords = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
/** Keywords whose value maps names (identifiers, kept) to schemas. */
const namedSchemaKeywords = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);
/** Keywords whose value is a value the model may read or produce: every string inside it is text. */
const dataKeywords = new Set(['enum', 'const', 'default', 'examples']);

/** A schema node, list or value the walk reached, and where its copy goes once a text in it changes. */
interface Node {
  source: Record<string, unknown> | unknown[];
  copy: Record<string, unknown> | unknown[] | null;
  parent: Node | null;
  key: string | number;
}

/** What a value is to the walk: a text, an enum's strings, a schema, a list of schemas, names mapped to schemas, or a value. */
type StepKind = 'text' | 'choices' | 'schema' | 'schemas' | 'named-schemas' | 'data';

/** One thing the walk has still to do: `value`, held at `key` of `owner` (null: the root). One shape for every kind. */
interface Step {
  kind: StepKind;
  value: unknown;
  owner: Node | null;
  key: string | number;
}

/** `node`'s copy, made (with the copies of its ancestors that have none yet, top down) when it has none. Without recursion: see jsonSchemaTexts. */
function writable(node: Node): Record<string | number, unknown> {
  const chain: Node[] = [];
  for (let at: Node | null = node; at !== null && at.copy === null; at = at.parent) chain.push(at);
  for (let index = chain.length - 1; index >= 0; index--) {
    const at = chain[index];
    at.copy = Array.isArray(at.source) ? [...at.source] : { ...at.source };
    if (at.parent !== null) (at.parent.copy as Record<string | number, unknown>)[at.key] = at.copy;
  }
  return node.copy as Record<string | number, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What a member of a schema holds, by its keyword; null for structure or an identifier (type, format, pattern, required, $ref…). */
function schemaMemberKind(key: string, value: unknown): StepKind | null {
  if (proseKeywords.has(key)) return typeof value === 'string' ? 'text' : null;
  if (schemaKeywords.has(key)) return isObject(value) ? 'schema' : Array.isArray(value) ? 'schemas' : null;
  if (schemaListKeywords.has(key)) return Array.isArray(value) ? 'schemas' : null;
  if (namedSchemaKeywords.has(key)) return isObject(value) ? 'named-schemas' : null;
  if (key === 'enum' && Array.isArray(value) && value.every((item) => typeof item === 'string')) return 'choices';
  // A value, or what a keyword this list does not know holds (`example`, an `x-` extension).
  if (dataKeywords.has(key) || !keywords.has(key)) return typeof value === 'string' ? 'text' : value !== null && typeof value === 'object' ? 'data' : null;
  return null;
}

/** What a member of a node of `kind` (not a schema) holds. */
function memberKind(kind: StepKind, value: unknown): StepKind | null {
  // A value's strings are text; its keys are kept.
  if (kind === 'data') return typeof value === 'string' ? 'text' : value !== null && typeof value === 'object' ? 'data' : null;
  // A list of schemas, or names (identifiers, kept) mapped to schemas.
  return isObject(value) ? 'schema' : null;
}

/** Puts the steps for a node's members on `pending`, last first, so they are taken in document order. */
function pushMembers(node: Node, kind: StepKind, pending: Step[]): void {
  const source = node.source;
  if (Array.isArray(source)) {
    for (let index = source.length - 1; index >= 0; index--) {
      const value = source[index];
      const next = memberKind(kind, value);
      if (next !== null) pending.push({ kind: next, value, owner: node, key: index });
    }
    return;
  }
  const keys = Object.keys(source);
  for (let index = keys.length - 1; index >= 0; index--) {
    const key = keys[index];
    const value = source[key];
    const next = kind === 'schema' ? schemaMemberKind(key, value) : memberKind(kind, value);
    if (next !== null) pending.push({ kind: next, value, owner: node, key });
  }
}

/**
 * Rewrites the texts of a JSON Schema a guardrail may change, in document order: the prose
 * (`description`, `title`, `$comment`) and every string inside a value (`enum`, `const`,
 * `default`, `examples`, and a keyword this reader does not know, such as `example` or an `x-`
 * extension). Names (of properties and definitions, the keys inside a value) are identifiers the
 * model answers with and are kept, as are the structural keywords (`type`, `format`, `pattern`,
 * `required`, `$ref`…): the schema stays one the provider accepts. Returns `schema` itself when
 * nothing changed; else a copy in which only the objects on the way to a changed text are new, so
 * the client's own objects (which a Responses answer echoes) are never edited. Walked without
 * recursion, as jsonSchemaTexts.
 */
export function rewriteJsonSchemaTexts<T>(schema: T, rewrite: (text: string) => string): T {
  if (!isObject(schema)) return schema;
  const root: Node = { source: schema, copy: null, parent: null, key: '' };
  const pending: Step[] = [];
  pushMembers(root, 'schema', pending);
  while (pending.length > 0) {
    const step = pending.pop()!;
    const owner = step.owner!;
    if (step.kind === 'text') {
      const text = step.value as string;
      const next = rewrite(text);
      if (next !== text) writable(owner)[step.key] = next;
    } else if (step.kind === 'choices') {
      const choices = step.value as string[];
      const next = choices.map(rewrite);
      // Two values rewritten alike (`[EMAIL]`, `[EMAIL]`) are one choice: an enum's values are unique.
      if (next.some((choice, index) => choice !== choices[index])) writable(owner)[step.key] = [...new Set(next)];
    } else {
      pushMembers({ source: step.value as Node['source'], copy: null, parent: owner, key: step.key }, step.kind, pending);
    }
  }
  return (root.copy ?? schema) as T;
}
