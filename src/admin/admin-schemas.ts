import { z } from 'zod';
import { isIpOrCidr } from '../identity/key-rules.ts';

/**
 * The Admin API's bodies and answers. The same schemas validate requests and generate the
 * OpenAPI document (openapi.ts), so the two cannot drift apart.
 */

const metadata = z.record(z.string(), z.string()).describe('Free-form string attributes, e.g. {"tier": "gold"}.');
const timestamp = z.string().describe('ISO 8601 UTC time.');
const expiry = z.iso.datetime({ offset: true }).describe('ISO 8601 time after which the key is refused.');
const ipEntry = z.string().refine(isIpOrCidr, { message: 'expected an IP address or a CIDR block such as 10.0.0.0/8' });

export const idParams = z.object({ id: z.string().describe('The object id.') });

export const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Most items per page.'),
    offset: z.coerce.number().int().min(0).optional().describe('Skip this many items.'),
    after: z.string().optional().describe('Cursor: next_cursor of the previous page.'),
  })
  .strict();

export const consumerListQuery = listQuery.extend({ team: z.string().optional().describe('Only consumers of this team (id or name).') }).strict();
export const keyListQuery = listQuery
  .extend({
    consumer: z.string().optional().describe('Only keys of this consumer (id or name).'),
    team: z.string().optional().describe('Only keys of this team (id or name).'),
  })
  .strict();
export const auditListQuery = listQuery
  .extend({
    resource: z.enum(['teams', 'consumers', 'keys', 'credentials']).optional().describe('Only changes to this kind of object (credentials: provider credentials, resource_id is the provider name).'),
    resource_id: z.string().optional().describe('Only changes to this object.'),
  })
  .strict();

export const team = z.object({ id: z.string(), name: z.string(), metadata, created_at: timestamp, updated_at: timestamp });
export const teamCreate = z.object({ name: z.string().min(1).max(200).describe('Unique team name.'), metadata: metadata.optional() }).strict();
export const teamPatch = teamCreate.partial().strict();

export const consumer = z
  .object({ id: z.string(), name: z.string(), team_id: z.string().nullable(), metadata, enabled: z.boolean(), created_at: timestamp, updated_at: timestamp });
export const consumerCreate = z
  .object({
    name: z.string().min(1).max(200).describe('Unique consumer name (a user or an application).'),
    team: z.string().nullable().optional().describe('The team (id or name) the consumer belongs to.'),
    metadata: metadata.optional(),
    enabled: z.boolean().optional().describe('A disabled consumer cannot use any of its keys.'),
  })
  .strict();
export const consumerPatch = consumerCreate.partial().strict();

const budget = z
  .object({ max_usd: z.number().positive().describe('Most spend in USD.'), period: z.string().optional().describe('Reset period such as 1d or 30d; none: lifetime.') })
  .strict()
  .describe('Spending cap, enforced by the budget plugin.');
const limitEntry = z
  .object({
    requests: z.number().positive().optional(),
    concurrent: z.number().positive().optional(),
    tokens: z.number().positive().optional(),
    input_tokens: z.number().positive().optional(),
    output_tokens: z.number().positive().optional(),
    cost_usd: z.number().positive().optional(),
    per: z.enum(['second', 'minute', 'hour', 'day', 'month']).optional(),
    mode: z.enum(['hard', 'soft']).optional(),
  })
  .strict();
const limits = z
  .union([z.array(limitEntry), z.record(z.string(), z.unknown())])
  .describe('Rate, token and cost limits for this key, enforced by the rate-limit plugin with no further config: a list such as [{"requests": 20, "per": "minute"}, {"tokens": 100000, "per": "day"}, {"cost_usd": 50, "per": "month"}], or the shorthand {"rpm": 60, "tpm": 100000}.');

const keyFields = {
  name: z.string().max(200).nullable().optional().describe('A label for people.'),
  team: z.string().nullable().optional().describe("The owning team (id or name); default: the consumer's team."),
  models: z.array(z.string().min(1)).optional().describe('Model names or globs (gpt-4o*) this key may call; empty or absent: any.'),
  ips: z.array(ipEntry).optional().describe('Client IPs or CIDRs this key may be used from; empty or absent: any.'),
  limits: limits.nullable().optional(),
  budget: budget.nullable().optional(),
  metadata: metadata.optional(),
  expires_at: expiry.nullable().optional(),
  enabled: z.boolean().optional().describe('A disabled key is refused with 401 until enabled again.'),
};

export const keyCreate = z
  .object({ consumer: z.string().min(1).describe('The consumer (id or name) the key identifies.'), ...keyFields })
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
    limits: limits.nullable(),
    budget: budget.nullable(),
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
    actor: z.string().describe('Who made the change: admin-token:<first 8 hex of its SHA-256>.'),
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
