import type { Period } from './rate-limit-config.ts';

/** The fixed buckets a window counter reads at one moment. */
export interface WindowSlot {
  /** Id of the bucket `now` falls in (a number of periods since the epoch, or yyyy-mm for months). */
  bucket: string;
  /** The bucket before it, read with `previousWeight` by a sliding window; null for calendar windows. */
  previous: string | null;
  /** Share of the previous bucket still inside the sliding window (1 at the start of the bucket, 0 at its end). */
  previousWeight: number;
  start: number;
  end: number;
  /**
   * How long a bucket key must live (ms), from now: a sliding window's to the end of the next
   * bucket (which reads it as its previous one), a calendar window's to its own end; plus a second
   * (a day for months) of leeway. Not a fixed two periods from now: a bucket created late in its
   * period then outlived the last window that reads it by up to a period.
   */
  ttl: number;
}

export const periodMilliseconds: Record<Exclude<Period, 'month'>, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/**
 * The slot of a window at `now`. Sliding windows are the sliding-window counter (two fixed
 * buckets, the previous weighted by how much of it is still inside the window): memory and
 * round trips stay constant, and the error against an exact log is small and only in the
 * direction of what the previous bucket held. Calendar windows (months, and every budget)
 * are one bucket that starts at 00:00 UTC (the 1st for months).
 */
export function windowSlot(period: Period, now: number, sliding: boolean): WindowSlot {
  if (period === 'month') {
    const date = new Date(now);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    const start = Date.UTC(year, month, 1);
    const end = Date.UTC(year, month + 1, 1);
    return { bucket: `${year}-${String(month + 1).padStart(2, '0')}`, previous: null, previousWeight: 0, start, end, ttl: end - now + 86_400_000 };
  }
  const length = periodMilliseconds[period];
  const index = Math.floor(now / length);
  const start = index * length;
  const end = start + length;
  if (!sliding) return { bucket: String(index), previous: null, previousWeight: 0, start, end, ttl: end - now + 1000 };
  return { bucket: String(index), previous: String(index - 1), previousWeight: (end - now) / length, start, end, ttl: end + length - now + 1000 };
}

/**
 * How long until `amount` more fits under `limit`, given what the current and previous buckets
 * hold. For a sliding window the previous bucket's weight falls linearly to zero at the end of
 * the current bucket, then the current bucket becomes the previous one.
 */
export function millisecondsUntilFits(slot: WindowSlot, now: number, current: number, previous: number, amount: number, limit: number): number {
  const untilEnd = Math.max(0, slot.end - now);
  if (slot.previous === null) return untilEnd;
  const length = slot.end - slot.start;
  const room = limit - current - amount;
  if (room >= 0) {
    if (previous <= 0) return 0;
    // previous * (end - now - t) / length <= room
    return Math.max(0, Math.ceil(untilEnd - (room * length) / previous));
  }
  if (amount > limit) return untilEnd + length;
  // After the bucket ends: current * (1 - t / length) + amount <= limit
  return Math.ceil(untilEnd + length * (1 - (limit - amount) / current));
}

/** Until the window holds nothing of what was counted up to now. */
export function millisecondsUntilReset(slot: WindowSlot, now: number): number {
  const untilEnd = Math.max(0, slot.end - now);
  return slot.previous === null ? untilEnd : untilEnd + (slot.end - slot.start);
}

/** A duration the way OpenAI writes its x-ratelimit-reset-* headers: 20ms, 1s, 6m0s, 1h2m3s. */
export function formatResetDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.max(0, Math.ceil(milliseconds))}ms`;
  const totalSeconds = milliseconds / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Math.round((totalSeconds % 60) * 1000) / 1000;
  if (hours > 0) return `${hours}h${minutes}m${Math.floor(seconds)}s`;
  if (minutes > 0) return `${minutes}m${Math.floor(seconds)}s`;
  return `${seconds}s`;
}
