/**
 * The tables as Kysely sees them. Types are the portable subset both backends agree on:
 * text ids, ISO-8601 UTC timestamps as text (sortable, no driver-specific Date handling),
 * JSON as text, booleans as 0/1 integers.
 */

export interface SchemaTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface RevisionTable {
  id: number;
  revision: number;
}

export interface TeamsTable {
  id: string;
  name: string;
  metadata: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

export interface ConsumersTable {
  id: string;
  name: string;
  team_id: string | null;
  metadata: string;
  enabled: number;
  created_at: string;
  updated_at: string;
  revision: number;
}

export interface VirtualKeysTable {
  id: string;
  key_hash: string;
  key_prefix: string;
  key_last4: string;
  name: string | null;
  consumer_id: string;
  team_id: string | null;
  models: string;
  ips: string;
  limits: string | null;
  budget: string | null;
  metadata: string;
  expires_at: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  revision: number;
}

export interface DeletionsTable {
  revision: number;
  resource: string;
  id: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  resource: string;
  resource_id: string;
  before: string | null;
  after: string | null;
}

export interface Database {
  tollgate_schema: SchemaTable;
  identity_revision: RevisionTable;
  teams: TeamsTable;
  consumers: ConsumersTable;
  virtual_keys: VirtualKeysTable;
  deletions: DeletionsTable;
  audit_log: AuditLogTable;
}
