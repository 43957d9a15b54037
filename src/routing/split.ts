import { hash32 } from './hash.ts';
import type { KeySource } from './key-source.ts';
import type { RoutingRequest } from './routing-request.ts';
import type { ModelGroup } from './target.ts';

export interface SplitVariant {
  name: string;
  group: ModelGroup;
}

/** Resolution of the split: a key always falls in the same one of this many buckets. */
const buckets = 10_000;

/**
 * Canary / A-B split: the stickiness key (consumer, session header, ...) hashes to a bucket and
 * the buckets are shared out by weight, so the same key always gets the same variant and
 * changing one weight moves only the keys at the boundary. The route name salts the hash so two
 * routes split independently. Requests without a key hash on their request id.
 */
export function compileSplit(routeName: string, variants: Array<SplitVariant & { weight: number }>, key: KeySource): (request: RoutingRequest) => SplitVariant {
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  const bounds: number[] = [];
  let cumulative = 0;
  for (const variant of variants) {
    cumulative += variant.weight;
    bounds.push(Math.round((cumulative / total) * buckets));
  }
  const chosen = variants.map(({ name, group }) => ({ name, group }));
  const salt = `${routeName}\u0000`;
  return (request) => {
    const bucket = hash32(salt + (key(request) ?? request.id)) % buckets;
    for (let index = 0; index < bounds.length; index++) if (bucket < bounds[index]) return chosen[index];
    return chosen[chosen.length - 1];
  };
}
