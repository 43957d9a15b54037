/** One counter a request is checked against and charged to, all-or-nothing with the others. */
export interface CounterCheck {
  /** Key of the current bucket (window counters) or of the in-flight set (concurrent). */
  key: string;
  /** Key of the previous bucket, read with `previousWeight` (sliding windows); null otherwise. */
  previousKey: string | null;
  previousWeight: number;
  concurrent: boolean;
  /** What this request adds (1 request, estimated tokens or USD). */
  amount: number;
  /** The hard limit; Infinity when only soft limits read this counter. */
  limit: number;
  /** How long the key must live (ms); for concurrent sets, how long an entry counts after it was last stamped (a lease). */
  ttl: number;
  /**
   * A budget that starts from the usage ledger: the key of its seed mark, which raise() sets when
   * it brings the counter up to the ledger's spend for the period. While the mark or the counter is
   * missing (a new period, a counter this backend has not seeded, a Redis that lost its keys),
   * admit() charges nothing and reports the check in `unseeded`. Null for every other counter.
   */
  seedMark: string | null;
}

export interface AdmitResult {
  /** Index of the first check over its limit (nothing was charged), or -1 (everything was). */
  blocked: number;
  /** What each check's current bucket (or in-flight set) held before this request. */
  current: number[];
  /** What each check's previous bucket held (0 without one). */
  previous: number[];
  /**
   * Checks whose seed mark or counter is missing (see CounterCheck.seedMark). When there are any
   * and no check was over its limit, nothing was charged: seed them from the ledger, then admit again.
   */
  unseeded: readonly number[];
}

/** Whether an admission charged its counters (every check fitted and none awaited its seed). */
export function charged(result: AdmitResult): boolean {
  return result.blocked === -1 && result.unseeded.length === 0;
}

/**
 * What `admit` throws when the backend did not answer within its timeout but the admission was
 * sent and may still run: `outcome` is its result if an answer comes later (null if none comes or
 * it failed), so the request's settlement knows whether its reservation was charged.
 */
export class AdmissionTimedOut extends Error {
  readonly outcome: Promise<AdmitResult | null>;
  constructor(message: string, outcome: Promise<AdmitResult | null>) {
    super(message);
    this.name = 'AdmissionTimedOut';
    this.outcome = outcome;
  }
}

/** AdmitResult.unseeded when every counter is seeded (shared: nothing is allocated on the usual path). */
export const noneUnseeded: readonly number[] = Object.freeze([]);

/** A correction of an earlier charge (token reconciliation): applied only while the bucket exists. */
export interface Adjustment {
  key: string;
  delta: number;
  /**
   * A budget counter's: what the settled request spent, added to the counter's settled spend
   * (`settledKeyOf(key)`, created beside it with its expiry). The counter also holds what requests
   * in flight reserved; the settled spend does not, so alerts read it (budget-alerts.ts).
   */
  spent?: number;
}

/** The key of a budget counter's settled spend: the cost of the requests that have settled, without open reservations. */
export function settledKeyOf(counterKey: string): string {
  return `${counterKey}:settled`;
}

/** A request leaving an in-flight set. */
export interface Release {
  key: string;
  requestId: string;
}

/**
 * Where counters live. `admit` is the one call on the hot path: it checks every counter and,
 * when all fit, charges all of them, atomically. The rest runs in the log phase.
 */
export interface CounterBackend {
  readonly kind: 'memory' | 'redis';
  admit(checks: CounterCheck[], requestId: string, now: number): AdmitResult | Promise<AdmitResult>;
  /** Applies corrections (and settled spend) and releases, then returns the values of `read` (budgets' settled spend, for alerts). */
  settle(adjustments: Adjustment[], releases: Release[], read: string[]): number[] | Promise<number[]>;
  /**
   * Raises the window counter under `key` and its settled spend (`settledKeyOf(key)`) to at least
   * `value` (a budget's spend from the ledger), creating them for `ttl` ms, and sets its seed mark
   * `mark` for as long.
   */
  raise(key: string, value: number, ttl: number, mark: string): void | Promise<void>;
  /** True the first time `key` is claimed within `ttl` (alerts once per period, across nodes). */
  claim(key: string, ttl: number): boolean | Promise<boolean>;
  close(): Promise<void> | void;
}

/** Float sums of USD amounts are not exact; a limit is only exceeded by more than this. */
export const epsilon = 1e-9;

/** The admission rule shared by every backend (the Redis script mirrors it). */
export function isOverLimit(used: number, amount: number, limit: number): boolean {
  if (limit === Infinity) return false;
  // Nothing to reserve (e.g. an unpriced model against a budget): admit until the limit is reached.
  if (amount <= 0) return used >= limit - epsilon;
  return used + amount > limit + epsilon;
}
