import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TemporaryDatabase {
  url: string;
  drop(): Promise<void>;
}

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh database `tollgate_test_<random>` on the PostgreSQL at $DATABASE_URL, or null when no
 * server answers: then the caller skips loudly, unless TOLLGATE_REQUIRE_SERVICES=1 (CI), which
 * turns the missing server into a failure.
 */
export async function createTemporaryDatabase(): Promise<TemporaryDatabase | null> {
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    const message = `PostgreSQL is not reachable at ${serverUrl} (${(error as Error).message})`;
    if (process.env.TOLLGATE_REQUIRE_SERVICES === '1') throw new Error(`${message}; TOLLGATE_REQUIRE_SERVICES=1 requires it`);
    process.stderr.write(`\n${'!'.repeat(78)}\n!! SKIP: ${message}.\n!! The PostgreSQL store tests are SKIPPED. Set DATABASE_URL, or TOLLGATE_REQUIRE_SERVICES=1 to fail.\n${'!'.repeat(78)}\n\n`);
    await admin.end().catch(() => {});
    return null;
  }
  const name = `tollgate_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: withDatabase(serverUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
