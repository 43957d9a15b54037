import { StoreConflictError } from './store.ts';

/** SQLite says "UNIQUE constraint failed", PostgreSQL sends SQLSTATE 23505. */
export function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; message?: string };
  return candidate?.code === '23505' || /UNIQUE constraint failed/.test(candidate?.message ?? '');
}

/** SQLite says "FOREIGN KEY constraint failed", PostgreSQL sends SQLSTATE 23503. */
export function isForeignKeyViolation(error: unknown): boolean {
  const candidate = error as { code?: string; message?: string };
  return candidate?.code === '23503' || /FOREIGN KEY constraint failed/.test(candidate?.message ?? '');
}

/**
 * Runs one write; a unique or foreign-key constraint it breaks becomes a StoreConflictError (the
 * Admin API's 409) saying why: `duplicate` for a name taken, `reference` for a row it refers to
 * (or that refers to it) which another writer deleted (or created) meanwhile.
 */
export async function constrained<T>(messages: { duplicate?: string; reference?: string }, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (messages.duplicate !== undefined && isUniqueViolation(error)) throw new StoreConflictError(messages.duplicate, { cause: error });
    if (messages.reference !== undefined && isForeignKeyViolation(error)) throw new StoreConflictError(messages.reference, { cause: error });
    throw error;
  }
}
