import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { AdminListener } from '../admin/admin-listener.ts';
import type { AdminToken } from '../admin/admin-auth.ts';
import { isLoopbackHost } from '../server/loopback-host.ts';
import { loadConfigFile, parseConfig, type LoadedConfig } from '../config/load-config.ts';
import { waitUntilSettled } from '../config/settled-file.ts';
import { toBytes, toMilliseconds } from '../config/units.ts';
import { pluginDefinitions } from '../plugins/registry.ts';
import { providerDefinitions } from '../providers/registry.ts';
import { DataPlaneServer } from '../server/data-plane-server.ts';
import { createLogger } from '../telemetry/logger.ts';
import { GatewayMetrics } from '../telemetry/metrics.ts';
import { UpstreamClient } from '../upstream/upstream-client.ts';
import { loadImplementations } from './load-implementations.ts';
import { Runtime, type RuntimeDependencies } from './runtime.ts';
import { changedRestartOnlySettings } from './restart-only-settings.ts';
import type { TollgateConfig } from '../config/schema.ts';
import type { ReloadOutcome, ReloadTrigger } from '../config/reload-outcome.ts';
import type { PluginDefinition } from '../pipeline/plugin.ts';
import type { ConfigOrigin } from '../plugins/custom/load-custom-plugins.ts';
import { IdentityCache } from '../identity/identity-cache.ts';
import { CredentialCache } from '../identity/credential-cache.ts';
import { parseMasterKey } from '../identity/credential-cipher.ts';
import { connectTimeoutSeconds, describeStorage, openStore, parseStorage } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { createOwnUsageHandler } from '../plugins/usage-ledger/own-usage-endpoint.ts';
import { ledgerSettingsOf, UsageLedger } from '../usage/usage-ledger.ts';
import { UsageRetention } from '../usage/usage-retention.ts';

export interface GatewayOptions {
  /** A config file path; reloaded on change and SIGHUP. */
  configPath?: string;
  /** Config text instead of a file (tests, embedded use). */
  configText?: string;
  env?: NodeJS.ProcessEnv;
  /** Override the listeners' ports (0 = ephemeral, used by tests). */
  port?: number;
  adminPort?: number;
  logger?: Logger;
  /** Override the config's `storage:` (tests use `sqlite::memory:`). */
  storage?: string;
  /** Override admin.enabled: with several workers only the first runs the Admin listener. */
  adminEnabled?: boolean;
  /**
   * A `server.workers` process: the data plane listens on a socket of its own with SO_REUSEPORT,
   * so the kernel spreads connections evenly over the workers (see DataPlaneServer.listen).
   */
  ownListenSocket?: boolean;
  /**
   * A `server.workers` process: tells this node's other workers to reread the store after an Admin
   * API write, and resolves once they have (the process ids of those that did not confirm in
   * time; null when nobody answered), so the write is answered only when the whole node applies it
   * (cli/worker-store-changes.ts).
   */
  announceStoreChange?: () => Promise<readonly number[] | null>;
}

/** The store and its in-memory identity cache, opened once per process (not on reload). */
interface IdentityState {
  store: Store;
  cache: IdentityCache;
  /** Provider credentials set through the Admin API, decrypted in memory. */
  credentials: CredentialCache;
}

/**
 * The Admin API's tokens: the config's `admin.tokens`, or, when it names none, the environment's
 * TOLLGATE_ADMIN_TOKEN (role admin) and TOLLGATE_VIEWER_TOKEN (role viewer), empty ones ignored.
 */
function adminTokensOf(configured: readonly AdminToken[], env: NodeJS.ProcessEnv): readonly AdminToken[] {
  if (configured.length > 0) return configured;
  const tokens: AdminToken[] = [];
  if (env.TOLLGATE_ADMIN_TOKEN) tokens.push({ token: env.TOLLGATE_ADMIN_TOKEN, role: 'admin', name: 'TOLLGATE_ADMIN_TOKEN' });
  if (env.TOLLGATE_VIEWER_TOKEN) tokens.push({ token: env.TOLLGATE_VIEWER_TOKEN, role: 'viewer', name: 'TOLLGATE_VIEWER_TOKEN' });
  return tokens;
}

/** Admin tokens shorter than this are warned about at the start. */
const minimumAdminTokenLength = 16;

/** A running gateway: data plane, admin listener, hot reload and graceful shutdown. */
export class Gateway {
  readonly logger: Logger;
  readonly metrics = new GatewayMetrics();
  #runtime: Runtime;
  /** The config the process started with: the restart-only settings (restart-only-settings.ts) keep its values. */
  readonly #startConfig: TollgateConfig;
  readonly #options: GatewayOptions;
  readonly #dependencies: RuntimeDependencies;
  readonly #upstream: UpstreamClient;
  readonly #dataPlane: DataPlaneServer;
  #admin: AdminListener | null = null;
  readonly #identity: IdentityState;
  /** The usage ledger's writer and retention: one per process, like the store they write to. */
  readonly #usageLedger: UsageLedger;
  readonly #usageRetention: UsageRetention;
  #watcher: FSWatcher | null = null;
  /** When the running configuration was loaded (the start, or the last applied reload). */
  #loadedAt = new Date().toISOString();
  /** How the last reload ended (GET /config/status); null before the first. */
  #lastReload: ReloadOutcome | null = null;
  #listening = false;
  #stopping: Promise<void> | null = null;
  port = 0;
  adminPort = 0;

  private constructor(options: GatewayOptions, loaded: LoadedConfig, logger: Logger, identity: IdentityState, plugins: ReadonlyMap<string, PluginDefinition>) {
    this.#options = options;
    this.#identity = identity;
    this.logger = logger;
    const { config } = loaded;
    this.#startConfig = config;
    this.#upstream = new UpstreamClient({ connections: config.upstream.connections, keepAliveTimeout: toMilliseconds(config.upstream.keep_alive_timeout), maxResponseBytes: toBytes(config.upstream.max_response_bytes) });
    this.#usageLedger = new UsageLedger(identity.store, ledgerSettingsOf(config.usage), { logger, registry: this.metrics.registry });
    this.#usageRetention = new UsageRetention(identity.store, { retentionDays: config.usage.retention_days, rollup: config.usage.rollup }, logger);
    this.#dependencies = { listenerHost: config.server.host, providerDefinitions, pluginDefinitions, upstream: this.#upstream, logger, metrics: this.metrics, env: options.env ?? process.env, identity: identity.cache, credentials: identity.credentials, store: identity.store, usageLedger: this.#usageLedger };
    // The built-in plugins and the config's custom ones (loadImplementations); #dependencies keeps the built-in registry.
    this.#runtime = Runtime.build(loaded, { ...this.#dependencies, pluginDefinitions: plugins });
    this.#runtime.announce();
    this.#dataPlane = new DataPlaneServer({
      runtime: () => this.#runtime,
      logger,
      keepAliveTimeout: toMilliseconds(config.server.keep_alive_timeout),
      requestTimeout: toMilliseconds(config.server.request_timeout),
      onInFlightChange: (delta) => this.metrics.inFlight.inc(delta),
      ownUsage: createOwnUsageHandler({ store: identity.store, ledger: this.#usageLedger, identity: identity.cache, keyAuthConfig: () => this.#runtime.loaded.config.plugins['key-auth'], logger }),
    });
  }

  /** Loads and validates the config (throws ConfigError), then starts both listeners. */
  static async start(options: GatewayOptions): Promise<Gateway> {
    const loaded = await Gateway.#load(options);
    const plugins = await loadImplementations(loaded.config, { pluginDefinitions, providerDefinitions, env: options.env ?? process.env }, Gateway.#origin(loaded, options));
    const logger = options.logger ?? createLogger({ level: loaded.config.log.level, format: loaded.config.log.format });
    for (const name of loaded.missingEnv) logger.warn({ variable: name }, 'the config references an environment variable that is not set');
    const identity = await Gateway.#openIdentity(options.storage ?? loaded.config.storage, logger, options.env ?? process.env);
    let gateway: Gateway;
    try {
      gateway = new Gateway(options, loaded, logger, identity, plugins);
    } catch (error) {
      await identity.cache.stop();
      await identity.credentials.stop();
      await identity.store.close();
      throw error;
    }
    await gateway.#listen();
    return gateway;
  }

  /** Opens the store, migrates it, and loads every key into memory before traffic is accepted. */
  static async #openIdentity(storage: string, logger: Logger, env: NodeJS.ProcessEnv): Promise<IdentityState> {
    // A malformed master key refuses the start (before the store opens); an absent one only disables stored credentials.
    const masterKey = parseMasterKey(env.TOLLGATE_MASTER_KEY);
    const location = parseStorage(storage);
    if (location.kind === 'postgres') {
      // What the start waits for, before it waits: a server that never answers holds it until connect_timeout.
      const where = describeStorage(location);
      const timeout = connectTimeoutSeconds(location);
      logger.info({ storage: where, connect_timeout_s: timeout }, `connecting to PostgreSQL at ${where}; waiting ${timeout === null ? 'without limit (connect_timeout=0)' : `up to ${timeout} s (connect_timeout)`} for it to answer`);
    }
    const opened = await openStore(storage, { logger });
    if (opened.migration.applied.length > 0) logger.info({ storage: opened.where, applied: opened.migration.applied }, `store migrated from schema version ${opened.migration.from} to ${opened.migration.to}`);
    const cache = new IdentityCache(opened.store, { logger });
    try {
      const loadedKeys = await cache.start();
      logger.info({ storage: opened.where, keys: loadedKeys.keys, load_ms: loadedKeys.milliseconds }, `identity store ${opened.where}: ${loadedKeys.keys} keys loaded in ${loadedKeys.milliseconds} ms`);
    } catch (error) {
      await opened.store.close();
      throw error;
    }
    const credentials = new CredentialCache(opened.store, { masterKey, logger });
    try {
      const loadedCredentials = await credentials.start();
      if (loadedCredentials.credentials > 0) logger.info({ credentials: loadedCredentials.credentials }, `${loadedCredentials.credentials} provider credentials loaded from the store`);
    } catch (error) {
      await cache.stop();
      await opened.store.close();
      throw error;
    }
    return { store: opened.store, cache, credentials };
  }

  /** The usage ledger's writer (tests, embedding: `flush()` writes what is queued). */
  get usageLedger(): UsageLedger {
    return this.#usageLedger;
  }

  /** The store and identity cache (tests, embedding). */
  get identity(): IdentityState {
    return this.#identity;
  }

  static async #load(options: GatewayOptions): Promise<LoadedConfig> {
    const env = options.env ?? process.env;
    if (options.configText !== undefined) return parseConfig(options.configText, '(inline config)', env);
    if (options.configPath === undefined) return parseConfig('{}', '(embedded defaults)', env);
    return loadConfigFile(options.configPath, env);
  }

  /** Where the config came from: relative `custom_plugins:` paths start from its file's folder (the working directory for inline text). */
  static #origin(loaded: LoadedConfig, options: GatewayOptions): ConfigOrigin {
    const fromFile = options.configText === undefined && options.configPath !== undefined;
    return { source: loaded.source, folder: fromFile ? dirname(resolve(options.configPath!)) : process.cwd() };
  }

  get runtime(): Runtime {
    return this.#runtime;
  }

  async #listen(): Promise<void> {
    const { config } = this.#runtime.loaded;
    this.port = await this.#dataPlane.listen(this.#options.port ?? config.server.port, config.server.host, { ownSocket: this.#options.ownListenSocket === true });
    if (this.#options.adminEnabled ?? config.admin.enabled) {
      const tokens = adminTokensOf(config.admin.tokens, this.#options.env ?? process.env);
      const announce = this.#options.announceStoreChange;
      this.#admin = new AdminListener({ ready: () => this.#listening && this.#stopping === null, details: () => this.#details() }, this.metrics, {
        store: this.#identity.store,
        identity: this.#identity.cache,
        usageLedger: this.#usageLedger,
        credentials: this.#identity.credentials,
        tokens,
        runningConfig: {
          config: () => this.#runtime.loaded.config,
          providers: () => [...this.#runtime.providers.values()].map((provider) => provider.settings),
          storedCredential: (name) => this.#identity.credentials.get(name) !== undefined,
          holdsCredential: (name) => this.#runtime.providers.get(name)?.holdsCredential === true,
        },
        configReloads: {
          source: () => this.#runtime.loaded.source,
          loadedAt: () => this.#loadedAt,
          last: () => this.#lastReload,
          reload: () => this.reloadOutcome('admin_api'),
        },
        refreshSiblings: announce === undefined ? undefined : () => this.#announceStoreChange(announce),
        logger: this.logger,
      }, this.logger);
      this.adminPort = await this.#admin.listen(this.#options.adminPort ?? config.admin.port, config.admin.host, config.admin.allowed_hosts);
      // A short token falls to guessing (the lockout slows one address, not many).
      tokens.forEach((entry, index) => {
        if (entry.token.length < minimumAdminTokenLength) this.logger.warn({ token: entry.name ?? `#${index + 1}` }, `an admin token is shorter than ${minimumAdminTokenLength} characters and can be guessed: use a long random one (openssl rand -hex 24)`);
      });
      // The variables' tokens are read only when the config names none.
      if (config.admin.tokens.length === 0) {
        if (tokens.length > 0) this.logger.info('admin.tokens is empty: the Admin API takes the token in TOLLGATE_ADMIN_TOKEN (and TOLLGATE_VIEWER_TOKEN, read only)');
        else this.logger.warn('admin.tokens is empty and TOLLGATE_ADMIN_TOKEN is not set: the Admin API answers only /healthz, /readyz, /metrics and /openapi.json; set TOLLGATE_ADMIN_TOKEN or admin.tokens to manage keys');
      }
    }
    this.#listening = true;
    this.#usageRetention.start();
    if (this.#options.configPath) this.#watch(this.#options.configPath);
    const summary = this.#runtime.summary();
    this.logger.info(
      { listen: `http://${config.server.host}:${this.port}`, admin: this.#admin ? `http://${config.admin.host}:${this.adminPort}` : 'disabled', config: this.#runtime.loaded.source, providers: summary.providers, models: summary.models, routes: summary.routes },
      `Tollgate listening on http://${config.server.host}:${this.port} (admin ${this.#admin ? `http://${config.admin.host}:${this.adminPort}` : 'disabled'}); providers: ${summary.providers.join(', ')}; models: ${summary.models.join(', ') || '(none; use provider/model)'}`,
    );
    const open = this.#runtime.unauthenticatedProviders();
    if (open.length > 0 && !isLoopbackHost(config.server.host)) {
      this.logger.warn(
        { listen: config.server.host, providers: open },
        `the data plane listens on ${config.server.host} without an authentication plugin: anyone who can reach port ${this.port} calls ${open.join(', ')} with this gateway's credentials. Turn key-auth on (plugins: { key-auth: {} }) or listen on 127.0.0.1 (server.host, TOLLGATE_HOST)`,
      );
    }
    if (open.length > 0 && this.#runtime.cors?.anyOrigin) {
      this.logger.warn(
        { providers: open },
        `server.cors allows any origin ("*") and the data plane has no authentication plugin: any web page a browser shows can call ${open.join(', ')} with this gateway's credentials. List the origins of your pages instead, or turn key-auth on`,
      );
    }
    // Logs are buffered (telemetry/logger.ts); whoever waits for this line gets it now.
    this.logger.flush();
  }

  /** Rereads the store's keys, consumers, teams and credentials now (another worker of this node wrote them). */
  async refreshStore(): Promise<void> {
    await Promise.all([this.#identity.cache.refresh(), this.#identity.credentials.refresh()]);
  }

  async #announceStoreChange(announce: () => Promise<readonly number[] | null>): Promise<void> {
    const late = await announce();
    if (late === null) this.logger.warn('the workers\' primary did not confirm that the other workers applied an Admin API change; they apply it with their next poll of the store, within about a second');
    else if (late.length > 0) this.logger.warn({ workers: late }, `worker processes ${late.join(', ')} did not confirm in time that they applied an Admin API change; they apply it with their next poll of the store, within about a second`);
  }

  #details(): Record<string, unknown> {
    const summary = this.#runtime.summary();
    return { config: this.#runtime.loaded.source, providers: summary.providers, models: summary.models, in_flight: this.#dataPlane.inFlight };
  }

  /**
   * Reloads when the config file changes. The folder is watched, not the file: a watch on a file
   * follows its inode, which an editor's save (a new file renamed over it) or a Kubernetes
   * ConfigMap update (the kubelet renames a new `..data` link over the old one; the file is a
   * link through it) leaves behind, so only the first change would be seen. Events for other
   * entries of the folder are ignored, but for the `..`-named ones of a ConfigMap mount. A change
   * is loaded once the file has read the same for a moment (settled-file.ts).
   */
  #watch(path: string): void {
    const file = basename(path);
    let timer: NodeJS.Timeout | undefined;
    let generation = 0;
    const reloadWhenSettled = async () => {
      const mine = ++generation;
      if (await waitUntilSettled(path, () => mine === generation && !this.#stopping)) await this.reload('file');
    };
    try {
      this.#watcher = watch(dirname(resolve(path)), (_event, changed) => {
        if (changed !== null && changed !== file && !changed.startsWith('..')) return;
        clearTimeout(timer);
        timer = setTimeout(() => void reloadWhenSettled(), 100);
      });
      this.#watcher.unref();
    } catch (error) {
      this.logger.warn({ err: error, path }, 'cannot watch the config file; reload with SIGHUP');
    }
  }

  /**
   * Loads the config again and swaps it in. A bad file is rejected and logged, and the running
   * config stays. Requests in flight finish on the config they started with. Listener addresses,
   * the admin settings and the others restart-only-settings.ts lists apply only after a restart:
   * a reload that changes one of them logs a warning naming it (never a secret's value).
   */
  async reload(trigger: ReloadTrigger = 'signal'): Promise<boolean> {
    return (await this.reloadOutcome(trigger))?.result === 'applied';
  }

  /** As reload, answering how it ended (also kept for GET /config/status); null while stopping. */
  async reloadOutcome(trigger: ReloadTrigger): Promise<ReloadOutcome | null> {
    if (this.#stopping) return null;
    try {
      const loaded = await Gateway.#load(this.#options);
      // A plugin or provider type the running config did not use has its code imported now, and a changed custom plugin file again.
      const pluginDefinitions = await loadImplementations(loaded.config, this.#dependencies, Gateway.#origin(loaded, this.#options));
      const next = Runtime.build(loaded, { ...this.#dependencies, pluginDefinitions }, this.#runtime);
      const previous = this.#runtime;
      this.#runtime = next;
      next.announce();
      void previous.close();
      this.#usageLedger.configure(ledgerSettingsOf(loaded.config.usage));
      this.#usageRetention.configure({ retentionDays: loaded.config.usage.retention_days, rollup: loaded.config.usage.rollup });
      this.metrics.configReloads.inc({ result: 'success' });
      const waiting = changedRestartOnlySettings(this.#startConfig, loaded.config);
      for (const { setting, ...values } of waiting) {
        const shown = 'file' in values ? `: running ${JSON.stringify(values.running)}, the file says ${JSON.stringify(values.file)}` : ' (value not shown)';
        this.logger.warn({ setting, ...values }, `${setting} changed in the config file but applies only at the next start${shown}; restart the gateway to apply it`);
      }
      this.logger.info({ config: loaded.source, providers: next.summary().providers, ...(waiting.length > 0 && { restart_needed: waiting.map((entry) => entry.setting) }) }, waiting.length > 0 ? `configuration reloaded; not applied until a restart: ${waiting.map((entry) => entry.setting).join(', ')}` : 'configuration reloaded');
      this.#loadedAt = new Date().toISOString();
      this.#lastReload = { at: this.#loadedAt, trigger, result: 'applied', problems: [], restart_needed: waiting.map((entry) => entry.setting) };
      return this.#lastReload;
    } catch (error) {
      this.metrics.configReloads.inc({ result: 'failure' });
      const problems = (error as { problems?: string[] }).problems;
      this.logger.error({ problems, message: (error as Error).message }, 'configuration reload rejected; keeping the running configuration');
      // A ConfigError's problems are masked; anything else (a failure no config check caught) is said by the log only.
      this.#lastReload = { at: new Date().toISOString(), trigger, result: 'rejected', problems: problems ?? ['the reload failed unexpectedly: see the gateway\'s log'], restart_needed: [] };
      return this.#lastReload;
    }
  }

  /** Graceful stop: stop accepting, drain in-flight requests (up to drain_timeout), close. */
  stop(drainMs = toMilliseconds(this.#runtime.loaded.config.server.drain_timeout)): Promise<void> {
    this.#stopping ??= (async () => {
      this.logger.info({ inFlight: this.#dataPlane.inFlight, drainMs }, 'shutting down: draining requests in flight');
      this.#watcher?.close();
      // Past the drain the data plane ends what still runs with 503 shutting_down and waits for
      // their log phase, but a stream whose client stopped reading cannot finish: its socket is
      // full. It finished only once its connection was closed, after the ledger's last write, and
      // its record was lost. Its connection is closed a second after the drain instead, while the
      // data plane still waits for it, so its record is queued in time.
      const cut = setTimeout(() => this.#dataPlane.server.closeAllConnections(), drainMs + 1000);
      try {
        await this.#dataPlane.close(drainMs);
      } finally {
        clearTimeout(cut);
      }
      await this.#admin?.close();
      await this.#runtime.close();
      // After the drain: every finished request's usage record is queued; write them all. Side by
      // side with the pollers' stop: each waits a bounded time for a store that may not answer.
      await Promise.all([this.#usageLedger.close(), this.#usageRetention.stop(), this.#identity.cache.stop(), this.#identity.credentials.stop()]);
      await this.#identity.store.close();
      await this.#upstream.close();
      this.logger.info('stopped');
      this.logger.flush();
    })();
    return this.#stopping;
  }
}
