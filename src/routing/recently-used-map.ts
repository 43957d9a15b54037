/**
 * A Map of at most `limit` entries that lets go of the least recently used one first, on a Map
 * (insertion order is recency order: a hit moves the entry to the end). For state the data plane
 * keeps per name a client chooses (`provider/<anything>`): the names in use stay, and a flood of
 * invented names only pushes out other names nobody has used since.
 *
 * An entry `isBusy` calls in use (a request in flight to it) is never dropped: it is passed over
 * and moved to the end as if just used, so the state a request is updating is still the one the
 * next request finds. While more than `limit` entries are busy at once, the map holds those too.
 */
export class RecentlyUsedMap<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #limit: number;
  readonly #isBusy: ((value: V) => boolean) | null;
  /** The entry at the end: a run of hits on one name costs one lookup each, no reordering. */
  #newest: K | undefined = undefined;

  constructor(limit: number, isBusy: ((value: V) => boolean) | null = null) {
    if (!(limit >= 1)) throw new Error('RecentlyUsedMap: the limit must be at least 1');
    this.#limit = limit;
    this.#isBusy = isBusy;
  }

  get size(): number {
    return this.#entries.size;
  }

  get limit(): number {
    return this.#limit;
  }

  /** The value under `key`, which now counts as the most recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined || key === this.#newest) return value;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
    return value;
  }

  /** The value under `key` without counting a use (a reload looking at the old router's state). */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Stores `value` as the most recently used, then lets go of the least recently used past the limit. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
    // Each entry is looked at once at most: a busy one goes to the end, so a map of busy entries stops the loop.
    let looked = 0;
    const total = this.#entries.size;
    while (this.#entries.size > this.#limit && looked++ < total) {
      const [oldestKey, oldest] = this.#entries.entries().next().value!;
      this.#entries.delete(oldestKey);
      if (this.#isBusy !== null && this.#isBusy(oldest)) {
        this.#entries.set(oldestKey, oldest);
        this.#newest = oldestKey;
      }
    }
  }

  values(): MapIterator<V> {
    return this.#entries.values();
  }
}
