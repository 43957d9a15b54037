import { hash32 } from './hash.ts';

/** Virtual nodes per unit of weight: enough for an even spread over a handful of targets. */
export const virtualNodesPerWeight = 160;

/**
 * A consistent-hash ring with virtual nodes. Each member's points depend only on its id, so
 * removing one member moves only the keys that were on it (about 1/N of them).
 */
export class HashRing<Member> {
  readonly #points: Uint32Array;
  readonly #owners: Member[];
  readonly #memberCount: number;

  constructor(members: ReadonlyArray<{ id: string; weight: number; member: Member }>) {
    const entries: Array<{ point: number; member: Member }> = [];
    for (const { id, weight, member } of members) {
      const nodes = weight <= 0 ? 0 : Math.max(1, Math.round(virtualNodesPerWeight * weight));
      for (let node = 0; node < nodes; node++) entries.push({ point: hash32(`${id}#${node}`), member });
    }
    entries.sort((left, right) => left.point - right.point);
    this.#points = Uint32Array.from(entries, (entry) => entry.point);
    this.#owners = entries.map((entry) => entry.member);
    this.#memberCount = new Set(this.#owners).size;
  }

  get size(): number {
    return this.#points.length;
  }

  /** Index of the first point at or after `point` (wrapping to 0). */
  #firstAtOrAfter(point: number): number {
    let low = 0;
    let high = this.#points.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#points[middle] < point) low = middle + 1;
      else high = middle;
    }
    return low === this.#points.length ? 0 : low;
  }

  /** The member owning `key`: the first point clockwise from the key's hash. */
  lookup(key: string): Member | undefined {
    if (this.#points.length === 0) return undefined;
    return this.#owners[this.#firstAtOrAfter(hash32(key))];
  }

  /**
   * Distinct members clockwise from the key that pass `accept`, at most `limit` of them: the
   * owner first, then the members that would inherit its keys (a stable failover order).
   */
  walk(key: string, accept: (member: Member) => boolean, limit: number): Member[] {
    const found: Member[] = [];
    if (this.#points.length === 0) return found;
    const start = this.#firstAtOrAfter(hash32(key));
    const wanted = Math.min(limit, this.#memberCount);
    for (let step = 0; step < this.#points.length && found.length < wanted; step++) {
      const member = this.#owners[(start + step) % this.#points.length];
      if (!found.includes(member) && accept(member)) found.push(member);
    }
    return found;
  }
}
