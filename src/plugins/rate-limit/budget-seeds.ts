import type { Logger } from 'pino';
import type { Store, UsageDimension } from '../../store/store.ts';
import type { UsageLedger } from '../../usage/usage-ledger.ts';
import type { ApplicableLimit } from './applicable-limits.ts';
import { claimPassedAlerts } from './budget-alerts.ts';
import type { CounterBackend } from './counter-backend.ts';
import type { WindowSlot } from './windows.ts';

/** A budget counter the backend reports unseeded (AdmitResult.unseeded): its key, seed mark, period and whose spend it holds. */
export interface SeedRequest {
  key: string;
  mark: string;
  slot: WindowSlot;
  reader: ApplicableLimit;
  /** Every limit that reads the counter: the alert thresholds the seeded spend passed are claimed as sent. */
  readers: readonly ApplicableLimit[];
}

/** The ledger dimension that holds a scope's spend; null for scopes the ledger does not record (ip, header). */
function ledgerFilter(scope: string, value: string): Partial<Record<UsageDimension, string>> | null {
  switch (scope) {
    case 'global':
      return {};
    case 'key':
      return { key: value };
    case 'consumer':
      // By id (applicable-limits.ts): another consumer's spend under the same name is not this one's.
      return { consumer_id: value };
    case 'team':
      // By id too: a deleted team's spend is not that of a new team given its name.
      return { team_id: value };
    case 'model':
      return { requested_model: value };
    case 'route':
      return { route: value };
    default:
      return null;
  }
}

/** How long a request waits for the ledger at most; past it the budget counts from what the counter holds. */
const seedTimeoutMs = 2000;
const maxRemembered = 100_000;

/**
 * Budgets (cost_usd limits) start from what the usage ledger has recorded for their period, not
 * from zero. The backend keeps a seed mark beside each such counter and reports a counter whose
 * mark or value is missing when a request is admitted (a new period, a budget moved to another
 * period, the memory counters after a restart, a Redis that lost its keys — restarted without
 * persistence, failed over to an empty replica, evicted); it is then raised to the ledger's spend
 * and marked, and the request admitted again. Raising (never lowering) keeps a counter that other
 * nodes already charged in Redis, and a slow or failed ledger read lets the request through on
 * what the counter holds (logged once; this process does not ask the ledger for that counter again
 * this period). The alert thresholds the seeded spend passed are claimed as sent before the
 * counter is raised (their alerts went out when it was spent, and no request can read the raised
 * counter before the claims exist), so neither a restart nor a Redis that lost the claims re-sends
 * them. One per backend: counters and seeds go together.
 */
export class BudgetSeeds {
  readonly #store: Store;
  readonly #ledger: UsageLedger | undefined;
  readonly #logger: Logger;
  /** Counters whose ledger read failed: counted from what they hold for the rest of their period. */
  readonly #unreadable = new Set<string>();
  readonly #pending = new Map<string, Promise<void>>();
  #warned = false;

  constructor(store: Store, ledger: UsageLedger | undefined, logger: Logger) {
    this.#store = store;
    this.#ledger = ledger;
    this.#logger = logger;
  }

  /** Whether the ledger could not give the counter under `key` its spend this period (admission then skips its seed mark). */
  isUnreadable(key: string): boolean {
    return this.#unreadable.has(key);
  }

  /** Seeds every counter of `requests` (at most one ledger read per counter at a time). */
  seed(requests: SeedRequest[], backend: CounterBackend): Promise<void> {
    return Promise.all(requests.map((request) => this.#seedOne(request, backend))).then(() => undefined);
  }

  #seedOne(request: SeedRequest, backend: CounterBackend): Promise<void> {
    let pending = this.#pending.get(request.key);
    if (!pending) {
      pending = this.#read(request, backend).finally(() => this.#pending.delete(request.key));
      this.#pending.set(request.key, pending);
    }
    return pending;
  }

  async #read(request: SeedRequest, backend: CounterBackend): Promise<void> {
    const spend = await this.#ledgerSpend(request);
    if (spend === null) return;
    try {
      const now = Date.now();
      // Their alerts went out when that spend was made (before a restart, on another node, before
      // Redis lost the claims): claimed before the counter is raised, so no request sees it first.
      if (spend > 0) await claimPassedAlerts(backend, request.key, request.readers, spend, request.slot.end, now);
      await backend.raise(request.key, spend, request.slot.end - now + 86_400_000, request.mark);
    } catch {
      // The counter store failed: the admission that follows meets the same failure and reports it.
    }
  }

  /** The spend the ledger holds for the counter's scope value and period; null when it cannot say in time (logged once). */
  async #ledgerSpend(request: SeedRequest): Promise<number | null> {
    const { limit, scopeValue } = request.reader;
    const filters = ledgerFilter(limit.scope, scopeValue);
    if (filters === null) return 0;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), seedTimeoutMs);
      timer.unref();
    });
    try {
      const spend = await Promise.race([this.#spend(request.slot, filters), timeout]);
      if (spend === null) throw new Error(`the usage ledger did not answer within ${seedTimeoutMs} ms`);
      return spend;
    } catch (error) {
      if (this.#unreadable.size >= maxRemembered) this.#unreadable.clear();
      this.#unreadable.add(request.key);
      if (!this.#warned) {
        this.#warned = true;
        this.#logger.warn({ err: error, scope: limit.scope }, 'rate-limit: could not read a budget’s spend so far from the usage ledger; it counts from what its counter holds');
      }
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  async #spend(slot: WindowSlot, filters: Partial<Record<UsageDimension, string>>): Promise<number> {
    // Records still queued in this process count too.
    await this.#ledger?.flush();
    const report = await this.#store.usageReport({ from: new Date(slot.start).toISOString(), to: new Date(slot.end).toISOString(), groupBy: [], filters });
    return report.totals.cost_usd;
  }
}

const seedsByBackend = new WeakMap<CounterBackend, BudgetSeeds>();

/** The seeds of a backend's counters (shared by the plugin instances that share the backend). */
export function budgetSeedsFor(backend: CounterBackend, store: Store, ledger: UsageLedger | undefined, logger: Logger): BudgetSeeds {
  let seeds = seedsByBackend.get(backend);
  if (!seeds) {
    seeds = new BudgetSeeds(store, ledger, logger);
    seedsByBackend.set(backend, seeds);
  }
  return seeds;
}
