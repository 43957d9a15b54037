import type { Logger } from 'pino';
import { formatUsd } from '../../usage/compute-cost.ts';
import type { ApplicableLimit } from './applicable-limits.ts';
import type { CounterBackend } from './counter-backend.ts';

/** A budget's spend after a request, to compare with its alert thresholds. */
export interface BudgetReading {
  applicable: ApplicableLimit;
  /** The budget's bucket key (one per calendar period). */
  key: string;
  /** What the requests that settled spent (settledKeyOf): never what requests in flight reserved. */
  spent: number;
  periodStart: number;
  periodEnd: number;
}

/** The backend key that claims one alert threshold of a budget counter for its period. */
export function alertClaimKey(counterKey: string, limitValue: number, threshold: number): string {
  return `${counterKey}:alert:${limitValue}:${threshold}`;
}

/** How long an alert's claim lives: to the end of the budget's period, and a day more. */
function claimTtl(periodEnd: number, now: number): number {
  return periodEnd - now + 86_400_000;
}

/**
 * Claims, without sending them, the alert thresholds a spend already passed: for a counter seeded
 * from the usage ledger (budget-seeds.ts), whose alerts went out before this process counted it
 * (before a restart, on another node). Thresholds crossed later are sent as usual.
 */
export async function claimPassedAlerts(backend: CounterBackend, counterKey: string, readers: readonly ApplicableLimit[], spent: number, periodEnd: number, now: number): Promise<void> {
  const claims: Array<boolean | Promise<boolean>> = [];
  for (const { limit } of readers) {
    const percent = (spent / limit.value) * 100;
    for (const threshold of limit.alerts) {
      if (percent + 1e-9 < threshold) break;
      claims.push(backend.claim(alertClaimKey(counterKey, limit.value, threshold), claimTtl(periodEnd, now)));
    }
  }
  await Promise.all(claims);
}

/**
 * Budget alerts: each threshold (percent of a cost_usd limit) fires once per period — claimed in
 * the counter backend so several nodes send it once — as a warning log line and, when
 * configured, a JSON POST to a webhook. Never on the request path. The spend compared is the
 * settled spend, the ledger's: the budget's counter also holds the reservations of requests in
 * flight, and a threshold claimed on those would fire early and then never at the real crossing.
 */
export class BudgetAlerts {
  readonly #backend: CounterBackend;
  readonly #logger: Logger;
  readonly #webhookUrl: string | undefined;
  /** Thresholds this node already saw claimed (by it or another node), to skip the round trip. */
  readonly #seen = new Set<string>();

  constructor(backend: CounterBackend, logger: Logger, webhookUrl: string | undefined) {
    this.#backend = backend;
    this.#logger = logger;
    this.#webhookUrl = webhookUrl;
  }

  async check(reading: BudgetReading, now: number): Promise<void> {
    const { limit } = reading.applicable;
    const percent = (reading.spent / limit.value) * 100;
    for (const threshold of limit.alerts) {
      if (percent + 1e-9 < threshold) break;
      const claimKey = alertClaimKey(reading.key, limit.value, threshold);
      if (this.#seen.has(claimKey)) continue;
      if (this.#seen.size > 10_000) this.#seen.clear();
      this.#seen.add(claimKey);
      if (!(await this.#backend.claim(claimKey, claimTtl(reading.periodEnd, now)))) continue;
      this.#send(reading, threshold, now);
    }
  }

  #send(reading: BudgetReading, threshold: number, now: number): void {
    const { limit, scopeValue: counted, displayValue } = reading.applicable;
    const scopeValue = displayValue ?? counted;
    const alert = {
      type: 'budget_alert',
      budget: limit.name,
      scope: limit.scope === 'header' ? `header:${limit.header}` : limit.scope,
      scope_value: scopeValue,
      // A consumer's or team's budget is its id's: the name (scope_value) may have been another's.
      ...(displayValue === undefined ? {} : { scope_id: counted }),
      threshold_percent: threshold,
      spent_usd: Number(formatUsd(reading.spent)),
      limit_usd: limit.value,
      mode: limit.hard ? 'hard' : 'soft',
      period: limit.per,
      period_start: new Date(reading.periodStart).toISOString(),
      period_end: new Date(reading.periodEnd).toISOString(),
      at: new Date(now).toISOString(),
    };
    this.#logger.warn(alert, `budget ${limit.name} for ${alert.scope} '${scopeValue}' reached ${threshold}% ($${formatUsd(reading.spent)} of $${limit.value})`);
    if (!this.#webhookUrl) return;
    fetch(this.#webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alert), signal: AbortSignal.timeout(5000) })
      .then((response) => {
        if (!response.ok) this.#logger.warn({ status: response.status, budget: limit.name }, 'the budget alert webhook refused the alert');
        return response.body?.cancel();
      })
      .catch((error: unknown) => this.#logger.warn({ err: error, budget: limit.name }, 'the budget alert webhook could not be reached'));
  }
}
