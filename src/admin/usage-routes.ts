import { z } from 'zod';
import { usageDimensions, type Store, type UsageQuery } from '../store/store.ts';
import { configConsumerPrefix } from '../identity/consumer-identity.ts';
import { isTeamId } from '../identity/team-identity.ts';
import { usageReportCsv } from '../usage/usage-csv.ts';
import type { UsageLedger } from '../usage/usage-ledger.ts';
import { toUsageQuery, usageReportBody, usageReportQuerySchema, UsageQueryError, type UsageReportParameters } from '../usage/usage-report-query.ts';
import { invalidRequest, type AdminRouteTable } from './route-table.ts';

export interface UsageRouteDependencies {
  store: Store;
  /** Flushed before each report, so what this node has answered is in it. */
  usageLedger?: Pick<UsageLedger, 'flush'>;
}

const totals = z.object({
  requests: z.number(),
  errors: z.number().describe('Requests answered with status 400 or more.'),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cached_tokens: z.number().describe('Input tokens read from a provider prompt cache (part of input_tokens).'),
  reasoning_tokens: z.number().describe('Reasoning tokens (part of output_tokens).'),
  cost_usd: z.number(),
  estimated_requests: z.number().describe('Requests whose cost was estimated (the provider reported no usage).'),
  cache_hits: z.number(),
});

const dimensionValues = Object.fromEntries(usageDimensions.map((dimension) => [dimension, (dimension === 'status' ? z.number() : z.string()).nullable().optional()])) as Record<(typeof usageDimensions)[number], z.ZodOptional<z.ZodNullable<z.ZodString | z.ZodNumber>>>;

export const usageReportSchema = z.object({
  object: z.literal('usage_report'),
  from: z.string().describe('Start of the range, inclusive (ISO 8601 UTC).'),
  to: z.string().describe('End of the range, exclusive (ISO 8601 UTC).'),
  group_by: z.array(z.enum(usageDimensions)),
  interval: z.enum(['hour', 'day', 'month']).nullable(),
  totals,
  data: z.array(totals.extend({ period: z.string().optional().describe('The period (UTC): 2026-12-01T10:00Z, 2026-12-01 or 2026-12.'), ...dimensionValues })).describe('One row per group (and period), by period, then cost, highest first.'),
});

/** `GET /usage` and `GET /usage.csv`: usage and cost totals, grouped and filtered; viewer tokens may read them. */
export function addUsageRoutes(table: AdminRouteTable, { store, usageLedger }: UsageRouteDependencies): void {
  /**
   * The ledger records the consumer's and the team's id and name. A consumer given by id (`con_…`,
   * also a deleted one's, or `config:<name>`) is read as that id: its records under every name it
   * had, and none of another consumer that carried the same name. A team given by id (`team_…`,
   * also a deleted one's, or `config:<name>`) likewise.
   */
  function byOwner(parameters: UsageReportParameters): UsageReportParameters {
    const { consumer, team } = parameters;
    const consumerById = consumer !== undefined && (consumer.startsWith('con_') || consumer.startsWith(configConsumerPrefix));
    const teamById = team !== undefined && isTeamId(team);
    return {
      ...parameters,
      ...(consumerById ? { consumer: undefined, consumer_id: consumer } : {}),
      ...(teamById ? { team: undefined, team_id: team } : {}),
    };
  }

  async function report(parameters: UsageReportParameters) {
    let query: UsageQuery;
    try {
      query = toUsageQuery(byOwner(parameters));
    } catch (error) {
      if (error instanceof UsageQueryError) throw invalidRequest([error.message], error.param);
      throw error;
    }
    await usageLedger?.flush();
    return { query, report: await store.usageReport(query) };
  }

  table.add({
    method: 'GET', path: '/usage', summary: 'Usage and cost totals, grouped by consumer/key/team/model/provider/route/variant/status, optionally as a time series', tag: 'usage', access: 'read', query: usageReportQuerySchema,
    response: { status: 200, description: 'The totals and one row per group (and period).', schema: usageReportSchema },
    handle: async ({ query: parameters }) => {
      const { query, report: result } = await report(parameters);
      return usageReportBody(query, result);
    },
  });
  table.add({
    method: 'GET', path: '/usage.csv', summary: 'The same report as CSV (one line per group and period)', tag: 'usage', access: 'read', query: usageReportQuerySchema,
    response: { status: 200, description: 'CSV with a header line: period (with interval), the group-by columns, then the totals.', schema: null, contentType: 'text/csv' },
    handle: async ({ query: parameters }, reply) => {
      const { query, report: result } = await report(parameters);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="tollgate-usage-${query.from.slice(0, 10)}-${query.to.slice(0, 10)}.csv"`);
      return usageReportCsv(query, result);
    },
  });
}
