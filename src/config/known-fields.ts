import type { z } from 'zod';

/** The parts of a zod schema's definition the walk below reads (zod 4's `_zod.def`). */
interface SchemaDefinition {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
}

function definitionOf(schema: z.ZodType): SchemaDefinition {
  return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

/** Wrappers that hold the schema a value is checked against (a default, optional, a transform's input). */
const wrappers = new Set(['default', 'prefault', 'optional', 'nullable', 'nonoptional', 'readonly', 'catch', 'lazy', 'pipe']);

/** The schemas a value at `path` below `schema` may be checked against (several under a union). */
function schemasAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>, depth = 0): z.ZodType[] {
  if (depth > 64) return [];
  const definition = definitionOf(schema);
  if (wrappers.has(definition.type)) {
    // A pipe's input side is what the file holds (a transform's output is no field list).
    const inner = definition.type === 'lazy' ? definition.getter?.() : definition.type === 'pipe' ? definition.in : definition.innerType;
    return inner === undefined ? [] : schemasAt(inner, path, depth + 1);
  }
  if (definition.type === 'union') return (definition.options ?? []).flatMap((option) => schemasAt(option, path, depth + 1));
  if (definition.type === 'intersection') return [definition.left, definition.right].flatMap((side) => (side === undefined ? [] : schemasAt(side, path, depth + 1)));
  if (path.length === 0) return [schema];
  const [step, ...rest] = path;
  if (definition.type === 'object' && typeof step === 'string' && definition.shape?.[step] !== undefined) return schemasAt(definition.shape[step], rest, depth + 1);
  if (definition.type === 'record' && definition.valueType !== undefined) return schemasAt(definition.valueType, rest, depth + 1);
  if (definition.type === 'array' && typeof step === 'number' && definition.element !== undefined) return schemasAt(definition.element, rest, depth + 1);
  return [];
}

/**
 * The fields the object at `path` (the path of an "unknown field" problem) takes, as the schema
 * declares them, for a "did you mean" or the list of known fields; null when the path does not
 * lead to one object schema.
 */
export function fieldsAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] | null {
  const objects = schemasAt(schema, path).filter((candidate) => definitionOf(candidate).type === 'object');
  if (objects.length === 0) return null;
  return [...new Set(objects.flatMap((candidate) => Object.keys(definitionOf(candidate).shape ?? {})))];
}
