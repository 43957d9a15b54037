import { isOverLimit, noneUnseeded, settledKeyOf, type Adjustment, type AdmitResult, type CounterBackend, type CounterCheck, type Release } from './counter-backend.ts';

interface Bucket {
  value: number;
  expiresAt: number;
}

/** How often expired counters, claims and seed marks are let go. */
export const sweepIntervalMs = 60_000;

/**
 * Counters in this process: exact (every check-and-charge is synchronous, so concurrent requests
 * cannot interleave), but per node and lost on restart or config reload. A counter lives as long
 * as its window reads it (windows.ts `ttl`); expired ones are swept every sweepIntervalMs, by a
 * timer and, on the backend's clock, by the admission that finds a sweep due, so memory follows
 * the callers active in the last window or two, not every scope value ever counted.
 */
export class MemoryBackend implements CounterBackend {
  readonly kind = 'memory';
  readonly #buckets = new Map<string, Bucket>();
  readonly #inFlight = new Map<string, number>();
  readonly #claims = new Map<string, number>();
  /** Seed marks of budget counters (CounterCheck.seedMark), with when they expire. */
  readonly #marks = new Map<string, number>();
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;
  #sweepAt: number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#sweepAt = now() + sweepIntervalMs;
    this.#sweeper = setInterval(() => this.#sweep(this.#now()), sweepIntervalMs);
    this.#sweeper.unref();
  }

  /** Counters held (window buckets and budgets' settled spend), expired ones not yet swept included. */
  get counterCount(): number {
    return this.#buckets.size;
  }

  #read(key: string | null, now: number): number {
    if (key === null) return 0;
    const bucket = this.#buckets.get(key);
    if (!bucket) return 0;
    if (bucket.expiresAt <= now) {
      this.#buckets.delete(key);
      return 0;
    }
    return bucket.value;
  }

  admit(checks: CounterCheck[], _requestId: string, now: number): AdmitResult {
    if (now >= this.#sweepAt) this.#sweep(now);
    const current: number[] = new Array(checks.length);
    const previous: number[] = new Array(checks.length);
    let blocked = -1;
    let unseeded: number[] | null = null;
    for (let index = 0; index < checks.length; index++) {
      const check = checks[index];
      if (check.concurrent) {
        current[index] = this.#inFlight.get(check.key) ?? 0;
        previous[index] = 0;
      } else {
        current[index] = this.#read(check.key, now);
        previous[index] = check.previousKey === null ? 0 : this.#read(check.previousKey, now);
      }
      const used = current[index] + previous[index] * check.previousWeight;
      if (blocked === -1 && isOverLimit(used, check.amount, check.limit)) blocked = index;
      if (check.seedMark !== null && !this.#isSeeded(check, now)) (unseeded ??= []).push(index);
    }
    if (blocked !== -1) return { blocked, current, previous, unseeded: unseeded ?? noneUnseeded };
    // A budget not seeded from the ledger yet: nothing is charged until it is (then admit again).
    if (unseeded !== null) return { blocked, current, previous, unseeded };
    for (const check of checks) {
      if (check.concurrent) {
        this.#inFlight.set(check.key, (this.#inFlight.get(check.key) ?? 0) + 1);
      } else {
        // Created even for a zero amount (an alias whose price is unknown before routing, a
        // cache-able request): the log phase's correction charges what was really spent, and a
        // correction only lands on a bucket that exists.
        const bucket = this.#buckets.get(check.key);
        if (bucket && bucket.expiresAt > now) bucket.value += check.amount;
        else this.#buckets.set(check.key, { value: check.amount, expiresAt: now + check.ttl });
      }
    }
    return { blocked, current, previous, unseeded: noneUnseeded };
  }

  #isSeeded(check: CounterCheck, now: number): boolean {
    const until = this.#marks.get(check.seedMark!);
    return until !== undefined && until > now && this.#buckets.has(check.key);
  }

  settle(adjustments: Adjustment[], releases: Release[], read: string[]): number[] {
    const now = this.#now();
    for (const adjustment of adjustments) {
      const bucket = this.#buckets.get(adjustment.key);
      if (!bucket || bucket.expiresAt <= now) continue;
      bucket.value = Math.max(0, bucket.value + adjustment.delta);
      if (adjustment.spent !== undefined && adjustment.spent > 0) this.#addSettled(adjustment.key, adjustment.spent, bucket.expiresAt, now);
    }
    for (const release of releases) {
      const count = (this.#inFlight.get(release.key) ?? 0) - 1;
      if (count > 0) this.#inFlight.set(release.key, count);
      else this.#inFlight.delete(release.key);
    }
    return read.map((key) => this.#read(key, now));
  }

  /** Adds a settled request's spend beside its budget counter, which it expires with. */
  #addSettled(counterKey: string, spent: number, expiresAt: number, now: number): void {
    const key = settledKeyOf(counterKey);
    const settled = this.#buckets.get(key);
    if (settled && settled.expiresAt > now) settled.value += spent;
    else this.#buckets.set(key, { value: spent, expiresAt });
  }

  raise(key: string, value: number, ttl: number, mark: string): void {
    const now = this.#now();
    for (const raised of [key, settledKeyOf(key)]) {
      const bucket = this.#buckets.get(raised);
      if (bucket && bucket.expiresAt > now) bucket.value = Math.max(bucket.value, value);
      else this.#buckets.set(raised, { value, expiresAt: now + ttl });
    }
    this.#marks.set(mark, now + ttl);
  }

  claim(key: string, ttl: number): boolean {
    const now = this.#now();
    const until = this.#claims.get(key);
    if (until !== undefined && until > now) return false;
    this.#claims.set(key, now + ttl);
    return true;
  }

  #sweep(now: number): void {
    this.#sweepAt = now + sweepIntervalMs;
    for (const [key, bucket] of this.#buckets) if (bucket.expiresAt <= now) this.#buckets.delete(key);
    for (const [key, until] of this.#claims) if (until <= now) this.#claims.delete(key);
    for (const [key, until] of this.#marks) if (until <= now) this.#marks.delete(key);
  }

  #users = 1;

  /** Another plugin instance uses these counters (see sharedMemoryBackend). */
  retain(): this {
    this.#users++;
    return this;
  }

  close(): void {
    if (--this.#users > 0) return;
    clearInterval(this.#sweeper);
    for (const [owner, backend] of shared) if (backend === this) shared.delete(owner);
  }
}

const shared = new Map<object, MemoryBackend>();

/**
 * The memory counters of one gateway, shared by its plugin instances and kept across config
 * reloads (a reload builds new plugin instances; counters and budgets must not start over).
 * `owner` is an object that lives as long as the gateway (its metrics registry). As with Redis,
 * instances with the same key_prefix count into the same counters.
 */
export function sharedMemoryBackend(owner: object, now: () => number): MemoryBackend {
  const existing = shared.get(owner);
  if (existing) return existing.retain();
  const backend = new MemoryBackend(now);
  shared.set(owner, backend);
  return backend;
}
