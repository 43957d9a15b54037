import type { Release } from './counter-backend.ts';

/**
 * How long a concurrency slot counts in Redis after it was last stamped. The node stamps the slots
 * of its requests still running every quarter of it, so a slot outlives its request by at most
 * this much: when the node crashed, or when the release never reached Redis.
 */
export const inFlightLeaseMs = 60_000;

/** How often failed releases are retried and stamping is considered (more often for a lease under 4 s). */
const tickMs = 1000;

/** Most failed releases kept for retrying; older ones are left to expire with their lease. */
const maxUnreleased = 100_000;

/** What the leases ask of the Redis backend. */
export interface LeaseStore {
  /** Stamps (re-adds) the entries of requests still running: in-flight set key -> request ids. */
  stamp(held: ReadonlyMap<string, ReadonlySet<string>>, now: number, leaseMs: number): Promise<unknown>;
  /** Removes entries (ZREM: sending one twice does no harm). */
  remove(releases: Release[]): Promise<unknown>;
}

/**
 * The concurrency slots this node holds in Redis, as leases. A request's slot is an entry in a
 * sorted set scored with when it was last stamped; admission drops entries older than the lease.
 * While the request runs the node stamps it again (so a long stream keeps its slot, and a slot
 * Redis lost comes back while its request runs); when it ends the entry is removed, and a removal
 * that failed (Redis away or too slow) is retried every second until Redis takes it, so a slot
 * comes back as soon as Redis does, and within a lease at worst. Off the request path: one timer
 * per node while it holds slots.
 */
export class InFlightLeases {
  readonly #store: LeaseStore;
  readonly #leaseMs: number;
  readonly #held = new Map<string, Set<string>>();
  #unreleased: Release[] = [];
  #timer: NodeJS.Timeout | null = null;
  #stampedAt = 0;
  #busy = false;

  constructor(store: LeaseStore, leaseMs: number) {
    this.#store = store;
    this.#leaseMs = leaseMs;
  }

  /** A request took a slot of the in-flight set `key`. */
  hold(key: string, requestId: string): void {
    let ids = this.#held.get(key);
    if (ids === undefined) this.#held.set(key, (ids = new Set()));
    ids.add(requestId);
    this.#start();
  }

  /** Requests leave their slots (their removal is being sent): they are not stamped any more. */
  letGo(releases: readonly Release[]): void {
    for (const release of releases) {
      const ids = this.#held.get(release.key);
      if (ids === undefined) continue;
      ids.delete(release.requestId);
      if (ids.size === 0) this.#held.delete(release.key);
    }
  }

  /** Removals that did not reach Redis: retried until they do. */
  releaseFailed(releases: readonly Release[]): void {
    this.#unreleased.push(...releases);
    if (this.#unreleased.length > maxUnreleased) this.#unreleased.splice(0, this.#unreleased.length - maxUnreleased);
    this.#start();
  }

  /** Redis answers again: retry at once. */
  retry(): void {
    if (this.#unreleased.length > 0) void this.#tick();
  }

  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #start(): void {
    if (this.#timer !== null) return;
    this.#stampedAt = Date.now();
    this.#timer = setInterval(() => void this.#tick(), Math.min(tickMs, this.#leaseMs / 4));
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      if (this.#unreleased.length > 0) {
        const batch = this.#unreleased;
        this.#unreleased = [];
        try {
          await this.#store.remove(batch);
        } catch {
          this.#unreleased = batch.concat(this.#unreleased);
        }
      }
      const now = Date.now();
      if (this.#held.size > 0 && now - this.#stampedAt >= this.#leaseMs / 4) {
        this.#stampedAt = now;
        try {
          await this.#store.stamp(this.#held, now, this.#leaseMs);
        } catch {
          // Tried again at the next tick: the lease runs out only after missing a few.
          this.#stampedAt = 0;
        }
      }
    } finally {
      this.#busy = false;
      if (this.#held.size === 0 && this.#unreleased.length === 0) this.close();
    }
  }
}
