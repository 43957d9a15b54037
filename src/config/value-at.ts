/**
 * The value at `path` in a parsed document, for a problem that quotes it: `found` when the place
 * that holds it is there (a mapping or a list; `value` undefined then means the field is missing),
 * false when the path leaves the document before its last step.
 */
export function valueAt(document: unknown, path: ReadonlyArray<PropertyKey>): { found: boolean; value?: unknown } {
  let container = document;
  for (let index = 0; index < path.length; index++) {
    if (container === null || typeof container !== 'object') return { found: false };
    const value = (container as Record<PropertyKey, unknown>)[path[index]];
    if (index === path.length - 1) return { found: true, value: Object.hasOwn(container, path[index]) ? value : undefined };
    container = value;
  }
  return { found: true, value: container };
}
