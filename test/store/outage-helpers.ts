import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';

/**
 * Helpers for the PostgreSQL outage tests (test/store/postgres-outage*.test.ts,
 * test/ledger/ledger-postgres-outage.test.ts, test/identity/identity-postgres-outage.test.ts):
 * a real gateway whose log lines the test reads, a second connection to the same database that
 * plays "another node", and the database's own ways of ending sessions.
 */

export interface LoggedGateway {
  gateway: Gateway;
  url: string;
  adminUrl: string;
  /** Every log line so far, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Log lines whose message matches. */
  logged(pattern: RegExp): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export const adminToken = 'outage-admin-token';

/** A gateway with key-auth, an admin token and a fast ledger on `storage`; its log lines are kept. */
export async function startLoggedGateway(storage: string, extraConfig = ''): Promise<LoggedGateway> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const config = `admin: { tokens: [{ token: ${adminToken}, role: admin }] }\nplugins: { key-auth: {} }\nusage: { flush_interval: 20ms }\n${extraConfig}`;
  const gateway = await Gateway.start({ configText: config, env: {}, port: 0, adminPort: 0, logger, storage });
  return {
    gateway,
    url: `http://127.0.0.1:${gateway.port}`,
    adminUrl: `http://127.0.0.1:${gateway.adminPort}`,
    logs,
    logged: (pattern) => logs.filter((line) => pattern.test(String(line.msg))),
    close: () => gateway.stop(500),
  };
}

/** One chat completion with the echo provider; the status (0 when the connection failed). */
export async function chat(url: string, key: string, content = 'hello'): Promise<number> {
  try {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'echo/test', messages: [{ role: 'user', content }] }),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** "Another node": the same database, directly (not through the test's proxy). */
export async function openDirect(databaseUrl: string): Promise<KyselyStore> {
  return (await openStore(databaseUrl)).store;
}

/** A consumer and a key made on the direct store; the key's id and secret. */
export async function makeKey(store: KyselyStore, consumer: string): Promise<{ id: string; secret: string }> {
  const made = await store.createConsumer({ name: consumer }, 'test');
  const { key, secret } = await store.createKey({ consumer_id: made.id }, 'test');
  return { id: key.id, secret };
}

/** The usage records written so far; with `gateway`, after it has written what it had queued (a count to compare later ones with). */
export async function usageRows(store: KyselyStore, gateway?: Gateway): Promise<number> {
  await gateway?.usageLedger.flush();
  const row = await store.db.selectFrom('usage_records').select((builder) => builder.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Ends every session on the database but the caller's own, as a server restart or failover does (FATAL 57P01); how many. */
export async function terminateBackends(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ count: string }>('select count(pg_terminate_backend(pid)) as count from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return Number(result.rows[0].count);
  } finally {
    await client.end();
  }
}

/** Polls `check` every 50 ms until it holds, for at most `timeoutMs`; whether it did. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await sleep(50);
  }
}

/** A gauge or counter's value from the gateway's own registry (what /metrics would show). */
export async function metricValue(gateway: Gateway, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = gateway.metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const wanted = values.find((value) => Object.entries(labels).every(([label, expected]) => String((value.labels as Record<string, unknown>)[label]) === expected));
  return wanted?.value ?? 0;
}
