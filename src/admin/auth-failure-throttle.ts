import type { Logger } from 'pino';
import { toMilliseconds } from '../config/units.ts';
import { adminErrors } from '../errors/admin-errors.ts';

/** `admin.auth_failures`: how many wrong tokens one client address may send within `window`. */
export interface AuthFailureSettings {
  max: number;
  /** A duration: milliseconds, or a string such as 30s, 1m. */
  window: number | string;
}

export const defaultAuthFailureSettings: AuthFailureSettings = { max: 10, window: '1m' };

/** Most addresses tracked at once (~280 bytes each with an IPv6 address: 2.8 MB when full); beyond it the one that failed longest ago is forgotten. */
export const defaultTrackedAddresses = 10_000;

/** The key of a request whose socket has already gone (Node then reports no address): such requests share one entry. */
const unknownAddress = 'unknown';

interface Tracked {
  failures: number;
  /** When the current count of failures is forgotten. */
  windowEnds: number;
  /** Until when every request that needs a token is refused; 0 while not locked out. */
  lockedUntil: number;
}

/**
 * Throttles guesses of admin tokens, per client address (the socket's; X-Forwarded-For is not
 * read, there is no trusted-proxy setting). A wrong token counts as a failure; `max` failures
 * within `window` lock the address out for one `window` from the last of them: every request from
 * it that needs a token is refused with 429, the right token included, without looking at the
 * token, so an address cannot go on guessing and then be let in by a lucky guess. A missing token
 * is not counted (nothing was guessed), nor are public routes. A success does not reset the count
 * (another client behind the same address would otherwise buy a guesser more guesses).
 *
 * The state is per process, in memory, and bounded: at most `trackedAddresses` entries, the
 * one that failed longest ago forgotten first. An untracked address costs one Map lookup.
 */
export class AuthFailureThrottle {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #trackedAddresses: number;
  readonly #logger: Logger | undefined;
  readonly #now: () => number;
  /** In order of the last failure, oldest first: the first entry is the one to forget. */
  readonly #tracked = new Map<string, Tracked>();

  constructor(settings: AuthFailureSettings, options: { logger?: Logger; trackedAddresses?: number; now?: () => number } = {}) {
    this.#max = settings.max;
    this.#windowMs = toMilliseconds(settings.window);
    this.#trackedAddresses = options.trackedAddresses ?? defaultTrackedAddresses;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** How many addresses are tracked now (for tests). */
  get size(): number {
    return this.#tracked.size;
  }

  /** Throws the 429 while the address is locked out. */
  refuseIfLockedOut(address: string | undefined): void {
    const tracked = this.#tracked.get(address ?? unknownAddress);
    if (tracked === undefined || tracked.lockedUntil === 0) return;
    const wait = tracked.lockedUntil - this.#now();
    if (wait > 0) throw adminErrors.authLockedOut(wait);
  }

  /** Counts a wrong token from the address; the `max`-th within the window locks it out. */
  recordFailure(address: string | undefined): void {
    const key = address ?? unknownAddress;
    const now = this.#now();
    let tracked = this.#tracked.get(key);
    // A request that passed the check before the lockout began and failed after it: already counted enough.
    if (tracked !== undefined && now < tracked.lockedUntil) return;
    if (tracked === undefined || now >= tracked.windowEnds) tracked = { failures: 0, windowEnds: now + this.#windowMs, lockedUntil: 0 };
    this.#tracked.delete(key);
    if (this.#tracked.size >= this.#trackedAddresses) this.#tracked.delete(this.#tracked.keys().next().value!);
    this.#tracked.set(key, tracked);
    if (++tracked.failures < this.#max) return;
    tracked.lockedUntil = tracked.windowEnds = now + this.#windowMs;
    this.#logger?.warn(
      { address: key, failures: tracked.failures, window_ms: this.#windowMs },
      `Admin API: ${tracked.failures} failed authentications from ${key} within ${this.#windowMs / 1000} s; refusing its requests that need a token for ${this.#windowMs / 1000} s`,
    );
  }
}
