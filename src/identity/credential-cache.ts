import type { Logger } from 'pino';
import { settledWithin } from '../store/settled-within.ts';
import type { Store, StoredProviderCredential } from '../store/store.ts';
import { CredentialCipher, masterKeyVariable } from './credential-cipher.ts';

export interface CredentialCacheOptions {
  /** The master key (TOLLGATE_MASTER_KEY, parsed); without it nothing can be stored or decrypted. */
  masterKey?: Buffer;
  /** How often to look for changes made elsewhere (another node, the CLI). */
  pollIntervalMs?: number;
  logger?: Logger;
}

/** Storing a credential needs the master key; the Admin API turns this into a clear 400. */
export class MissingMasterKeyError extends Error {
  override readonly name = 'MissingMasterKeyError';
  constructor() {
    super(`Provider credentials are stored encrypted and need a master key: set ${masterKeyVariable} (32 bytes as 64 hex digits or base64, e.g. \`openssl rand -base64 32\`) in the gateway's environment and restart it.`);
  }
}

/**
 * Provider credentials set through the Admin API, decrypted into memory so a request never waits
 * on the database (the identity cache's pattern). Loaded at start, reloaded right after a change
 * through this node's Admin API, and when the store's revision moves (polled every second), so a
 * credential set on another node applies here within about a second, without a restart.
 * A row that does not decrypt (another master key) is skipped and logged once: the provider's
 * configured or environment key applies instead.
 */
export class CredentialCache {
  readonly #store: Store;
  readonly #cipher: CredentialCipher | undefined;
  readonly #pollIntervalMs: number;
  readonly #logger: Logger | undefined;
  #secrets = new Map<string, string>();
  #stored = new Map<string, StoredProviderCredential>();
  #revision = -1;
  #refreshing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #failing = false;
  /** A poll is running: the next tick does not queue another behind it (the identity cache's rule). */
  #polling = false;
  readonly #reported = new Set<string>();

  constructor(store: Store, options: CredentialCacheOptions = {}) {
    this.#store = store;
    this.#cipher = options.masterKey ? new CredentialCipher(options.masterKey) : undefined;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#logger = options.logger;
  }

  /** True when a master key is set (credentials can be stored). */
  get canStore(): boolean {
    return this.#cipher !== undefined;
  }

  async start(): Promise<{ credentials: number }> {
    await this.refresh(true);
    this.#timer = setInterval(() => void this.#tick(), this.#pollIntervalMs);
    this.#timer.unref();
    return { credentials: this.#secrets.size };
  }

  /** The decrypted credential for a provider, if one is stored and readable. The hot path's only call. */
  get = (providerName: string): string | undefined => this.#secrets.get(providerName);

  /** Whether a credential is stored for the provider (readable or not), for `has_credential`. */
  stored(providerName: string): StoredProviderCredential | undefined {
    return this.#stored.get(providerName);
  }

  /** Encrypts and stores a provider's credential, then applies it on this node at once. */
  async put(providerName: string, secret: string, actor: string): Promise<StoredProviderCredential> {
    if (!this.#cipher) throw new MissingMasterKeyError();
    const saved = await this.#store.putProviderCredential(providerName, { ciphertext: this.#cipher.encrypt(secret, providerName), key_id: this.#cipher.keyId }, actor);
    await this.refresh(true);
    return saved;
  }

  async delete(providerName: string, actor: string): Promise<boolean> {
    const deleted = await this.#store.deleteProviderCredential(providerName, actor);
    await this.refresh(true);
    return deleted;
  }

  /** Reloads the (small) table when the store's revision moved, or always when forced. */
  refresh(force = false): Promise<void> {
    this.#refreshing = this.#refreshing.catch(() => {}).then(async () => {
      const revision = await this.#store.revision();
      if (!force && revision === this.#revision) return;
      const rows = await this.#store.listProviderCredentials();
      this.#apply(rows);
      this.#revision = revision;
    });
    return this.#refreshing;
  }

  #apply(rows: StoredProviderCredential[]): void {
    const secrets = new Map<string, string>();
    const stored = new Map<string, StoredProviderCredential>();
    for (const row of rows) {
      stored.set(row.provider, row);
      const secret = this.#decrypt(row);
      if (secret !== undefined) secrets.set(row.provider, secret);
    }
    this.#secrets = secrets;
    this.#stored = stored;
  }

  #decrypt(row: StoredProviderCredential): string | undefined {
    const problem = `${row.provider}@${row.updated_at}`;
    if (!this.#cipher) {
      if (!this.#reported.has(problem)) this.#logger?.error({ provider: row.provider }, `a credential for provider ${row.provider} is stored, but ${masterKeyVariable} is not set: it cannot be decrypted, and the configured or environment key applies`);
      this.#reported.add(problem);
      return undefined;
    }
    try {
      return this.#cipher.decrypt(row.ciphertext, row.provider);
    } catch {
      if (!this.#reported.has(problem)) {
        const hint = row.key_id === this.#cipher.keyId ? 'the stored value is damaged' : `it was encrypted under another master key (id ${row.key_id}; this gateway's is ${this.#cipher.keyId})`;
        this.#logger?.error({ provider: row.provider }, `the stored credential for provider ${row.provider} cannot be decrypted: ${hint}; the configured or environment key applies`);
      }
      this.#reported.add(problem);
      return undefined;
    }
  }

  async #tick(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      await this.refresh();
      if (this.#failing) this.#logger?.info('credential store reachable again');
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) this.#logger?.error({ err: error }, 'cannot refresh provider credentials from the store; using the last loaded ones');
      this.#failing = true;
    } finally {
      this.#polling = false;
    }
  }

  /** Stops polling; a poll in progress gets a second (the store may not answer; closing it ends the poll). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await settledWithin(this.#refreshing, 1000);
  }
}
