import { z } from 'zod';
import { redisUrlSchema } from '../../config/connection-urls.ts';
import { durationSchema } from '../../config/schema.ts';
import { toMilliseconds } from '../../config/units.ts';

export const periods = ['second', 'minute', 'hour', 'day', 'month'] as const;
export type Period = (typeof periods)[number];

/** What a limit counts. `concurrent` counts requests in flight and has no period. */
export const units = ['requests', 'concurrent', 'tokens', 'input_tokens', 'output_tokens', 'cost_usd'] as const;
export type Unit = (typeof units)[number];

/** durationSchema's strings (a refinement also sees a value the union refused). */
const durationPattern = /^\d+(\.\d+)?(ms|s|m|h)$/;

const scopePattern = /^(global|route|model|team|consumer|key|ip|header:[A-Za-z0-9_-]+)$/;

/**
 * A limit's or budget's period: one schema for the YAML config and the Admin API (keys' limits
 * and budgets), so both accept exactly what the rate-limit plugin enforces. Durations such as
 * `30d` are refused with a pointer to the calendar word: budgets reset at the start of a
 * calendar period (UTC), there is no rolling 30-day window to map them to.
 */
const nearestPeriod: Record<string, Period> = { '1s': 'second', '1m': 'minute', '60s': 'minute', '1h': 'hour', '60m': 'hour', '1d': 'day', '24h': 'day', '30d': 'month', '31d': 'month', '1mo': 'month' };

export const periodSchema = z.enum(periods, {
  error: (issue) => {
    const input = typeof issue.input === 'string' ? issue.input.trim().toLowerCase() : '';
    let hint = '';
    if (/^\d+\s*(s|m|h|d|w|mo|y)$/.test(input)) {
      const word = nearestPeriod[input.replace(/\s+/g, '')];
      hint = ` ("${input}" is a duration, and periods are calendar periods in UTC: ${word ? `write "${word}"` : 'there is no rolling window'}${word === 'month' ? ', which resets on the 1st' : ''})`;
    }
    return `expected one of "second"|"minute"|"hour"|"day"|"month"${hint}`;
  },
});

type UnitFields = Partial<Record<Unit, number | undefined>> & { per?: Period | undefined };

/** The rule every limit follows, in the config and on keys: exactly one unit, and a period unless it counts concurrent requests. */
function checkUnitAndPeriod(limit: UnitFields, context: z.RefinementCtx): void {
  const set = units.filter((unit) => limit[unit] !== undefined);
  if (set.length !== 1) context.addIssue({ code: 'custom', message: `a limit sets exactly one of ${units.join(', ')} (found ${set.length === 0 ? 'none' : set.join(', ')})` });
  if (set[0] !== 'concurrent' && set.length === 1 && limit.per === undefined) context.addIssue({ code: 'custom', path: ['per'], message: 'a limit needs a period: per: second | minute | hour | day | month' });
}

export const limitSchema = z
  .object({
    scope: z
      .string()
      .regex(scopePattern, 'expected global, route, model, team, consumer, key, ip or header:<name>')
      .default('global')
      .describe('Who shares a counter: global (everyone), route, model (the requested model name), team, consumer, key, ip, or header:<name> (the value of a request header). Requests without a value for the scope are not counted by this limit.'),
    requests: z.number().positive().optional().describe('Most requests per period.'),
    concurrent: z.number().int().positive().optional().describe('Most requests in flight at once (no period).'),
    tokens: z.number().positive().optional().describe('Most tokens (input + output) per period; estimated before the call, corrected from the reported usage after it.'),
    input_tokens: z.number().positive().optional().describe('Most input (prompt) tokens per period.'),
    output_tokens: z.number().positive().optional().describe('Most output (completion) tokens per period; the requested max_tokens (or default_max_output_tokens) is reserved before the call.'),
    cost_usd: z.number().positive().optional().describe('A budget: most spend in USD per period (calendar periods, UTC), priced as the usage ledger prices requests (the cost OpenRouter or Perplexity reports, else the price catalog).'),
    per: periodSchema.optional().describe('The period: second, minute, hour, day (sliding windows for requests and tokens) or month (calendar month, UTC). Budgets (cost_usd) always use calendar periods.'),
    mode: z.enum(['hard', 'soft']).default('hard').describe('hard rejects over the limit with 429; soft lets the request through and logs a warning once per period.'),
    on_backend_error: z.enum(['fail_open', 'fail_closed']).default('fail_open').describe('When the counter store (Redis) cannot be reached: fail_open lets requests through uncounted, fail_closed rejects them with 503.'),
    alerts: z.array(z.number().positive().max(1000)).optional().describe('Budget alert thresholds in percent of a cost_usd limit, each logged (and sent to webhook_url) once per period. Default [50, 80, 100] for cost_usd limits.'),
    name: z.string().optional().describe('A name for messages, logs and alerts; defaults to a description of the limit.'),
  })
  .strict()
  .superRefine(checkUnitAndPeriod);

export type LimitConfig = z.infer<typeof limitSchema>;

/**
 * A limit written on a key (Admin API `limits: [...]`): the config's limit fields, scoped to the
 * caller (its key, consumer or team). Stored limits the plugin could not enforce (no unit, no
 * period, a period it does not know) are refused here rather than skipped at request time.
 */
export const callerLimitSchema = z
  .object({
    scope: z.enum(['key', 'consumer', 'team']).optional().describe("Whose counter: the key's (default), its consumer's or its team's."),
    requests: z.number().positive().optional(),
    concurrent: z.number().int().positive().optional(),
    tokens: z.number().positive().optional(),
    input_tokens: z.number().positive().optional(),
    output_tokens: z.number().positive().optional(),
    cost_usd: z.number().positive().optional(),
    per: periodSchema.optional(),
    mode: z.enum(['hard', 'soft']).optional(),
  })
  .strict()
  .superRefine(checkUnitAndPeriod);

/** The shorthand record for a key's limits, e.g. {"rpm": 60, "tpm": 100000, "concurrent": 5}. */
export const callerLimitShorthandSchema = z
  .object({
    rps: z.number().positive().optional(),
    rpm: z.number().positive().optional(),
    rph: z.number().positive().optional(),
    rpd: z.number().positive().optional(),
    tps: z.number().positive().optional(),
    tpm: z.number().positive().optional(),
    tph: z.number().positive().optional(),
    tpd: z.number().positive().optional(),
    concurrent: z.number().int().positive().optional(),
    max_parallel_requests: z.number().int().positive().optional().describe('The same as concurrent (LiteLLM\'s name).'),
  })
  .strict();

/** A key's spending cap: a cost_usd limit on the key, written the LiteLLM way. */
export const budgetSchema = z
  .object({
    max_usd: z.number().positive().describe('Most spend in USD per period.'),
    period: periodSchema.default('month').describe('When the budget starts over: at the start of each calendar second, minute, hour, day or month (UTC). Default month.'),
  })
  .strict();

export const rateLimitConfigSchema = z
  .object({
    limits: z.array(limitSchema).default([]).describe('Limits checked on every request; each request is checked against every limit whose scope applies. Limits on the caller (ctx.caller.limits, from keys, consumers and teams) are added to these.'),
    backend: z.enum(['memory', 'redis']).optional().describe('Where counters live: memory (this node only, exact) or redis (shared by every node). Default: redis when redis_url or the top-level redis: is set, else memory.'),
    redis_url: redisUrlSchema.optional().describe('Redis URL for the counters; defaults to the top-level redis: setting (write redis: "${REDIS_URL}" to take it from the environment).'),
    redis_timeout: durationSchema
      .refine((value) => typeof value === 'number' ? value > 0 : durationPattern.test(value) && toMilliseconds(value) > 0, 'expected a duration above zero')
      .default(250)
      .describe('Longest a Redis command may take before it counts as a backend failure: a duration such as 250ms, 1s.'),
    key_prefix: z.string().default('tollgate:rl:').describe('Prefix of every Redis key this plugin writes.'),
    default_max_output_tokens: z.number().int().positive().default(1024).describe('Output tokens reserved before the call when the request sets no max_tokens (capped by the model maximum from the price catalog).'),
    headers: z.boolean().default(true).describe('Send x-ratelimit-limit/remaining/reset-requests and -tokens headers (OpenAI names).'),
    webhook_url: z.url().optional().describe('Budget alerts are POSTed here as JSON (fire and forget, 5 s timeout).'),
  })
  .strict();

export type RateLimitConfig = z.infer<typeof rateLimitConfigSchema>;
