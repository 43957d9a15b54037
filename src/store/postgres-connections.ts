import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import { settledWithin } from './settled-within.ts';
import { StoreUnavailableError } from './store.ts';

export interface PostgresConnectionSettings {
  connectionString: string;
  /** Longest wait for a new connection to be accepted and authenticated (ms); null: no limit. */
  connectTimeoutMs: number | null;
  /** Where one line per outage goes (and one when the store answers again). */
  logger?: Logger;
}

/** SQLSTATEs that mean the connection itself is gone: class 08 (connection exception) and the server's shutdown/start-up refusals. */
function isConnectionState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}

const socketErrors = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** pg's wording for a connection that ended or cannot be used any more. */
const connectionEnded = /Connection terminated|not queryable|Query read timeout/;

/** Whether a query's failure came from the connection (not from the statement: a constraint, a syntax error). */
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (isConnectionState(code) || socketErrors.has(code))) return true;
  return error instanceof Error && connectionEnded.test(error.message);
}

/** Ends a connection at once, whatever it is waiting for (pg's own query_timeout does the same to a pipelined connection). */
function destroyConnection(client: pg.PoolClient): void {
  client.connection.stream.destroy();
}

/**
 * The pg pool of a PostgreSQL store, made to survive a database that restarts, fails over, resets
 * its connections or stops answering:
 *
 * - every connection has an `error` listener for its whole life, idle or in use (pg-pool listens
 *   only while it is idle; an error on a connection in use was an unhandled `error` event that
 *   ended the process), so a lost connection fails only the query on it;
 * - every query of a pool made by `pool(timeoutMs)` waits at most that long for its answer: past
 *   it the connection is destroyed (a silent connection would otherwise hold the query, and the
 *   pool slot, for ever: TCP never notices a peer that is gone while nothing is sent) and the query
 *   fails with StoreUnavailableError;
 * - after such a failure, connections opened before it are replaced at their next use instead of
 *   being reused (they likely went the same way), so one outage costs one failed query per caller,
 *   not one per pooled connection;
 * - TCP keepalive, so a connection whose peer vanished is found out while idle too;
 * - one log line when connections start failing, one when the store answers again.
 */
export class PostgresConnections {
  readonly #pool: pg.Pool;
  readonly #logger: Logger | undefined;
  /** Connections by the order they were opened; those at or below #staleUpTo are not reused. */
  readonly #opened = new WeakMap<pg.PoolClient, number>();
  #count = 0;
  #staleUpTo = 0;
  /** Connections whose socket failed or was destroyed (their queries fail at once). */
  readonly #broken = new WeakSet<pg.PoolClient>();
  readonly #checkedOut = new Set<pg.PoolClient>();
  #failing = false;
  #ending: Promise<void> | null = null;

  constructor(driver: typeof pg, settings: PostgresConnectionSettings) {
    this.#logger = settings.logger;
    this.#pool = new driver.Pool({
      connectionString: settings.connectionString,
      max: 10,
      // The limit holds for every connection the pool opens, not only the first: a later reconnect
      // to a wedged server fails (and its caller retries) instead of waiting for ever.
      connectionTimeoutMillis: settings.connectTimeoutMs ?? 0,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // An idle connection's error (the server restarted): pg-pool drops the connection.
    this.#pool.on('error', (error) => this.#failed(error));
    this.#pool.on('connect', (client) => {
      this.#opened.set(client, ++this.#count);
      client.on('error', (error) => {
        this.#broken.add(client);
        this.#failed(error);
      });
    });
  }

  /** A pool for Kysely's PostgresDialect whose queries wait at most `timeoutMs` for their answer (null: no limit). */
  pool(timeoutMs: number | null): PostgresPool {
    return { connect: () => this.#checkOut(timeoutMs), end: () => this.end() };
  }

  async #checkOut(timeoutMs: number | null): Promise<PostgresPoolClient> {
    for (;;) {
      let client: pg.PoolClient;
      try {
        client = await this.#pool.connect();
      } catch (error) {
        this.#failed(error);
        throw new StoreUnavailableError(`cannot connect to PostgreSQL: ${(error as Error).message}`, { cause: error });
      }
      if ((this.#opened.get(client) ?? 0) > this.#staleUpTo && !this.#broken.has(client)) return this.#guard(client, timeoutMs);
      // Opened before the last failure: replaced rather than risked.
      destroyConnection(client);
      client.release(true);
    }
  }

  #guard(client: pg.PoolClient, timeoutMs: number | null): PostgresPoolClient {
    this.#checkedOut.add(client);
    let released = false;
    const guarded = {
      query: (sqlOrCursor: string | PostgresCursor<unknown>, parameters?: ReadonlyArray<unknown>) => {
        // Kysely streams only with a cursor class configured, which the store does not do.
        if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never);
        return this.#query(client, sqlOrCursor, parameters ?? [], timeoutMs);
      },
      release: (destroy?: boolean) => {
        if (released) return;
        released = true;
        this.#checkedOut.delete(client);
        client.release(destroy === true || this.#broken.has(client));
      },
    };
    return guarded as PostgresPoolClient;
  }

  async #query(client: pg.PoolClient, sql: string, parameters: ReadonlyArray<unknown>, timeoutMs: number | null): Promise<PostgresQueryResult<unknown>> {
    if (this.#broken.has(client)) throw new StoreUnavailableError('the PostgreSQL connection was lost');
    const answer = client.query(sql, parameters as unknown[]);
    let timer: NodeJS.Timeout | undefined;
    const deadline =
      timeoutMs === null
        ? null
        : new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => {
              const error = new StoreUnavailableError(`PostgreSQL did not answer within ${timeoutMs / 1000} s`);
              this.#broken.add(client);
              this.#failed(error);
              destroyConnection(client);
              reject(error);
            }, timeoutMs);
          });
    try {
      const result = await (deadline === null ? answer : Promise.race([answer, deadline]));
      if (this.#failing) this.#answered();
      return result as unknown as PostgresQueryResult<unknown>;
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      if (this.#broken.has(client) || isConnectionFailure(error)) {
        this.#broken.add(client);
        this.#failed(error);
        throw new StoreUnavailableError(`the PostgreSQL connection failed: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  #failed(error: unknown): void {
    // Connections opened so far are not reused: a failure of one is rarely a failure of one alone.
    this.#staleUpTo = this.#count;
    if (this.#failing || this.#ending !== null) return;
    this.#failing = true;
    this.#logger?.error({ err: error }, `PostgreSQL connection failed (${(error as Error).message}): the queries on it fail and their callers retry; said once until the store answers again`);
  }

  #answered(): void {
    this.#failing = false;
    this.#logger?.info('PostgreSQL answers again');
  }

  /**
   * Closes every connection. Whatever a query still holds after `graceMs` is destroyed (its query
   * fails): at a stop, which comes after the work it waits for (the ledger's last write), a silent
   * connection must not hold the process.
   */
  end(graceMs = 500): Promise<void> {
    this.#ending ??= (async () => {
      const ended = this.#pool.end();
      if (await settledWithin(ended, graceMs)) return;
      for (const client of this.#checkedOut) destroyConnection(client);
      // Their queries fail and Kysely hands them back; pg-pool then ends.
      await settledWithin(ended, graceMs);
    })();
    return this.#ending;
  }
}

