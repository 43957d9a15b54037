/** A JSON Schema object, as z.toJSONSchema writes it. */
export type JsonSchema = Record<string, unknown>;

/** One whole `${NAME}` or `${NAME:-default}`: what may stand for a number or true/false (substitute-env.ts types it once substituted). */
const wholeReference = '^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$';

/** Text with a reference anywhere in it (`http://${HOST}:8080/v1`), which only substitution can tell fits. */
const someReference = '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}';

const referenceNote = 'An environment reference, ${VAR} or ${VAR:-default}: substituted when the file is loaded, then checked.';

/** Keywords that only describe a schema; they stay beside the anyOf a checked value is put in. */
const annotations = new Set(['title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment']);

/** Keywords whose value is one schema, a list of schemas, or schemas by name: walked. `propertyNames` (keys are never substituted) and `if` (a condition) are not. */
const oneSchema = ['additionalProperties', 'items', 'not', 'contains', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems'];
const schemaLists = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const schemaMaps = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];

function typesOf(node: JsonSchema): string[] {
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type)) return node.type as string[];
  const values = [...(Array.isArray(node.enum) ? node.enum : []), ...('const' in node ? [node.const] : [])];
  return [...new Set(values.map((value) => (value === null ? 'null' : typeof value)))];
}

/**
 * The reference a value checked by `node` may be written as instead, or null: a whole reference
 * for a number or boolean; for text that the schema constrains (an enum, a pattern, a format, a
 * length), any text holding a reference. Objects and lists cannot come from the environment.
 */
function referenceFor(node: JsonSchema): string | null {
  const types = typesOf(node);
  if (types.some((type) => type === 'number' || type === 'integer' || type === 'boolean')) return wholeReference;
  const constrained = ['enum', 'const', 'pattern', 'format', 'minLength', 'maxLength'].some((keyword) => keyword in node);
  if (types.includes('string') && constrained) return someReference;
  return null;
}

/**
 * The schema with every value the loader lets the environment supply also accepting a `${...}`
 * string: `port: ${TOLLGATE_PORT:-8000}` and `level: ${TOLLGATE_LOG_LEVEL:-info}` are what the
 * example config writes, and the loader substitutes them before it validates (substitute-env.ts),
 * so an editor checking the file as written must take them. Such a value becomes
 * `anyOf: [its schema, a reference]`, its description and default kept beside.
 */
export function acceptEnvironmentReferences(node: JsonSchema): JsonSchema {
  const walked: JsonSchema = { ...node };
  for (const keyword of oneSchema) {
    const inner = walked[keyword];
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) walked[keyword] = acceptEnvironmentReferences(inner as JsonSchema);
  }
  for (const keyword of schemaLists) {
    if (Array.isArray(walked[keyword])) walked[keyword] = (walked[keyword] as JsonSchema[]).map(acceptEnvironmentReferences);
  }
  for (const keyword of schemaMaps) {
    const map = walked[keyword];
    if (map !== null && typeof map === 'object') walked[keyword] = Object.fromEntries(Object.entries(map as Record<string, JsonSchema>).map(([name, inner]) => [name, acceptEnvironmentReferences(inner)]));
  }
  const pattern = referenceFor(walked);
  if (pattern === null) return walked;
  const described: JsonSchema = {};
  const checked: JsonSchema = {};
  for (const [keyword, value] of Object.entries(walked)) (annotations.has(keyword) ? described : checked)[keyword] = value;
  return { ...described, anyOf: [checked, { type: 'string', pattern, description: referenceNote }] };
}
