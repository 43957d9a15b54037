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
  /** How long the key must live (ms); for concurrent sets, how long an entry counts at most. */
  ttl: number;
}

export interface AdmitResult {
  /** Index of the first check over its limit (nothing was charged), or -1 (everything was). */
  blocked: number;
  /** What each check's current bucket (or in-flight set) held before this request. */
  current: number[];
  /** What each check's previous bucket held (0 without one). */
  previous: number[];
}

/** A correction of an earlier charge (token reconciliation): applied only while the bucket exists. */
export interface Adjustment {
  key: string;
  delta: number;
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
  /** Applies corrections and releases, then returns the values of `read` (budgets, for alerts). */
  settle(adjustments: Adjustment[], releases: Release[], read: string[]): number[] | Promise<number[]>;
  /** Raises the window counter under `key` to at least `value` (a budget's spend from the ledger), creating it for `ttl` ms. */
  raise(key: string, value: number, ttl: number): void | Promise<void>;
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
