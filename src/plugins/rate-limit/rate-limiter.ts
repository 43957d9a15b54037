import type { Logger } from 'pino';
import type { RequestContext } from '../../pipeline/context.ts';
import type { PluginDependencies } from '../../pipeline/plugin.ts';
import type { ModelGroup } from '../../routing/target.ts';
import { failedAttemptTokens } from '../../usage/failed-attempt-usage.ts';
import { priceCatalogFor, type ModelPrice, type PriceCatalog } from '../../usage/price-catalog.ts';
import { recordedCost } from '../cost/recorded-cost.ts';
import { applicableLimit, fromCaller, fromConfig, type ApplicableLimit, type Limit } from './applicable-limits.ts';
import { BudgetAlerts } from './budget-alerts.ts';
import { CounterKeyCache, counterKeyTurnMs, type CounterKeys } from './counter-key-cache.ts';
import { budgetSeedsFor, type BudgetSeeds, type SeedRequest } from './budget-seeds.ts';
import { AdmissionTimedOut, charged, epsilon, isOverLimit, settledKeyOf, type Adjustment, type AdmitResult, type CounterBackend, type CounterCheck, type Release } from './counter-backend.ts';
import { sharedMemoryBackend } from './memory-backend.ts';
import type { RateLimitConfig, Unit } from './rate-limit-config.ts';
import { budgetExceeded, limitsUnavailable, rateLimitExceeded, type RequestEstimate } from './rate-limit-errors.ts';
import { estimateRequest, noEstimate } from './request-estimate.ts';
import { rateLimitMetrics, type RateLimitMetrics } from './rate-limit-metrics.ts';
import { inFlightLeaseMs } from './in-flight-leases.ts';
import { RedisBackend } from './redis-backend.ts';
import { toMilliseconds } from '../../config/units.ts';
import { formatResetDuration, millisecondsUntilFits, millisecondsUntilReset, windowSlot, type WindowSlot } from './windows.ts';
import { tokenCount } from '../../usage/token-count.ts';

export const stateKey = 'rate-limit';

/** Test seams: a clock (month rollover) and a backend. */
export interface RateLimiterOptions {
  now?: () => number;
  backend?: CounterBackend;
}

/** One counter this request was checked against, with the limits that read it. */
interface Counter {
  check: CounterCheck;
  unit: Unit;
  slot: WindowSlot | null;
  readers: ApplicableLimit[];
}

/** What the log phase needs to reconcile a request (kept on ctx.state). */
interface Admission {
  counters: Counter[];
  estimate: RequestEstimate;
  /**
   * Set when the counter store failed and fail_open limits let the request through uncounted.
   * Its usage is charged when it settles (best effort: if the store answers then), unless
   * `outcome`, the answer to an admission that timed out but came later, says it was charged.
   */
  uncounted?: { outcome: Promise<AdmitResult | null> | null };
}

/** What a request refused after its admission was charged gives back: everything. */
const nothingUsed: Partial<Record<Unit, number>> = { tokens: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };

const adjustable = new Set<Unit>(['tokens', 'input_tokens', 'output_tokens', 'cost_usd']);
const tokenUnits = new Set<Unit>(['tokens', 'input_tokens', 'output_tokens']);

function scopeLabel(limit: Limit): string {
  return limit.scope === 'header' ? `header:${limit.header}` : limit.scope;
}

/**
 * The rate-limit plugin's logic. onRequest estimates what the request will use, checks and
 * charges every applicable counter in one atomic backend call, and answers 429 when one is
 * over. onLog replaces the estimate with the reported usage (charge or refund the difference),
 * releases concurrency slots and fires budget alerts.
 */
export class RateLimiter {
  readonly #config: RateLimitConfig;
  readonly #limits: Limit[];
  readonly #dependencies: PluginDependencies;
  readonly #backend: CounterBackend;
  readonly #catalog: PriceCatalog;
  readonly #logger: Logger;
  readonly #metrics: RateLimitMetrics;
  #alerts: BudgetAlerts | null = null;
  /** The ledger reads of the backend's budget counters; null without a store. */
  #seeds: BudgetSeeds | null = null;
  readonly #now: () => number;
  #healthy = true;
  /** Counter keys by scope value, kept while the value is in use (counter-key-cache.ts). */
  readonly #keyCache: CounterKeyCache;
  /** Turns #keyCache over while no request comes, so an idle gateway lets go of its callers' keys too. */
  readonly #keyCacheTimer: NodeJS.Timeout;
  readonly #groupPrices = new WeakMap<ModelGroup, ModelPrice[]>();

  constructor(config: RateLimitConfig, dependencies: PluginDependencies, options: RateLimiterOptions = {}) {
    this.#config = config;
    this.#limits = config.limits.map(fromConfig);
    this.#now = options.now ?? Date.now;
    const keyCache = new CounterKeyCache(this.#now());
    const now = this.#now;
    this.#keyCache = keyCache;
    // The timer holds the cache, not the limiter: it never keeps a limiter alive.
    this.#keyCacheTimer = setInterval(() => keyCache.turnIfDue(now()), counterKeyTurnMs);
    this.#keyCacheTimer.unref();
    this.#logger = dependencies.logger;
    this.#metrics = rateLimitMetrics(dependencies.metrics);
    this.#catalog = priceCatalogFor(dependencies.pricing);
    this.#dependencies = dependencies;
    // The counter store is taken at once. Memory counters, so a reload's new instance holds them
    // before the old instance lets go (see sharedMemoryBackend). A Redis connection, so its state
    // is known from the start: a gateway that starts while Redis is down shows
    // tollgate_rate_limit_backend_up 0 (and logs it once) before any request meets a limit, and
    // an alert on it fires; it had waited for the first request that met one.
    this.#backend = options.backend ?? this.#makeBackend(dependencies);
    const store = dependencies.store;
    if (store) this.#seeds = budgetSeedsFor(this.#backend, store, dependencies.usageLedger, this.#logger);
    this.#alerts = new BudgetAlerts(this.#backend, this.#logger, config.webhook_url);
    // Both series from the start, so a dashboard or an alert reads 0 errors rather than none.
    this.#metrics.backendUp.set({ backend: this.#backend.kind }, 1);
    this.#metrics.backendErrors.inc({ backend: this.#backend.kind }, 0);
  }

  #wantsRedis(): boolean {
    return (this.#config.backend ?? (this.#config.redis_url ?? this.#dependencies.redisUrl ? 'redis' : 'memory')) === 'redis';
  }

  #makeBackend(dependencies: PluginDependencies): CounterBackend {
    const url = this.#config.redis_url ?? dependencies.redisUrl;
    if (!this.#wantsRedis()) return sharedMemoryBackend(dependencies.metrics, this.#now);
    return new RedisBackend({
      url: url ?? 'redis://127.0.0.1:6379',
      timeout: toMilliseconds(this.#config.redis_timeout),
      onReady: () => this.#recovered(),
      onError: () => this.#failed(),
    });
  }

  get backend(): CounterBackend {
    return this.#backend;
  }

  /**
   * Access phase. Returns a promise only when the backend is remote, or when a budget's counter
   * has no spend from the ledger yet (its first use this period, or its counter was lost) and
   * the ledger is read first.
   */
  onRequest(ctx: RequestContext): void | Promise<void> {
    const applicable = this.#applicable(ctx);
    if (applicable === null) return;
    const now = this.#now();
    this.#keyCache.turnIfDue(now);
    const admission = this.#plan(ctx, applicable, now);
    return this.#admit(ctx, applicable, admission, now);
  }

  /**
   * The budgets the backend reported unseeded are raised to the ledger's spend (with the alerts
   * it passed claimed), then the request is admitted again, without asking about seeds a second
   * time: a ledger that cannot answer or a Redis that keeps losing keys never holds it in a loop.
   */
  async #seedThenAdmit(ctx: RequestContext, applicable: ApplicableLimit[], admission: Admission, unseeded: readonly number[], now: number): Promise<void> {
    const requests: SeedRequest[] = [];
    for (const index of unseeded) {
      const counter = admission.counters[index];
      const reader = counter.readers.find((entry) => entry.limit.seedsFromLedger)!;
      requests.push({ key: counter.check.key, mark: counter.check.seedMark!, slot: counter.slot!, reader, readers: counter.readers });
      counter.check.seedMark = null;
    }
    await this.#seeds!.seed(requests, this.#backend);
    return this.#admit(ctx, applicable, admission, now);
  }

  #admit(ctx: RequestContext, applicable: ApplicableLimit[], admission: Admission, now: number): void | Promise<void> {
    const checks = admission.counters.map((counter) => counter.check);
    let result: AdmitResult | Promise<AdmitResult>;
    try {
      result = this.#backend.admit(checks, ctx.id, now);
    } catch (error) {
      return this.#backendFailed(ctx, applicable, admission, error);
    }
    if (result instanceof Promise) {
      return result.then(
        (settled) => this.#decide(ctx, applicable, admission, settled, now),
        (error: unknown) => this.#backendFailed(ctx, applicable, admission, error),
      );
    }
    return this.#decide(ctx, applicable, admission, result, now);
  }

  #applicable(ctx: RequestContext): ApplicableLimit[] | null {
    const callerLimits = ctx.caller.limits;
    if (this.#limits.length === 0 && (!callerLimits || callerLimits.length === 0)) return null;
    const applicable: ApplicableLimit[] = [];
    for (const limit of this.#limits) {
      const entry = applicableLimit(limit, ctx);
      if (entry !== undefined) applicable.push(entry);
    }
    if (callerLimits) {
      for (const limit of fromCaller(callerLimits)) {
        const entry = applicableLimit(limit, ctx);
        if (entry !== undefined) applicable.push(entry);
      }
    }
    return applicable.length === 0 ? null : applicable;
  }

  /**
   * The prices of every target that may serve the request, known before routing picks one: the
   * targets of the planned groups (an alias, a model group, a route's model, rules, split and
   * fallbacks) or the one `provider/model` names. Priced as the ledger prices what served
   * (the catalog and `pricing:` by provider and model); unpriced targets cost nothing there
   * either, so they add nothing here.
   */
  #candidatePrices(ctx: RequestContext): ModelPrice[] {
    const plan = ctx.routePlan;
    if (plan === null) {
      // Driven outside the pipeline (no plan): the requested name is all there is.
      const price = this.#catalog.lookupByName(ctx.requestedModel);
      return price ? [price] : [];
    }
    const groups = plan.router.candidateGroups(plan, ctx.requestedModel);
    if (groups.length === 1) return this.#pricesOf(groups[0]);
    return groups.flatMap((group) => this.#pricesOf(group));
  }

  #pricesOf(group: ModelGroup): ModelPrice[] {
    let prices = this.#groupPrices.get(group);
    if (!prices) {
      prices = [];
      for (const target of group.targets) {
        const price = this.#catalog.lookup(target.provider.settings, target.model);
        if (price) prices.push(price);
      }
      this.#groupPrices.set(group, prices);
    }
    return prices;
  }

  #plan(ctx: RequestContext, applicable: ApplicableLimit[], now: number): Admission {
    const estimate = applicable.some(({ limit }) => adjustable.has(limit.unit)) ? estimateRequest(ctx, this.#candidatePrices(ctx), this.#config.default_max_output_tokens) : noEstimate;
    const amounts: Record<Unit, number> = {
      requests: 1,
      concurrent: 1,
      tokens: estimate.inputTokens + estimate.outputTokens,
      input_tokens: estimate.inputTokens,
      output_tokens: estimate.outputTokens,
      cost_usd: estimate.costUsd,
    };
    const counters: Counter[] = [];
    const byKey = new Map<string, Counter>();
    const seeds = this.#seeds;
    for (const entry of applicable) {
      const { limit } = entry;
      const slot = limit.per === null ? null : windowSlot(limit.per, now, limit.unit !== 'cost_usd');
      const keys = this.#keysFor(limit, entry.scopeValue, slot, now);
      let counter = byKey.get(keys.base);
      if (!counter) {
        counter = {
          unit: limit.unit,
          slot,
          readers: [],
          check: {
            key: keys.key,
            previousKey: keys.previousKey,
            previousWeight: slot?.previousWeight ?? 0,
            concurrent: limit.unit === 'concurrent',
            amount: amounts[limit.unit],
            limit: Infinity,
            ttl: slot ? slot.ttl : inFlightLeaseMs,
            seedMark: null,
          },
        };
        byKey.set(keys.base, counter);
        counters.push(counter);
      }
      counter.readers.push(entry);
      // Key, consumer and team budgets start from the ledger's spend. Global, route and model
      // budgets keep what their counters hold: a route may turn the plugin off (`rate-limit:
      // false`), and its spend, which the ledger holds, must not count against them.
      if (limit.seedsFromLedger && keys.mark !== null && seeds !== null && counter.check.seedMark === null && !seeds.isUnreadable(keys.key)) counter.check.seedMark = keys.mark;
      if (limit.hard && limit.value < counter.check.limit) counter.check.limit = limit.value;
    }
    return { counters, estimate };
  }

  /**
   * A counter's keys, kept per limit and scope value while the value is in use, and rebuilt only
   * when the bucket changes: the same string objects every request keep their hashes, which makes
   * the counter lookups several times cheaper than hashing freshly built keys.
   */
  #keysFor(limit: Limit, value: string, slot: WindowSlot | null, now: number): CounterKeys {
    let keys = this.#keyCache.get(limit, value);
    if (!keys) {
      const base = `${this.#config.key_prefix}${scopeLabel(limit)}:${value}:${limit.unit}:${limit.per ?? 'in-flight'}`;
      keys = { base, bucket: null, key: base, previousKey: null, mark: null };
      this.#keyCache.set(limit, value, keys, now);
    }
    if (slot && keys.bucket !== slot.bucket) {
      keys.bucket = slot.bucket;
      keys.key = `${keys.base}:${slot.bucket}`;
      keys.previousKey = slot.previous === null ? null : `${keys.base}:${slot.previous}`;
      // Named anew when budgets gained their settled spend: a period's counter seeded before
      // that is seeded once more, which gives it its settled spend from the ledger.
      if (limit.unit === 'cost_usd') keys.mark = `${keys.key}:seeded-settled`;
    }
    return keys;
  }

  #decide(ctx: RequestContext, applicable: ApplicableLimit[], admission: Admission, result: AdmitResult, now: number): void | Promise<void> {
    this.#recovered();
    const admitted = result.blocked === -1;
    if (admitted && result.unseeded.length > 0) return this.#seedThenAdmit(ctx, applicable, admission, result.unseeded, now);
    const headers = this.#config.headers ? this.#headers(admission, result, now, admitted) : {};
    if (!admitted) throw this.#rejection(admission, result, result.blocked, now, headers);
    ctx.state.set(stateKey, admission);
    if (this.#config.headers) Object.assign((ctx.responseHeaders ??= {}), headers);
    this.#warnSoft(admission, result, now);
  }

  #rejection(admission: Admission, result: AdmitResult, index: number, now: number, headers: Record<string, string>): Error {
    const counter = admission.counters[index];
    const { check, slot } = counter;
    let limiting = counter.readers[0];
    for (const reader of counter.readers) if (reader.limit.hard && (!limiting.limit.hard || reader.limit.value < limiting.limit.value)) limiting = reader;
    const used = result.current[index] + result.previous[index] * check.previousWeight;
    if (counter.unit === 'cost_usd') {
      this.#metrics.rejections.inc({ unit: counter.unit, scope: scopeLabel(limiting.limit), code: 'budget_exceeded' });
      return budgetExceeded(limiting, used, admission.estimate, slot!.end, now, headers);
    }
    this.#metrics.rejections.inc({ unit: counter.unit, scope: scopeLabel(limiting.limit), code: 'rate_limit_exceeded' });
    const retryAfter = slot === null ? 1000 : millisecondsUntilFits(slot, now, result.current[index], result.previous[index], check.amount, limiting.limit.value);
    return rateLimitExceeded(limiting, used, check.amount, retryAfter, headers, admission.estimate);
  }

  /** OpenAI's x-ratelimit-* trios, from the tightest requests limit and the tightest token limit. */
  #headers(admission: Admission, result: AdmitResult, now: number, admitted: boolean): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const family of ['requests', 'tokens'] as const) {
      let best: { limit: number; remaining: number; reset: number } | null = null;
      admission.counters.forEach((counter, index) => {
        const inFamily = family === 'requests' ? counter.unit === 'requests' : tokenUnits.has(counter.unit);
        if (!inFamily || counter.check.limit === Infinity || counter.slot === null) return;
        const used = result.current[index] + result.previous[index] * counter.check.previousWeight + (admitted ? counter.check.amount : 0);
        const remaining = Math.max(0, Math.floor(counter.check.limit - used + epsilon));
        if (best === null || remaining < best.remaining) best = { limit: counter.check.limit, remaining, reset: millisecondsUntilReset(counter.slot, now) };
      });
      if (best === null) continue;
      const { limit, remaining, reset } = best;
      headers[`x-ratelimit-limit-${family}`] = String(limit);
      headers[`x-ratelimit-remaining-${family}`] = String(remaining);
      headers[`x-ratelimit-reset-${family}`] = formatResetDuration(reset);
    }
    return headers;
  }

  #warnSoft(admission: Admission, result: AdmitResult, now: number): void {
    admission.counters.forEach((counter, index) => {
      for (const reader of counter.readers) {
        if (reader.limit.hard) continue;
        const used = result.current[index] + result.previous[index] * counter.check.previousWeight;
        if (!isOverLimit(used, counter.check.amount, reader.limit.value)) continue;
        this.#metrics.softExceeded.inc({ unit: counter.unit, scope: scopeLabel(reader.limit) });
        const claimTtl = counter.slot ? counter.slot.end - now + 1000 : 60_000;
        Promise.resolve(this.#backend.claim(`${counter.check.key}:soft:${reader.limit.value}`, claimTtl))
          .then((first) => {
            if (first) this.#logger.warn({ limit: reader.limit.name, scope: scopeLabel(reader.limit), scope_value: reader.displayValue ?? reader.scopeValue, ...(reader.displayValue === undefined ? {} : { scope_id: reader.scopeValue }), used, limit_value: reader.limit.value }, `soft limit ${reader.limit.name} exceeded for ${scopeLabel(reader.limit)} '${reader.displayValue ?? reader.scopeValue}'; requests are still let through`);
          })
          .catch(() => undefined);
      }
    });
  }

  /**
   * The counter store failed (or did not answer within redis_timeout). A fail_closed limit
   * refuses the request (503), and gives back what a timed-out admission charged if it ran after
   * all. Otherwise the request goes through uncounted, and is charged what it used when it settles.
   */
  #backendFailed(ctx: RequestContext, applicable: ApplicableLimit[], admission: Admission, error: unknown): void {
    this.#metrics.backendErrors.inc({ backend: this.#backend.kind });
    this.#failed(error);
    const outcome = error instanceof AdmissionTimedOut ? error.outcome : null;
    if (applicable.some(({ limit }) => limit.failClosed)) {
      const requestId = ctx.id;
      if (outcome !== null) void outcome.then((result) => (result !== null && charged(result) ? this.#settle(requestId, admission, nothingUsed, true) : undefined));
      throw limitsUnavailable();
    }
    ctx.state.set(stateKey, { ...admission, uncounted: { outcome } } satisfies Admission);
  }

  #failed(error?: unknown): void {
    if (!this.#healthy) return;
    this.#healthy = false;
    this.#metrics.backendUp.set({ backend: this.#backend.kind }, 0);
    this.#logger.error({ err: error, backend: this.#backend.kind }, 'the rate-limit counter store cannot be reached: fail_open limits let requests through uncounted, fail_closed limits reject them (503) until it is back');
  }

  #recovered(): void {
    if (this.#healthy) return;
    this.#healthy = true;
    this.#metrics.backendUp.set({ backend: this.#backend.kind }, 1);
    this.#logger.info({ backend: this.#backend.kind }, 'the rate-limit counter store is reachable again; limits are enforced');
  }

  /**
   * Log phase: reconcile estimates with the real usage, release concurrency, check budgets. A
   * request let through uncounted (fail_open) is charged its usage now, unless the admission that
   * timed out is known to have run after all (then it is reconciled like any other).
   */
  onLog(ctx: RequestContext): void {
    const admission = ctx.state.get(stateKey) as Admission | undefined;
    if (!admission) return;
    const actual = this.#actualAmounts(ctx, admission.counters.some((counter) => counter.unit === 'cost_usd'));
    const uncounted = admission.uncounted;
    if (uncounted === undefined) return this.#settle(ctx.id, admission, actual, true);
    if (uncounted.outcome === null) return this.#settle(ctx.id, admission, actual, false);
    const requestId = ctx.id;
    void uncounted.outcome.then((result) => this.#settle(requestId, admission, actual, result !== null && charged(result)));
  }

  /**
   * Replaces what the admission charged with `actual` (a unit missing there keeps the estimate),
   * or, when nothing was charged (`wasCharged` false: the request went through uncounted), charges
   * `actual` and the request itself; then reads the settled spend of the budgets that have alerts.
   */
  #settle(requestId: string, admission: Admission, actual: Partial<Record<Unit, number>>, wasCharged: boolean): void {
    const adjustments: Adjustment[] = [];
    const releases: Release[] = [];
    const budgets: Counter[] = [];
    for (const counter of admission.counters) {
      if (counter.unit === 'concurrent') {
        if (wasCharged) releases.push({ key: counter.check.key, requestId });
        continue;
      }
      const real = actual[counter.unit] ?? counter.check.amount;
      const delta = wasCharged ? real - counter.check.amount : real;
      // A budget also keeps what settled requests spent, beside the counter that holds open
      // reservations too: alerts compare that, so another request's reservation in flight never
      // reads as spend (multi-node audit, finding 1).
      const spent = counter.unit === 'cost_usd' && real > epsilon ? real : 0;
      if (Math.abs(delta) > epsilon || spent > 0) adjustments.push(spent > 0 ? { key: counter.check.key, delta, spent } : { key: counter.check.key, delta });
      if (counter.unit === 'cost_usd' && counter.readers.some((reader) => reader.limit.alerts.length > 0)) budgets.push(counter);
    }
    if (adjustments.length === 0 && releases.length === 0 && budgets.length === 0) return;
    const read = budgets.map((counter) => settledKeyOf(counter.check.key));
    const now = this.#now();
    const alert = (values: number[]): void => {
      budgets.forEach((counter, index) => {
        for (const reader of counter.readers) {
          if (reader.limit.alerts.length === 0) continue;
          this.#alerts!.check({ applicable: reader, key: counter.check.key, spent: values[index], periodStart: counter.slot!.start, periodEnd: counter.slot!.end }, now).catch((error: unknown) => this.#logger.warn({ err: error }, 'a budget alert could not be claimed'));
        }
      });
    };
    try {
      const values = this.#backend.settle(adjustments, releases, read);
      if (values instanceof Promise) values.then(alert, (error: unknown) => this.#settleFailed(error));
      else alert(values);
    } catch (error) {
      this.#settleFailed(error);
    }
  }

  #settleFailed(error: unknown): void {
    this.#metrics.backendErrors.inc({ backend: this.#backend.kind });
    this.#failed(error);
  }

  /**
   * What the request really used, per unit; undefined keeps the estimate. Reported usage is the
   * truth, plus what failed attempts' providers reported before they were cut (billed, as the
   * ledger counts it). Without usage, a request that failed before any output (an error status
   * other than a client disconnect) used only that; a response without usage (a stream whose
   * upstream sent no usage chunk, or one the client cut) keeps its full token reservation, so
   * nobody gets a refund for tokens that may have been spent. Spend (`withCost`) is always what
   * the usage ledger records for the request (recordedCost): the price of the target that served,
   * whatever name the client used, plus the failed attempts' reported usage at their targets'
   * prices, so a budget and `/usage` agree.
   */
  #actualAmounts(ctx: RequestContext, withCost: boolean): Partial<Record<Unit, number>> {
    // A cache hit called no provider: it counts as a request, but costs no tokens and no money.
    if (ctx.answeredFromCache) return { tokens: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
    const usage = ctx.usage;
    const cost = withCost ? recordedCost(ctx, this.#catalog).usd : undefined;
    // What failed attempts' providers reported before they were cut was billed: it counts as the ledger counts it.
    const failed = failedAttemptTokens(ctx.failedAttemptUsage);
    const failedInput = failed?.input ?? 0;
    const failedOutput = failed?.output ?? 0;
    if (usage) {
      // A negative or non-numeric count (a broken or hostile upstream) must not give tokens back.
      const input = tokenCount(usage.prompt_tokens) + failedInput;
      const output = tokenCount(usage.completion_tokens) + failedOutput;
      return { tokens: input + output, input_tokens: input, output_tokens: output, cost_usd: cost };
    }
    if (ctx.status >= 400 && ctx.status !== 499) return { tokens: failedInput + failedOutput, input_tokens: failedInput, output_tokens: failedOutput, cost_usd: cost ?? 0 };
    return cost === undefined ? {} : { cost_usd: cost };
  }

  /** Scope values whose counter keys are held (counter-key-cache.ts). */
  get cachedScopeValues(): number {
    return this.#keyCache.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#keyCacheTimer);
    await this.#backend.close();
  }
}
