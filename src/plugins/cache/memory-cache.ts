import type { CanonicalResponse } from '../../canonical/operation.ts';
import type { CacheBackend, CachedReply } from './cache-backend.ts';

interface MemoryEntry extends CachedReply {
  expiresAt: number;
}

/**
 * An LRU with a TTL per entry, on a Map (insertion order is recency order): a hit moves the entry
 * to the end, a store past `maxEntries` drops the first. Every operation is O(1). Expired entries
 * are dropped when met (and pushed out by newer ones).
 */
export class MemoryCache implements CacheBackend {
  readonly kind = 'memory';
  readonly #entries = new Map<string, MemoryEntry>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, now: number): CachedReply | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, json: string, now: number, ttlMs: number): boolean {
    // A private copy: nothing that later touches the response object reaches the cache.
    const body = JSON.parse(json) as CanonicalResponse;
    this.#entries.delete(key);
    this.#entries.set(key, { body, storedAt: now, expiresAt: now + ttlMs });
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    return true;
  }

  close(): void {
    this.#entries.clear();
  }
}
