import { consumerIdOf } from '../../identity/consumer-identity.ts';
import { teamIdOf } from '../../identity/team-identity.ts';
import type { CallerLimit, RequestContext } from '../../pipeline/context.ts';
import { periods, units, type LimitConfig, type Period, type Unit } from './rate-limit-config.ts';

/** A limit ready for requests: one unit, its value, and how to find its counter's scope value. */
export interface Limit {
  unit: Unit;
  value: number;
  /** Null for concurrent limits. */
  per: Period | null;
  hard: boolean;
  failClosed: boolean;
  /** Budget alert thresholds in percent (cost_usd only). */
  alerts: number[];
  /** global, route, model, team, consumer, key, ip or header. */
  scope: string;
  /** The header name for header scopes (lower case). */
  header: string | null;
  name: string;
  /**
   * A budget of a key, consumer or team (written on it, or a config limit of that scope): it
   * starts from the ledger's spend for its period (budget-seeds.ts). Global, route and model
   * budgets do not: a route may turn the plugin off, and the ledger holds that route's spend too.
   */
  seedsFromLedger: boolean;
}

/** A limit with the counter it reads for this request. */
export interface ApplicableLimit {
  limit: Limit;
  /** Names the counter (and the ledger spend a budget starts from): a consumer's or team's id, never its name. */
  scopeValue: string;
  /** What messages, alerts and logs call the scope value when it is not the value itself: the consumer's or team's name. */
  displayValue?: string;
}

const defaultAlerts = [50, 80, 100];

function describe(unit: Unit, value: number, per: Period | null, scope: string): string {
  const amount = unit === 'cost_usd' ? `$${value}` : `${value} ${unit.replace('_', ' ')}`;
  return per === null ? `${amount} in flight per ${scope}` : `${amount} per ${per} per ${scope}`;
}

function unitOf(limit: Partial<Record<Unit, number | undefined>>): Unit | null {
  let found: Unit | null = null;
  for (const unit of units) {
    if (limit[unit] === undefined) continue;
    if (found !== null) return null;
    found = unit;
  }
  return found;
}

/** A config limit (already validated by the schema). */
export function fromConfig(config: LimitConfig): Limit {
  const unit = unitOf(config)!;
  const per = unit === 'concurrent' ? null : config.per!;
  const header = config.scope.startsWith('header:') ? config.scope.slice('header:'.length).toLowerCase() : null;
  return {
    unit,
    value: config[unit]!,
    per,
    hard: config.mode === 'hard',
    failClosed: config.on_backend_error === 'fail_closed',
    alerts: unit === 'cost_usd' ? [...(config.alerts ?? defaultAlerts)].sort((left, right) => left - right) : [],
    scope: header === null ? config.scope : 'header',
    header,
    name: config.name ?? describe(unit, config[unit]!, per, config.scope),
    seedsFromLedger: config.scope === 'key' || config.scope === 'consumer' || config.scope === 'team',
  };
}

const parsedCallerLimits = new WeakMap<CallerLimit[], Limit[]>();

/**
 * Limits written on a key, its consumer and its team (ctx.caller.limits). They
 * come from the store, not the validated config, so malformed entries are skipped rather than
 * trusted. Parsed once per array (the identity cache hands out the same array for every request of
 * a key).
 */
export function fromCaller(limits: CallerLimit[]): Limit[] {
  let parsed = parsedCallerLimits.get(limits);
  if (parsed) return parsed;
  parsed = [];
  for (const entry of limits) {
    const unit = unitOf(entry);
    if (unit === null) continue;
    const value = entry[unit];
    if (typeof value !== 'number' || !(value > 0)) continue;
    const per = unit === 'concurrent' ? null : entry.per;
    if (per !== null && (per === undefined || !periods.includes(per))) continue;
    const scope = entry.scope === 'consumer' || entry.scope === 'team' ? entry.scope : 'key';
    parsed.push({
      unit,
      value,
      per,
      hard: entry.mode !== 'soft',
      failClosed: false,
      alerts: unit === 'cost_usd' ? defaultAlerts : [],
      scope,
      header: null,
      // The message already says whose limit it is ("key 'key_…'"): the name says what it is.
      name: unit === 'cost_usd' ? `budget of $${value} per ${per}` : describe(unit, value, per, scope).replace(` per ${scope}`, ''),
      seedsFromLedger: true,
    });
  }
  parsedCallerLimits.set(limits, parsed);
  return parsed;
}

/**
 * The limit as it applies to this request: the value that names its counter for the limit's scope
 * (a consumer or team by id: one created with a deleted one's name, or a declared key's consumer's
 * or team's, must not inherit its counters or spend), or undefined when the scope does not apply.
 */
export function applicableLimit(limit: Limit, ctx: RequestContext): ApplicableLimit | undefined {
  const value = scopeValue(limit, ctx);
  if (value === undefined) return undefined;
  const name = limit.scope === 'consumer' ? ctx.caller.consumer : limit.scope === 'team' ? ctx.caller.team : undefined;
  if (name !== undefined && name !== value) return { limit, scopeValue: value, displayValue: name };
  return { limit, scopeValue: value };
}

/** The value that names this request's counter for a scope, or undefined when the scope does not apply. */
export function scopeValue(limit: Limit, ctx: RequestContext): string | undefined {
  switch (limit.scope) {
    case 'global':
      return '*';
    case 'route':
      return ctx.route?.name;
    case 'model':
      return ctx.requestedModel;
    case 'team':
      return teamIdOf(ctx.caller);
    case 'consumer':
      return consumerIdOf(ctx.caller);
    case 'key':
      return ctx.caller.key;
    case 'ip':
      return ctx.clientIp;
    case 'header': {
      const value = ctx.headers[limit.header!];
      return typeof value === 'string' && value !== '' ? value : undefined;
    }
  }
  return undefined;
}
