import type { Logger } from 'pino';
import type { CallerLimit } from '../pipeline/context.ts';
import type { Budget, StoredLimits } from '../store/store.ts';
import { toCallerLimits } from './caller-limits.ts';

/** A store record that may carry limits: a key, a consumer or a team as the identity cache holds it. */
interface LimitedRecord {
  id: string;
  limits: StoredLimits | null;
  budget: Budget | null;
}

type RecordScope = NonNullable<CallerLimit['scope']>;

const adminPath: Record<RecordScope, string> = { key: 'keys', consumer: 'consumers', team: 'teams' };

// Converted once per loaded record object: the identity cache replaces the object when the record
// changes (here or on another node), so a change is picked up on its next refresh.
const limitsByRecord = new WeakMap<object, CallerLimit[]>();

/**
 * The limits and budget written on one record, counted (unless an entry names another scope) on
 * the record's own counters: a key's, its consumer's (by id) or its team's (by id). A record stored
 * before the Admin API checked budgets may carry one that cannot be enforced: logged once per
 * loaded record, so the operator hears of it rather than trusts it.
 */
export function limitsOfRecord(scope: RecordScope, record: LimitedRecord, logger: Logger): CallerLimit[] {
  let limits = limitsByRecord.get(record);
  if (limits === undefined) {
    const path = `/${adminPath[scope]}/${record.id}`;
    limits = record.limits === null && record.budget === null ? [] : toCallerLimits(scope, record.limits, record.budget, (problem) => logger.warn({ [`${scope}_id`]: record.id }, `${scope} ${record.id}: ${problem}; set a valid one with PATCH ${path}`));
    limitsByRecord.set(record, limits);
  }
  return limits;
}

interface Joined {
  consumer: LimitedRecord | undefined;
  team: LimitedRecord | undefined;
  limits: CallerLimit[] | undefined;
}

// The rate-limit plugin parses a caller's limit array once and recognises it by identity
// (applicable-limits.ts, fromCaller): every request of a key must carry the same array while
// neither the key, its consumer nor its team changed. Kept per key (or, without one, per consumer).
const joinedByOwner = new WeakMap<object, Joined>();

/**
 * Every limit a caller's requests count against from the store: its key's (when it came with a
 * key), its consumer's and its team's, as one array (undefined when there are none). All apply;
 * the strictest refuses. The same array comes back until one of the records is replaced.
 */
export function storedCallerLimits(records: { key?: LimitedRecord; consumer?: LimitedRecord; team?: LimitedRecord }, logger: Logger): CallerLimit[] | undefined {
  const { key, consumer, team } = records;
  const owner = key ?? consumer;
  if (owner === undefined) {
    const teamLimits = team === undefined ? [] : limitsOfRecord('team', team, logger);
    return teamLimits.length === 0 ? undefined : teamLimits;
  }
  const known = joinedByOwner.get(owner);
  if (known !== undefined && known.consumer === consumer && known.team === team) return known.limits;
  const all = [
    ...(key === undefined ? [] : limitsOfRecord('key', key, logger)),
    ...(consumer === undefined ? [] : limitsOfRecord('consumer', consumer, logger)),
    ...(team === undefined ? [] : limitsOfRecord('team', team, logger)),
  ];
  const limits = all.length === 0 ? undefined : all;
  joinedByOwner.set(owner, { consumer, team, limits });
  return limits;
}
