import type { Limit } from './applicable-limits.ts';

/** The Redis/memory keys of one limit's counter for one scope value, in the current bucket. */
export interface CounterKeys {
  base: string;
  bucket: string | null;
  key: string;
  previousKey: string | null;
  /** A budget's seed mark in the current bucket (cost_usd counters only). */
  mark: string | null;
}

/** How often the cache turns over: a scope value unused for one to two of these lets go of its keys. */
export const counterKeyTurnMs = 60_000;

/** Most scope values one generation holds before it turns early (a flood faster than a turn). */
export const maxCounterKeysPerTurn = 100_000;

type Generation = Map<string, Map<Limit, CounterKeys>>;

/**
 * The counter keys of a rate limiter's limits by scope value, kept so that the same key strings
 * (hashed once) serve every request of a caller. Scope values are often the client's to choose
 * (`header:x-user-id`, `model`, `ip`), so they are kept only while in use: two generations, the
 * values used since the last turn and those used in the turn before. Each turn (every
 * counterKeyTurnMs by the limiter's clock: checked on each request, and by the limiter's timer
 * while none come) drops the older one. A caller idle for one to two minutes lets go of its keys
 * (its counters in the backend expire with their windows), so memory follows the callers that are
 * active. The cache had kept every value until 100,000 a limit (leak audit, finding 2: 0.74 KB a
 * value, 4,796 values still held 6 minutes after their per-minute window).
 */
export class CounterKeyCache {
  #current: Generation = new Map();
  #previous: Generation = new Map();
  #turnAt: number;

  constructor(now: number) {
    this.#turnAt = now + counterKeyTurnMs;
  }

  /** Drops the values unused for a turn once a turn is due. */
  turnIfDue(now: number): void {
    if (now >= this.#turnAt) this.#turn(now);
  }

  #turn(now: number): void {
    // A clock past two turns (an idle limiter): nothing in either generation was used in the last one.
    this.#previous = now - this.#turnAt >= counterKeyTurnMs ? new Map() : this.#current;
    this.#current = new Map();
    this.#turnAt = now + counterKeyTurnMs;
  }

  /** The keys of `limit` for `value`, or undefined when the value has not been used for a turn or more. */
  get(limit: Limit, value: string): CounterKeys | undefined {
    let byLimit = this.#current.get(value);
    if (byLimit === undefined) {
      byLimit = this.#previous.get(value);
      if (byLimit === undefined) return undefined;
      this.#previous.delete(value);
      this.#current.set(value, byLimit);
    }
    return byLimit.get(limit);
  }

  set(limit: Limit, value: string, keys: CounterKeys, now: number): void {
    let byLimit = this.#current.get(value);
    if (byLimit === undefined) {
      if (this.#current.size >= maxCounterKeysPerTurn) this.#turn(now);
      this.#current.set(value, (byLimit = new Map()));
    }
    byLimit.set(limit, keys);
  }

  /** Scope values held, in both generations. */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}
