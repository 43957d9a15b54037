/**
 * The deepest nesting of arrays and objects a JSON body may have. V8's JSON.parse is iterative and
 * takes any depth, but JSON.stringify, structuredClone and the gateway's own walkers (provider
 * mappings, plugins, cache keys) recurse: at a few thousand levels they throw a RangeError
 * somewhere down the pipeline, which would be a 500 (and an SDK retry) after a provider may
 * already have been called. 512 is far beyond any real request (tool schemas nest a few dozen
 * levels at most) and well within the stack the recursive code has.
 */
export const maxJsonDepth = 512;

/**
 * Whether a parsed JSON body nests deeper than `maxJsonDepth`.
 *
 * Checked on the parsed value rather than during parsing: a reviver or a scan of the raw bytes
 * would cost every request something per byte, while this walk touches only the arrays and
 * objects (a chat body's strings, most of its bytes, are skipped by their type: ~0.5 µs for a
 * 5 KB, 20-message body, against ~16 µs for its JSON.parse) and no body too short to be that deep
 * (most requests) is walked at all. The recursion is bounded by the limit, so it cannot overflow
 * itself. (Mapping the RangeError instead would mean catching it wherever something recurses,
 * the pipeline and the providers included, some of them after a provider was called.)
 */
export function nestsTooDeep(value: unknown, bodyLength: number): boolean {
  // The shallowest body over the limit is `[[[…]]]`: two bytes a level.
  if (bodyLength <= 2 * maxJsonDepth || typeof value !== 'object' || value === null) return false;
  return deeperThan(value, maxJsonDepth);
}

/** Whether `container` and the containers it holds nest more than `levels` deep (`container` itself is one level). */
function deeperThan(container: object, levels: number): boolean {
  if (levels === 0) return true;
  if (Array.isArray(container)) {
    for (let index = 0; index < container.length; index++) {
      const item: unknown = container[index];
      if (typeof item === 'object' && item !== null && deeperThan(item, levels - 1)) return true;
    }
    return false;
  }
  for (const key in container) {
    const item = (container as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null && deeperThan(item, levels - 1)) return true;
  }
  return false;
}
