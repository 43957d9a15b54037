// The `tollgate` command (main.ts imports it once V8's settings and the stop signals are in place).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/format-issues.ts';
import type { Gateway } from '../gateway/gateway.ts';
import { runWorkers, startSettingsOf, workerCountOf, workerIndexVariable, workerListeningMessage, type StartSettings } from './run-workers.ts';
import { identityUsage, runIdentityCommand } from './identity-commands.ts';
import { runMigrateCommand } from './migrate-command.ts';
import { takeStopSignals } from './stop-signals.ts';
import { releaseStartUpGarbage } from './tune-garbage-collector.ts';
import { runUsageCommand, usageCommandUsage } from './usage-command.ts';

const usage = `Usage: tollgate <command>

Commands:
  start [--config FILE]        Start the gateway (data plane + admin listener).
  config validate [FILE]       Check a config file (default: the one start would load); prints
                               every problem with its path.
  config schema                Print the config's JSON Schema (for editors; plugin settings included).
  migrate [--storage URL]      Bring the store (SQLite/PostgreSQL) up to this version's schema.

${identityUsage}

${usageCommandUsage}

Config file for start (and config validate without FILE): --config, else $TOLLGATE_CONFIG, else
./tollgate.yaml, else the bundled tollgate.example.yaml.`;

const bundledExample = fileURLToPath(new URL('../../tollgate.example.yaml', import.meta.url));

/** The file start loads when none is named (the README's lookup); `config validate` without a file checks it too. */
function defaultConfigPath(): string {
  if (process.env.TOLLGATE_CONFIG) return process.env.TOLLGATE_CONFIG;
  if (existsSync('tollgate.yaml')) return 'tollgate.yaml';
  return bundledExample;
}

/** What to change when a listener could not be opened (the address names the listener's host and port). */
function listenHint(error: unknown): string {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (syscall !== 'listen') return '';
  if (code === 'EADDRINUSE') return ' (another process listens on that port: stop it, or change server.port or admin.port; the example config reads TOLLGATE_PORT and TOLLGATE_ADMIN_PORT)';
  if (code === 'EACCES') return ' (ports below 1024 need privileges: use a higher server.port or admin.port)';
  if (code === 'EADDRNOTAVAIL') return ' (server.host or admin.host is an address this machine does not have: 0.0.0.0 listens on every interface)';
  return '';
}

// The gateway and its providers are imported only by the commands that need them, so the
// Admin API commands (keys, consumers, teams) start quickly.
// Until the gateway serves, a stop signal ends the process at once (stop-signals.ts).
async function start(configPath: string): Promise<void> {
  const workerIndex = process.env[workerIndexVariable];
  if (workerIndex === undefined) {
    // The primary of server.workers > 1 only forks and supervises; one worker runs in-process.
    let workers = 1;
    let storage = '';
    let startSettings: StartSettings = { port: 0, adminPort: 0, storage: '' };
    try {
      const { loadConfigFile } = await import('../config/load-config.ts');
      const { config } = await loadConfigFile(configPath);
      workers = workerCountOf(config.server.workers);
      storage = config.storage;
      startSettings = { port: config.server.port, adminPort: config.admin.port, storage: config.storage };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    // Each worker would open a private database of its own: keys made through the Admin API would
    // work in one worker only, and reports would count one worker's requests.
    if (workers > 1 && storage.startsWith('sqlite::memory:')) {
      process.stderr.write(`server.workers: ${workers} processes cannot share storage "sqlite::memory:" (each would have a private, empty database): use a file (sqlite:./data/tollgate.db) or postgres://, or server.workers: 1\n`);
      process.exit(2);
    }
    if (workers > 1) {
      const { createLogger } = await import('../telemetry/logger.ts');
      const logger = createLogger({ level: 'info', format: 'auto' });
      await runWorkers(workers, logger, startSettings).catch((error: unknown) => {
        process.stderr.write(`tollgate: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      });
      return;
    }
  }
  const [{ Gateway }, { exitAfterLogs }] = await Promise.all([import('../gateway/gateway.ts'), import('../telemetry/logger.ts')]);
  let gateway: Gateway | undefined;
  process.on('SIGHUP', () => void gateway?.reload());
  let started: Gateway;
  // A worker listens for its siblings' Admin API writes before its gateway loads the store, so none falls between.
  const storeChanges = workerIndex === undefined ? undefined : (await import('./worker-store-changes.ts')).joinStoreChanges();
  try {
    // With several workers only the first runs the Admin listener (one port, one place to manage).
    // A worker takes the restart-only settings the gateway started with (run-workers.ts), not the file's now.
    const pinned = startSettingsOf(process.env);
    started = await Gateway.start({ configPath, adminEnabled: workerIndex === undefined || workerIndex === '1' ? undefined : false, ownListenSocket: workerIndex !== undefined, announceStoreChange: storeChanges?.announce, ...(pinned === undefined ? {} : { port: pinned.port, adminPort: pinned.adminPort, storage: pinned.storage }) });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    // A port in use, an unreachable or too-new database: the message says it; a stack would not help.
    process.stderr.write(`tollgate: cannot start: ${error instanceof Error ? error.message : String(error)}${listenHint(error)}\n`);
    process.exit(1);
  }
  gateway = started;
  // From here the first signal drains the gateway, then exits 0. A second SIGTERM is logged and
  // ignored: the drain goes on, so streams in flight still finish or get their shutting_down event
  // and ledger row (Kubernetes sends one SIGTERM, then SIGKILL once the grace period is over; a
  // second one comes from an impatient operator or supervisor). A second SIGINT, Ctrl-C pressed
  // again at a terminal, forces the exit (1): what was still running is cut and not recorded.
  let signals = 0;
  const drain = () =>
    started.stop().then(
      () => exitAfterLogs(started.logger, 0),
      (error: unknown) => {
        started.logger.error({ err: error }, 'shutdown failed');
        exitAfterLogs(started.logger, 1);
      },
    );
  takeStopSignals((signal) => {
    signals++;
    if (signals === 1) return void drain();
    // A worker gets Ctrl-C from the terminal and SIGTERM from its primary: both mean one drain;
    // the primary kills its workers when it is forced (run-workers.ts).
    if (workerIndex !== undefined) return;
    if (signal === 'SIGINT') {
      started.logger.warn({ signal }, 'SIGINT while draining: exiting now; requests still in flight are cut and not recorded');
      exitAfterLogs(started.logger, 1);
      return;
    }
    started.logger.warn({ signal }, 'SIGTERM while draining: ignored, the drain goes on (send SIGINT, Ctrl-C, to exit at once)');
  });
  if (workerIndex !== undefined) {
    await storeChanges!.serve(() => started.refreshStore());
    // Every worker lets the primary read its metrics; worker 1's /metrics serves them all.
    const { shareClusterMetrics } = await import('../telemetry/cluster-metrics.ts');
    started.metrics.exposeFrom(shareClusterMetrics(started.metrics.registry));
    // The primary waits for this before it forks the next worker or says the gateway runs (a
    // worker's own SO_REUSEPORT socket is not the cluster's: no 'listening' event reaches it).
    process.send?.({ type: workerListeningMessage });
  }
  if (signals > 0) return;
  releaseStartUpGarbage();
}

/** Loads the file and builds everything a start would, without listening. */
async function validate(path: string): Promise<number> {
  const [{ loadConfigFile }, { Runtime }, { loadImplementations }, { GatewayMetrics }, { createLogger }, { UpstreamClient }, { pluginDefinitions }, { providerDefinitions }] = await Promise.all([
    import('../config/load-config.ts'),
    import('../gateway/runtime.ts'),
    import('../gateway/load-implementations.ts'),
    import('../telemetry/metrics.ts'),
    import('../telemetry/logger.ts'),
    import('../upstream/upstream-client.ts'),
    import('../plugins/registry.ts'),
    import('../providers/registry.ts'),
  ]);
  try {
    const loaded = await loadConfigFile(path);
    // With the config's custom plugins, imported from their files as a start would (paths from the config's folder).
    const plugins = await loadImplementations(loaded.config, { pluginDefinitions, providerDefinitions, env: process.env }, { source: loaded.source, folder: dirname(resolve(path)) });
    const logger = createLogger({ level: 'silent', format: 'json' });
    const upstream = new UpstreamClient({ connections: 1, keepAliveTimeout: 1000 });
    const runtime = Runtime.build(loaded, { providerDefinitions, pluginDefinitions: plugins, upstream, logger, metrics: new GatewayMetrics(), env: process.env });
    const summary = runtime.summary();
    await runtime.close();
    await upstream.close();
    process.stdout.write(`${path}: valid. providers: ${summary.providers.join(', ')}; models: ${summary.models.join(', ') || '(none)'}; routes: ${summary.routes}\n`);
    for (const name of loaded.missingEnv) process.stdout.write(`warning: environment variable ${name} is not set\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The commands that parse their own flags. */
const ownFlagCommands = new Set(['keys', 'consumers', 'teams', 'usage', 'migrate']);

/**
 * The arguments with flags written before a command that parses its own (`--admin-url URL teams
 * list`) moved after it, where that command reads them.
 */
function commandFirst(argv: string[]): string[] {
  if (argv.length === 0 || !argv[0]!.startsWith('-')) return argv;
  const at = argv.findIndex((argument) => ownFlagCommands.has(argument));
  if (at <= 0) return argv;
  return [argv[at]!, ...argv.slice(0, at), ...argv.slice(at + 1)];
}

async function main(rawArgv: string[]): Promise<void> {
  const argv = commandFirst(rawArgv);
  // The control-plane commands parse their own flags.
  if (['keys', 'consumers', 'teams'].includes(argv[0]!)) return void (process.exitCode = await runIdentityCommand(argv));
  if (argv[0] === 'usage') return void (process.exitCode = await runUsageCommand(argv.slice(1)));
  if (argv[0] === 'migrate') return void (process.exitCode = await runMigrateCommand(argv.slice(1)));
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } } });
  const [command, subcommand, argument] = positionals;
  if (command === 'start' && !values.help) return start(values.config ?? defaultConfigPath());
  if (values.help || command === undefined) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (command === 'config' && subcommand === 'schema') {
    const { configJsonSchema } = await import('../config/config-json-schema.ts');
    process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    return;
  }
  if (command === 'config' && subcommand === 'validate') {
    // Without a file, the one start would load: what an operator means by "is my config valid?".
    const named = argument ?? values.config;
    const path = named ?? defaultConfigPath();
    if (named === undefined) process.stdout.write(`checking ${path} (the file start would load: --config, $TOLLGATE_CONFIG, ./tollgate.yaml, else the bundled example)\n`);
    process.exitCode = await validate(path);
    // A timer or socket a custom plugin's module left open must not keep the check from ending.
    setTimeout(() => process.exit(), 1000).unref();
    return;
  }
  if (command === 'config') {
    process.stderr.write(`tollgate config: ${subcommand === undefined ? 'name what to do' : `unknown subcommand ${JSON.stringify(subcommand)}`}: config validate [FILE] (check a config file, by default the one start would load) or config schema (print its JSON Schema)\n`);
    process.exit(2);
  }
  process.stderr.write(`Unknown command: ${positionals.join(' ')}\n\n${usage}\n`);
  process.exit(2);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // A flag the command does not know, or one without its value: the message and the usage, no stack.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    process.stderr.write(`tollgate: ${(error as Error).message}\n\n${usage}\n`);
    process.exit(2);
  }
  process.stderr.write(`tollgate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
