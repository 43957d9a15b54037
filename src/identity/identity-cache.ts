import type { Logger } from 'pino';
import type { Consumer, IdentityChanges, Store, StoredKey, Team } from '../store/store.ts';
import { settledWithin } from '../store/settled-within.ts';
import { compileRules, type KeyRules } from './key-rules.ts';

/** How long a stop waits for a poll in progress, and for the last last-used write (ms). */
const stopWaitMs = 1000;

/** A key as the hot path needs it: the stored fields plus its compiled rules and expiry. */
export interface CachedKey {
  key: StoredKey;
  rules: KeyRules;
  /** expires_at in ms since epoch, or Infinity. */
  expiresAt: number;
}

export interface IdentityCacheOptions {
  /** How often to look for changes made elsewhere (another node, the CLI). */
  pollIntervalMs?: number;
  logger?: Logger;
}

/**
 * Keys, consumers and teams in memory, so authentication never waits on the database.
 * Loaded whole at start; afterwards only what changed is fetched (the store's revision
 * counter), right after a change through this node's Admin API and every second otherwise.
 * Last-used times are collected here and written in batches on the same timer.
 */
export class IdentityCache {
  readonly #store: Store;
  readonly #pollIntervalMs: number;
  readonly #logger: Logger | undefined;
  readonly #keysByHash = new Map<string, CachedKey>();
  readonly #hashById = new Map<string, string>();
  readonly #consumers = new Map<string, Consumer>();
  readonly #consumerIdByName = new Map<string, string>();
  readonly #teams = new Map<string, Team>();
  readonly #teamIdByName = new Map<string, string>();
  readonly #usedKeyIds = new Set<string>();
  #revision = 0;
  #refreshing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #failing = false;
  /** A poll is running: the next tick does not queue another behind it. */
  #polling = false;

  constructor(store: Store, options: IdentityCacheOptions = {}) {
    this.#store = store;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#logger = options.logger;
  }

  get revision(): number {
    return this.#revision;
  }

  get size(): number {
    return this.#keysByHash.size;
  }

  /** Loads everything and starts polling; returns how many keys and how long it took. */
  async start(): Promise<{ keys: number; milliseconds: number }> {
    const started = performance.now();
    await this.refresh();
    const milliseconds = Math.round(performance.now() - started);
    this.#timer = setInterval(() => void this.#tick(), this.#pollIntervalMs);
    this.#timer.unref();
    return { keys: this.#keysByHash.size, milliseconds };
  }

  /** The key with this SHA-256 hash, if it exists (enabled, expired or not: the caller decides). */
  lookup(hash: string): CachedKey | undefined {
    return this.#keysByHash.get(hash);
  }

  /** A key by id, e.g. ctx.caller.key, for plugins that read its limits or budget. */
  key(id: string): CachedKey | undefined {
    const hash = this.#hashById.get(id);
    return hash === undefined ? undefined : this.#keysByHash.get(hash);
  }

  consumer(id: string): Consumer | undefined {
    return this.#consumers.get(id);
  }

  /** A consumer by its unique name (jwt maps a token's claim to a consumer this way). */
  consumerByName(name: string): Consumer | undefined {
    const id = this.#consumerIdByName.get(name);
    return id === undefined ? undefined : this.#consumers.get(id);
  }

  team(id: string | null): Team | undefined {
    return id === null ? undefined : this.#teams.get(id);
  }

  /** A team by its unique name (jwt maps a token's team claim to a store team this way). */
  teamByName(name: string): Team | undefined {
    const id = this.#teamIdByName.get(name);
    return id === undefined ? undefined : this.#teams.get(id);
  }

  /** Remembers that a key was used; written to the store with the next poll. */
  noteUsed(keyId: string): void {
    this.#usedKeyIds.add(keyId);
  }

  /** Fetches what changed since the last refresh; concurrent calls are queued, never overlapped. */
  refresh(): Promise<void> {
    this.#refreshing = this.#refreshing.catch(() => {}).then(async () => this.#apply(await this.#store.changesSince(this.#revision)));
    return this.#refreshing;
  }

  #apply(changes: IdentityChanges): void {
    for (const team of changes.teams) {
      const previous = this.#teams.get(team.id);
      if (previous && previous.name !== team.name && this.#teamIdByName.get(previous.name) === team.id) this.#teamIdByName.delete(previous.name);
      this.#teams.set(team.id, team);
      this.#teamIdByName.set(team.name, team.id);
    }
    for (const consumer of changes.consumers) {
      const previous = this.#consumers.get(consumer.id);
      if (previous && previous.name !== consumer.name) this.#consumerIdByName.delete(previous.name);
      this.#consumers.set(consumer.id, consumer);
      this.#consumerIdByName.set(consumer.name, consumer.id);
    }
    for (const key of changes.keys) this.#putKey(key);
    for (const deleted of changes.deleted) {
      if (deleted.resource === 'keys') this.#removeKey(deleted.id);
      else if (deleted.resource === 'consumers') {
        const name = this.#consumers.get(deleted.id)?.name;
        if (name !== undefined && this.#consumerIdByName.get(name) === deleted.id) this.#consumerIdByName.delete(name);
        this.#consumers.delete(deleted.id);
      }
      else {
        const name = this.#teams.get(deleted.id)?.name;
        if (name !== undefined && this.#teamIdByName.get(name) === deleted.id) this.#teamIdByName.delete(name);
        this.#teams.delete(deleted.id);
      }
    }
    this.#revision = Math.max(this.#revision, changes.revision);
  }

  #putKey(key: StoredKey): void {
    this.#removeKey(key.id);
    const expiresAt = key.expires_at === null ? Infinity : Date.parse(key.expires_at);
    this.#keysByHash.set(key.key_hash, { key, rules: compileRules(key.models, key.ips), expiresAt });
    this.#hashById.set(key.id, key.key_hash);
  }

  #removeKey(id: string): void {
    const hash = this.#hashById.get(id);
    if (hash === undefined) return;
    this.#keysByHash.delete(hash);
    this.#hashById.delete(id);
  }

  /**
   * One poll. While the store does not answer, a poll waits for the store's query timeout (it
   * fails, and the next tick tries again on a new connection); ticks meanwhile are skipped, not
   * queued behind it (they had piled up one a second, each waiting its turn).
   */
  async #tick(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      await this.refresh();
      if (this.#usedKeyIds.size > 0) {
        const ids = [...this.#usedKeyIds];
        this.#usedKeyIds.clear();
        await this.#store.touchKeys(ids, new Date().toISOString());
      }
      if (this.#failing) this.#logger?.info('identity store reachable again; key changes apply again');
      this.#failing = false;
    } catch (error) {
      // Keep serving the keys already loaded; say so once, not every second.
      if (!this.#failing) this.#logger?.error({ err: error }, 'cannot refresh keys from the store; serving the last loaded keys until it answers (changes made elsewhere, revocations included, apply once it does)');
      this.#failing = true;
    } finally {
      this.#polling = false;
    }
  }

  /** Stops polling and writes the last pending last-used times (waiting at most a second for each: the store may not answer). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await settledWithin(this.#refreshing, stopWaitMs);
    if (this.#usedKeyIds.size > 0) await settledWithin(this.#store.touchKeys([...this.#usedKeyIds], new Date().toISOString()), stopWaitMs);
    this.#usedKeyIds.clear();
  }
}
