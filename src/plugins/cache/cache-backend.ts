import type { CanonicalResponse } from '../../canonical/operation.ts';

/** A stored response and when it was stored (ms since epoch, for the Age header). */
export interface CachedReply {
  body: CanonicalResponse;
  storedAt: number;
}

/** Where responses are kept: memory (one node) or Redis (shared). A failing backend answers "not found". */
export interface CacheBackend {
  readonly kind: 'memory' | 'redis';
  get(key: string, now: number): CachedReply | undefined | Promise<CachedReply | undefined>;
  /** `json` is the response serialized once by the caller (its size was already checked); true when it was stored (a failing backend says false). */
  set(key: string, json: string, now: number, ttlMs: number): boolean | Promise<boolean>;
  close(): void | Promise<void>;
}
