import { z } from 'zod';
import { usageDimensions, type UsageDimension, type UsageQuery, type UsageReport } from '../store/store.ts';

/**
 * The query of a usage report (`GET /usage`, `/usage.csv`, `/v1/tollgate/usage`, `tollgate
 * usage`), checked by one zod schema that also documents it in the OpenAPI document.
 */

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** A day of the calendar: Date.parse takes 2026-02-30 and 2026-04-31 and rolls them over into the next month. */
function isCalendarDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

function isDateOrTime(value: string): boolean {
  if (datePattern.test(value)) return isCalendarDate(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && isCalendarDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

function isDimensionList(value: string): boolean {
  return value.split(',').every((entry) => entry.trim() === '' || (usageDimensions as readonly string[]).includes(entry.trim()));
}

const when = (description: string) =>
  z
    .string()
    .refine(isDateOrTime, { error: (issue) => (/^\d{4}-\d{2}-\d{2}/.test(String(issue.input)) && !isCalendarDate(String(issue.input).slice(0, 10)) ? `${String(issue.input).slice(0, 10)} is not a day of the calendar` : 'expected a date (2026-12-01) or an ISO 8601 time (2026-12-01T10:00:00Z)') })
    .optional()
    .describe(description);
const filter = (description: string) => z.string().min(1).optional().describe(description);

export const usageFilterFields = {
  consumer: filter('Only this consumer: by name, every record that carries the name (another consumer may have carried it before); the Admin API also takes an id (con_…, config:<name>), read as consumer_id.'),
  consumer_id: filter('Only this consumer, by id: a store consumer\'s con_…, or config:<name> for a consumer the config names. Its records under every name it had, and no other consumer\'s.'),
  key: filter('Only this key (its id).'),
  team: filter('Only this team: by name, every record that carries the name (another team may have carried it before); the Admin API also takes an id (team_…, config:<name>), read as team_id.'),
  team_id: filter('Only this team, by id: a store team\'s team_…, or config:<name> for a team the config names. Its records under every name it had, and no other team\'s.'),
  model: filter('Only this served model (the provider\'s model name).'),
  requested_model: filter('Only requests that named this model or alias.'),
  provider: filter('Only this provider (its name in the config).'),
  route: filter('Only this route (its name).'),
  variant: filter('Only this canary/A-B variant.'),
  status: z.string().regex(/^\d{3}$/, 'expected an HTTP status such as 200').optional().describe('Only requests answered with this HTTP status.'),
};

const reportFields = {
  group_by: z
    .string()
    .refine(isDimensionList, { message: `expected a comma-separated list of ${usageDimensions.join(', ')}` })
    .optional()
    .describe(`Comma-separated dimensions to group by: ${usageDimensions.join(', ')} (key is the key id, model the served model). None: one total.`),
  from: when('Start, inclusive: a date (UTC midnight) or an ISO 8601 time. Default: the first day of the current month (UTC).'),
  to: when('End: a date counts as a whole day (to=2026-12-31 includes Dec 31); a time is exclusive. Default: the end of today (UTC).'),
  interval: z.enum(['hour', 'day', 'month']).optional().describe('Adds a time series: one row per group and period (UTC). Rolled-up (older than the retention) data has day resolution.'),
};

export const usageReportQuerySchema = z.object({ ...reportFields, ...usageFilterFields }).strict();
export type UsageReportParameters = z.infer<typeof usageReportQuerySchema>;

/** The own-usage endpoint's query: no filters on who (the caller is the filter). */
export const ownUsageQuerySchema = z
  .object({
    ...reportFields,
    scope: z.enum(['key', 'consumer']).optional().describe("key (default): this key's usage; consumer: every key of the key's consumer."),
    model: usageFilterFields.model,
    requested_model: usageFilterFields.requested_model,
    provider: usageFilterFields.provider,
    route: usageFilterFields.route,
    status: usageFilterFields.status,
  })
  .strict();
export type OwnUsageParameters = z.infer<typeof ownUsageQuerySchema>;

export class UsageQueryError extends Error {
  override readonly name = 'UsageQueryError';
  /** The query parameter at fault. */
  readonly param: string | null;
  constructor(message: string, param: string | null = null) {
    super(message);
    this.param = param;
  }
}

function startOfDay(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** The last instant a four-digit year can write, the latest end a report takes. */
const lastInstant = new Date('9999-12-31T23:59:59.999Z');

function addDays(date: Date, days: number): Date {
  const copy = new Date(date.getTime());
  copy.setUTCDate(copy.getUTCDate() + days);
  return copy;
}

/** Parses a validated report query into the store's UsageQuery; throws UsageQueryError when from is not before to. */
export function toUsageQuery(parameters: Partial<UsageReportParameters>, now: Date = new Date()): UsageQuery {
  const today = now.toISOString().slice(0, 10);
  const from = parameters.from === undefined ? startOfDay(`${today.slice(0, 7)}-01`) : datePattern.test(parameters.from) ? startOfDay(parameters.from) : new Date(parameters.from);
  const asked = parameters.to === undefined ? addDays(startOfDay(today), 1) : datePattern.test(parameters.to) ? addDays(startOfDay(parameters.to), 1) : new Date(parameters.to);
  // `to=9999-12-31` (a usual "no end") ends after year 9999, whose ISO string (+010000-01-01...)
  // sorts before every record's time: the last instant of year 9999 is as open an end.
  const to = asked.getTime() > lastInstant.getTime() ? lastInstant : asked;
  if (from.getTime() >= to.getTime()) throw new UsageQueryError(`from (${from.toISOString()}) must be before to (${to.toISOString()})`, 'from');
  const groupBy = [...new Set((parameters.group_by ?? '').split(',').map((entry) => entry.trim()).filter(Boolean))] as UsageDimension[];
  const filters: Partial<Record<UsageDimension, string>> = {};
  for (const dimension of usageDimensions) {
    const value = (parameters as Record<string, string | undefined>)[dimension];
    if (value !== undefined) filters[dimension] = value;
  }
  return { from: from.toISOString(), to: to.toISOString(), groupBy, interval: parameters.interval, filters };
}

/** The JSON answer of every report endpoint. */
export function usageReportBody(query: UsageQuery, report: UsageReport): Record<string, unknown> {
  return { object: 'usage_report', from: query.from, to: query.to, group_by: query.groupBy, interval: query.interval ?? null, totals: report.totals, data: report.groups };
}
