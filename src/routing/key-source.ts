import type { RoutingRequest } from './routing-request.ts';

/** Reads a stickiness key from a request; undefined when the source is absent. */
export type KeySource = (request: RoutingRequest) => string | undefined;

function compileOne(spec: string): KeySource {
  if (spec === 'consumer') return (request) => request.caller.consumer ?? request.caller.key;
  if (spec === 'key') return (request) => request.caller.key;
  if (spec === 'team') return (request) => request.caller.team;
  if (spec.startsWith('header:')) {
    const name = spec.slice(7).toLowerCase();
    return (request) => {
      const value = request.headers[name];
      return typeof value === 'string' && value !== '' ? value : Array.isArray(value) ? value[0] : undefined;
    };
  }
  const field = spec.slice('metadata:'.length);
  return (request) => request.caller.metadata?.[field];
}

/**
 * Compiles `hash_on` / `split_on` (already validated by the schema) into one function: the
 * first source present wins. The spec names are kept in the key so that two sources with the
 * same value (a consumer and a header) do not collide.
 */
export function compileKeySources(specs: readonly string[]): KeySource {
  const sources = specs.map((spec) => ({ spec, read: compileOne(spec) }));
  return (request) => {
    for (const source of sources) {
      const value = source.read(request);
      if (value !== undefined) return `${source.spec}=${value}`;
    }
    return undefined;
  };
}
