const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Whether a time starts with a day of the calendar: Date.parse rolls 2027-02-30 over into March. */
function startsWithCalendarDay(value: string): boolean {
  const day = value.slice(0, 10);
  const time = Date.parse(`${day}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(day);
}

/**
 * `--expires` values: a duration from now (90m, 12h, 30d, 2w) or an ISO 8601 time.
 * Returns the ISO time, or throws with a message that says what is accepted.
 */
export function expiryFromFlag(value: string, now = Date.now()): string {
  const match = /^(\d+)(m|h|d|w)$/.exec(value.trim());
  if (match) return new Date(now + Number(match[1]) * units[match[2]]).toISOString();
  const time = Date.parse(value);
  if (!Number.isNaN(time) && startsWithCalendarDay(value.trim())) return new Date(time).toISOString();
  throw new Error(`--expires: expected a duration such as 30d, 12h, 90m, 2w, or an ISO time such as 2027-01-31T00:00:00Z; got ${JSON.stringify(value)}`);
}
