import type { Transaction } from 'kysely';
import type { Database } from './database-schema.ts';

/** One stretch of time a consumer or team carried a name. */
export interface NameHeld {
  id: string;
  name: string;
  /** ISO time it took the name ('' when unknown: from the start). */
  from: string;
  /** ISO time it gave the name up (renamed or deleted); null while it holds it. */
  to: string | null;
}

/** A JSON object stored as text (an audit entry's `before`/`after`), or null when it is none. */
export function parsedObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Who held which consumer or team name when, from the audit log's creates, renames and deletes
 * (names are unique at any one time, so each stretch names one owner), by when it began. The
 * usage-ledger backfills (migrations 4 and 5) read it to give an old record, which names its owner
 * only, the id of the owner that carried the name at the record's time, never a later one's.
 */
export async function namesHeld(db: Transaction<Database>, resource: 'consumers' | 'teams'): Promise<NameHeld[]> {
  const held: NameHeld[] = [];
  const open = new Map<string, NameHeld>();
  const close = (id: string, at: string) => {
    const current = open.get(id);
    if (current === undefined) return;
    current.to = at;
    open.delete(id);
  };
  const entries = await db.selectFrom('audit_log').select(['resource_id', 'action', 'after', 'at']).where('resource', '=', resource).orderBy('id').execute();
  for (const entry of entries) {
    const name = parsedObject(entry.after)?.name;
    if (entry.action === 'delete') close(entry.resource_id, entry.at);
    else if (typeof name === 'string' && open.get(entry.resource_id)?.name !== name) {
      close(entry.resource_id, entry.at);
      const next = { id: entry.resource_id, name, from: entry.at, to: null };
      held.push(next);
      open.set(entry.resource_id, next);
    }
  }
  // One with no audit trail (a database written by hand): its name from the start.
  const rows = await db.selectFrom(resource).select(['id', 'name']).execute();
  for (const row of rows) if (!open.has(row.id)) held.push({ id: row.id, name: row.name, from: '', to: null });
  return held.sort((left, right) => left.from.localeCompare(right.from));
}
