import { z } from 'zod';
import { ipEntrySchema } from '../plugins/key-auth/key-auth-config.ts';
import { budgetSchema, callerLimitSchema, callerLimitShorthandSchema } from '../plugins/rate-limit/rate-limit-config.ts';

/**
 * The Admin API's bodies and answers. The same schemas validate requests and generate the
 * OpenAPI document (openapi.ts), so the two cannot drift apart.
 */

const metadata = z.record(z.string(), z.string()).describe('Free-form string attributes, e.g. {"tier": "gold"}.');
const timestamp = z.string().describe('ISO 8601 UTC time.');
const expiry = z.iso.datetime({ offset: true }).describe('ISO 8601 time after which the key is refused; an offset is allowed, and the key shows it in UTC (…Z).');

export const idParams = z.object({ id: z.string().describe('The object id.') });

export const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Most items per page.'),
    offset: z.coerce.number().int().min(0).optional().describe('Skip this many items.'),
    after: z.string().optional().describe('Cursor: next_cursor of the previous page.'),
  })
  .strict();

/**
 * `after` of a stored list: the next_cursor of a previous page, which is an id of the list's kind
 * (store/ids.ts: its prefix, `_`, 25 lower-case letters and digits). Anything else is refused, as
 * a bad `limit` is, rather than read as "from the start": a script whose cursor was cut or mixed
 * up would otherwise page through the first items again without noticing.
 */
function cursorOf(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{25}$`), `expected the next_cursor of a previous page of this list (${prefix}_ and 25 letters and digits)`)
    .optional()
    .describe('Cursor: next_cursor of the previous page.');
}

export const teamListQuery = listQuery.extend({ after: cursorOf('team') }).strict();
export const consumerListQuery = listQuery.extend({ after: cursorOf('con'), team: z.string().optional().describe('Only consumers of this team (id or name).') }).strict();
export const keyListQuery = listQuery
  .extend({
    after: cursorOf('key'),
    consumer: z.string().optional().describe('Only keys of this consumer (id or name).'),
    team: z.string().optional().describe('Only keys of this team (id or name).'),
  })
  .strict();
export const auditListQuery = listQuery
  .extend({
    after: cursorOf('aud'),
    resource: z.enum(['teams', 'consumers', 'keys', 'credentials']).optional().describe('Only changes to this kind of object (credentials: provider credentials, resource_id is the provider name).'),
    resource_id: z.string().optional().describe('Only changes to this object.'),
  })
  .strict();

// Limits and budgets are checked by the rate-limit plugin's own schemas (the YAML config uses
// the same period and unit rules), so a key, consumer or team can only carry what the plugin
// enforces; the three share these pieces, so they are refused with the same errors.
type LimitOwner = 'key' | 'consumer' | 'team';
const everyRequestOf: Record<LimitOwner, string> = { key: 'this key', consumer: "every key of this consumer (keys created later too), on the consumer's own counters", team: "every key and consumer of this team (keys created later too), on the team's own counters" };

function budgetOf(owner: LimitOwner) {
  return budgetSchema.describe(`Spending cap, enforced by the rate-limit plugin as a cost_usd limit on ${everyRequestOf[owner]}: {"max_usd": 50, "period": "month"}; period is second, minute, hour, day or month (calendar periods, UTC), default month.`);
}

function limitsOf(owner: LimitOwner) {
  const scope = owner === 'key' ? '' : ` An entry's scope (key, consumer, team) names whose counter it charges; default the ${owner}'s.`;
  return z
    .union([z.array(callerLimitSchema), callerLimitShorthandSchema])
    .describe(`Rate, token and cost limits for ${everyRequestOf[owner]}, enforced by the rate-limit plugin with no further config: a list such as [{"requests": 20, "per": "minute"}, {"tokens": 100000, "per": "day"}, {"cost_usd": 50, "per": "month"}], or the shorthand {"rpm": 60, "tpm": 100000}.${scope}`);
}

/** What GET answers for stored limits and budgets: as stored (records written before the checks above may hold other values). */
const storedBudget = z.object({ max_usd: z.number(), period: z.string().optional() }).describe('The spending cap as stored.');
const storedLimits = z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]).describe('The limits as stored.');

export const team = z.object({ id: z.string(), name: z.string(), limits: storedLimits.nullable(), budget: storedBudget.nullable(), metadata, created_at: timestamp, updated_at: timestamp });
export const teamCreate = z
  .object({ name: z.string().min(1).max(200).describe('Unique team name.'), limits: limitsOf('team').nullable().optional(), budget: budgetOf('team').nullable().optional(), metadata: metadata.optional() })
  .strict();
export const teamPatch = teamCreate.partial().strict();

export const consumer = z
  .object({ id: z.string(), name: z.string(), team_id: z.string().nullable(), limits: storedLimits.nullable(), budget: storedBudget.nullable(), metadata, enabled: z.boolean(), created_at: timestamp, updated_at: timestamp });
export const consumerCreate = z
  .object({
    name: z.string().min(1).max(200).describe('Unique consumer name (a user or an application).'),
    team: z.string().nullable().optional().describe('The team (id or name) the consumer belongs to.'),
    limits: limitsOf('consumer').nullable().optional(),
    budget: budgetOf('consumer').nullable().optional(),
    metadata: metadata.optional(),
    enabled: z.boolean().optional().describe('A disabled consumer cannot use any of its keys.'),
  })
  .strict();
export const consumerPatch = consumerCreate.partial().strict();

const keyFields = {
  name: z.string().max(200).nullable().optional().describe('A label for people.'),
  team: z.string().nullable().optional().describe("The owning team (id or name); default: the consumer's team."),
  models: z.array(z.string().min(1)).optional().describe('Model names or globs (gpt-4o*) this key may call; empty or absent: any.'),
  ips: z.array(ipEntrySchema).optional().describe('Client IPs or CIDRs this key may be used from; empty or absent: any.'),
  limits: limitsOf('key').nullable().optional(),
  budget: budgetOf('key').nullable().optional(),
  metadata: metadata.optional(),
  expires_at: expiry.nullable().optional(),
  enabled: z.boolean().optional().describe('A disabled key is refused with 401 until enabled again.'),
};

// A new key that has already expired is a mistake (a wrong year, a local time read as UTC), not
// a wish: refused. PATCH may still set a past time, to make an existing key expire now.
const futureExpiry = expiry.refine((value) => !(Date.parse(value) <= Date.now()), { message: 'is in the past: a new key must expire later than now' });

export const keyCreate = z
  .object({ consumer: z.string().min(1).describe('The consumer (id or name) the key identifies.'), ...keyFields, expires_at: futureExpiry.nullable().optional() })
  .strict();
export const keyPatch = z.object(keyFields).strict();

export const virtualKey = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    consumer_id: z.string(),
    team_id: z.string().nullable(),
    display: z.string().describe('tg- and the first 4 and last 4 characters; the secret is never shown again.'),
    models: z.array(z.string()),
    ips: z.array(z.string()),
    limits: storedLimits.nullable(),
    budget: storedBudget.nullable(),
    metadata,
    expires_at: z.string().nullable(),
    enabled: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
    last_used_at: z.string().nullable(),
  });
export const createdKey = virtualKey.extend({ key: z.string().describe('The secret key. Shown only in this answer: store it now.') });

export const auditEntry = z
  .object({
    id: z.string(),
    at: timestamp,
    actor: z.string().describe('Who made the change: admin-token:<the name of the token, or #<its place among the tokens>>, or cli.'),
    action: z.enum(['create', 'update', 'delete']),
    resource: z.enum(['teams', 'consumers', 'keys', 'credentials']),
    resource_id: z.string(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  });

export function page<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable().describe('Pass as ?after= for the next page; null on the last page.') });
}

export const deleted = z.object({ id: z.string(), deleted: z.literal(true) });

export const errorBody = z
  .object({ error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string() }) });
