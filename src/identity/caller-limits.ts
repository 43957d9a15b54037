import type { CallerLimit } from '../pipeline/context.ts';

const shorthand: Record<string, Pick<CallerLimit, 'requests' | 'tokens' | 'per'> & { unit: 'requests' | 'tokens' }> = {
  rps: { unit: 'requests', per: 'second' },
  rpm: { unit: 'requests', per: 'minute' },
  rph: { unit: 'requests', per: 'hour' },
  rpd: { unit: 'requests', per: 'day' },
  tps: { unit: 'tokens', per: 'second' },
  tpm: { unit: 'tokens', per: 'minute' },
  tph: { unit: 'tokens', per: 'hour' },
  tpd: { unit: 'tokens', per: 'day' },
};

// The Admin API accepts only the five words (rate-limit-config.ts, periodSchema). Records written
// before it checked may hold the durations it used to document; they keep the meaning they had.
const periodWords: Record<string, CallerLimit['per']> = { '1s': 'second', '1m': 'minute', '1h': 'hour', '1d': 'day', '24h': 'day', '30d': 'month', '1mo': 'month', month: 'month', day: 'day', hour: 'hour', minute: 'minute', second: 'second' };

function positive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/**
 * The limits stored on a key, consumer or team, as ctx.caller.limits (stored-caller-limits.ts joins
 * them); `scope` is the record's, unless an entry names another.
 * Accepts the documented list (`[{requests: 20, per: minute}, {cost_usd: 50, per: month}]`), the
 * shorthand record (`{rpm: 60, tpm: 100000, concurrent: 5}`) and a budget
 * (`{max_usd: 50, period: month}`, month when no period is given). The Admin API refuses anything else; a record stored before it did
 * may hold a budget period that cannot be enforced (`week`): it is skipped and `ignored` is told
 * why, so the operator hears of it. Call it once when the identity cache loads a record, not per
 * request: the rate-limit plugin parses each array once and recognises it by identity afterwards.
 */
export function toCallerLimits(scope: NonNullable<CallerLimit['scope']>, limits: unknown, budget?: unknown, ignored?: (problem: string) => void): CallerLimit[] {
  const result: CallerLimit[] = [];
  if (Array.isArray(limits)) {
    for (const entry of limits) if (entry && typeof entry === 'object') result.push({ scope, ...(entry as CallerLimit) });
  } else if (limits && typeof limits === 'object') {
    for (const [name, value] of Object.entries(limits as Record<string, unknown>)) {
      if (!positive(value)) continue;
      const known = shorthand[name];
      if (known) result.push({ scope, [known.unit]: value, per: known.per });
      else if (name === 'concurrent' || name === 'max_parallel_requests') result.push({ scope, concurrent: value });
    }
  }
  if (budget && typeof budget === 'object') {
    const { max_usd: maxUsd, period } = budget as { max_usd?: unknown; period?: unknown };
    const per = period === undefined || period === null ? 'month' : typeof period === 'string' ? periodWords[period] : undefined;
    if (positive(maxUsd) && per) result.push({ scope, cost_usd: maxUsd, per });
    else ignored?.(`budget ${JSON.stringify(budget)} is not enforced: ${per ? 'max_usd must be a positive number' : 'its period must be second, minute, hour, day or month'}`);
  }
  return result;
}
