import { displayKey } from '../identity/key-secret.ts';
import type { AuditLogTable, ConsumersTable, TeamsTable, VirtualKeysTable } from './database-schema.ts';
import type { AuditEntry, Consumer, StoredKey, Team, VirtualKey } from './store.ts';

/** Conversions between table rows (portable text/integer columns) and the entities. */

function parseJson<T>(text: string | null, fallback: T): T {
  // Most keys have no restrictions: skip the parser for the common empty values (start-up
  // loads every key, so this is on the 100,000-keys-in-2-s path).
  if (text === null || text === '') return fallback;
  if (text === '[]') return [] as T;
  if (text === '{}') return {} as T;
  return JSON.parse(text) as T;
}

/** An ISO 8601 time in UTC (`…Z`), like every time the store returns ("2027-03-01T20:00:00-05:00" -> "2027-03-02T01:00:00.000Z"). */
export function utcTime<T extends string | null | undefined>(value: T): T {
  if (typeof value !== 'string') return value;
  const time = Date.parse(value);
  return (Number.isNaN(time) ? value : new Date(time).toISOString()) as T;
}

export function teamFromRow(row: TeamsTable): Team {
  return {
    id: row.id,
    name: row.name,
    limits: parseJson(row.limits, null),
    budget: parseJson(row.budget, null),
    metadata: parseJson(row.metadata, {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function consumerFromRow(row: ConsumersTable): Consumer {
  return {
    id: row.id,
    name: row.name,
    team_id: row.team_id,
    limits: parseJson(row.limits, null),
    budget: parseJson(row.budget, null),
    metadata: parseJson(row.metadata, {}),
    enabled: Boolean(Number(row.enabled)),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function keyFromRow(row: VirtualKeysTable): VirtualKey {
  return {
    id: row.id,
    name: row.name,
    consumer_id: row.consumer_id,
    team_id: row.team_id,
    display: displayKey(row.key_prefix, row.key_last4),
    models: parseJson(row.models, []),
    ips: parseJson(row.ips, []),
    limits: parseJson(row.limits, null),
    budget: parseJson(row.budget, null),
    metadata: parseJson(row.metadata, {}),
    // Keys stored before expires_at was normalised may hold the offset they were sent with.
    expires_at: utcTime(row.expires_at),
    enabled: Boolean(Number(row.enabled)),
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_used_at: row.last_used_at,
  };
}

// Keys mostly share a few allow-lists, limits and metadata: at start-up (every key loaded) each
// distinct JSON text is parsed once and the frozen result shared. Bounded so odd data cannot grow it.
const sharedValues = new Map<string, unknown>();

function parseShared<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  let value = sharedValues.get(text);
  if (value === undefined) {
    if (sharedValues.size >= 10_000) sharedValues.clear();
    value = Object.freeze(JSON.parse(text) as object);
    sharedValues.set(text, value);
  }
  return value as T;
}

/** The columns the identity cache loads (see StoredKey). */
export const storedKeyColumns = ['id', 'key_hash', 'name', 'consumer_id', 'team_id', 'models', 'ips', 'limits', 'budget', 'metadata', 'expires_at', 'enabled'] as const;

/** Values are frozen and may be shared between keys: read them, never change them. */
export function storedKeyFromRow(row: Pick<VirtualKeysTable, (typeof storedKeyColumns)[number]>): StoredKey {
  return {
    id: row.id,
    key_hash: row.key_hash,
    name: row.name,
    consumer_id: row.consumer_id,
    team_id: row.team_id,
    models: parseShared(row.models, []),
    ips: parseShared(row.ips, []),
    limits: parseShared(row.limits, null),
    budget: parseShared(row.budget, null),
    metadata: parseShared(row.metadata, {}),
    expires_at: row.expires_at,
    enabled: Boolean(Number(row.enabled)),
  };
}

export function auditFromRow(row: AuditLogTable): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditEntry['action'],
    resource: row.resource as AuditEntry['resource'],
    resource_id: row.resource_id,
    before: parseJson(row.before, null),
    after: parseJson(row.after, null),
  };
}

export function json(value: unknown): string {
  return JSON.stringify(value);
}

export function nullableJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
