import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTHeaderParameters, type FlattenedJWSInput } from 'jose';
import type { Logger } from 'pino';

export interface JwksCacheOptions {
  refreshIntervalMs: number;
  /** Least time between two fetches; unknown kids inside this window do not fetch again. */
  minRefetchIntervalMs: number;
  timeoutMs: number;
  logger: Logger;
}

type KeyLookup = ReturnType<typeof createLocalJWKSet>;

/** Why a token's key could not be found, for the 401's message. */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError';
}

/**
 * A JWKS endpoint's keys in memory. Fetched once at start (in the background: a slow issuer does
 * not delay the gateway's start), again every `refreshIntervalMs`, and again when a token names a
 * kid the cached set lacks (a rotated key) — but never twice within `minRefetchIntervalMs`, so a
 * flood of tokens with made-up kids causes at most one fetch per interval. Concurrent needs share
 * one fetch. A failed or malformed fetch keeps the last good set (tokens keep working while the
 * issuer is down); the new set replaces the old one whole, so keys the issuer retired stop
 * verifying at the next refresh.
 */
export class JwksCache {
  readonly #url: string;
  readonly #options: JwksCacheOptions;
  #keys: KeyLookup | null = null;
  #lastFetchStartedAt = -Infinity;
  #fetching: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failing = false;
  /** Aborts a fetch in flight when the plugin closes (a reload, `config validate`). */
  readonly #closed = new AbortController();
  /** Fetches made, for tests and the rate-limit's proof. */
  fetches = 0;

  constructor(url: string, options: JwksCacheOptions) {
    this.#url = url;
    this.#options = options;
  }

  start(): void {
    void this.#fetch().catch(() => {});
    this.#timer = setInterval(() => void this.#fetch().catch(() => {}), this.#options.refreshIntervalMs);
    this.#timer.unref();
  }

  /** The key for a token's protected header; refetches once (rate-limited) for an unknown kid. */
  async key(header: JWTHeaderParameters, token: FlattenedJWSInput): Promise<Awaited<ReturnType<KeyLookup>>> {
    if (this.#keys === null) await this.#refetchIfAllowed();
    if (this.#keys === null) throw new JwksUnavailableError('the issuer\'s keys (JWKS) could not be fetched');
    try {
      return (await this.#keys(header, token));
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // A kid we have not seen: perhaps the issuer rotated keys. Fetch again, unless we just did.
      if (!(await this.#refetchIfAllowed())) throw error;
      return (await this.#keys(header, token));
    }
  }

  /** Waits for a fetch (joining one in progress); false when the rate limit forbids a new one. */
  async #refetchIfAllowed(): Promise<boolean> {
    if (this.#fetching) {
      await this.#fetching.catch(() => {});
      return true;
    }
    if (performance.now() - this.#lastFetchStartedAt < this.#options.minRefetchIntervalMs) return false;
    await this.#fetch().catch(() => {});
    return true;
  }

  #fetch(): Promise<void> {
    this.#fetching ??= this.#load().finally(() => {
      this.#fetching = null;
    });
    return this.#fetching;
  }

  async #load(): Promise<void> {
    this.#lastFetchStartedAt = performance.now();
    this.fetches++;
    try {
      const response = await fetch(this.#url, { headers: { accept: 'application/json' }, signal: AbortSignal.any([AbortSignal.timeout(this.#options.timeoutMs), this.#closed.signal]) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as JSONWebKeySet;
      if (!body || !Array.isArray(body.keys)) throw new Error('the answer has no "keys" array');
      this.#keys = createLocalJWKSet(body);
      if (this.#failing) this.#options.logger.info({ jwks: this.#url }, 'jwt: JWKS fetched again');
      this.#failing = false;
    } catch (error) {
      if (this.#closed.signal.aborted) throw error;
      if (!this.#failing) this.#options.logger.warn({ jwks: this.#url, err: (error as Error).message }, `jwt: cannot fetch the JWKS; ${this.#keys ? 'keeping the keys fetched before' : 'tokens are refused until it can be fetched'}`);
      this.#failing = true;
      throw error;
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#closed.abort();
  }
}
