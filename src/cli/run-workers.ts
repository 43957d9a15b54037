import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { serveClusterMetrics } from '../telemetry/cluster-metrics.ts';
import { exitAfterLogs } from '../telemetry/logger.ts';
import { takeStopSignals, type StopSignal } from './stop-signals.ts';
import { relayStoreChanges } from './worker-store-changes.ts';

/** How many gateway processes `server.workers` asks for. */
export function workerCountOf(setting: number | 'auto'): number {
  return setting === 'auto' ? availableParallelism() : setting;
}

/** The environment variable that tells a forked process which worker it is (1-based). */
export const workerIndexVariable = 'TOLLGATE_WORKER_INDEX';

/** How long the primary waits before replacing a worker that died, and at most between tries when replacements fail (ms). */
const firstRestartDelayMs = 1000;
const longestRestartDelayMs = 30_000;

/**
 * The environment variable that gives a forked worker the settings that apply only at a start, as
 * the primary read them when the gateway started (StartSettings): a worker that replaces one that
 * died takes them from here, not from the file as it is then, so it joins the others on the same
 * port, Admin port and store whatever the file says now.
 */
export const startSettingsVariable = 'TOLLGATE_START_SETTINGS';

/** The restart-only settings the workers share (startSettingsVariable). */
export interface StartSettings {
  port: number;
  adminPort: number;
  storage: string;
}

/** A worker's start settings from its environment, or undefined outside a worker. */
export function startSettingsOf(env: NodeJS.ProcessEnv): StartSettings | undefined {
  const text = env[startSettingsVariable];
  return text === undefined ? undefined : (JSON.parse(text) as StartSettings);
}

/** What a worker sends its primary once its listeners are up. */
export const workerListeningMessage = 'tollgate:worker-listening';

/**
 * The primary process of `server.workers: N`: it forks N gateway processes that listen on the
 * same data-plane port, each on a socket of its own with SO_REUSEPORT (the kernel spreads
 * connections evenly between them; DataPlaneServer.listen), forwards SIGTERM/SIGINT (graceful
 * drain) and SIGHUP (reload), and replaces a worker that dies unexpectedly. Worker 1 starts first
 * and alone, so store migrations never run twice at once; it also runs the Admin listener, whose
 * /metrics sums every worker's metrics through this process (telemetry/cluster-metrics.ts), and
 * whose writes every other worker applies before they are answered (worker-store-changes.ts).
 */
export async function runWorkers(count: number, logger: Logger, startSettings: StartSettings): Promise<void> {
  // A listener the cluster shares (worker 1's Admin listener, a data plane on port 0) is accepted
  // by the workers themselves: no round trip through the primary per connection.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  // Worker 1's /metrics asks here for every worker's metrics, and its Admin API has the other
  // workers apply each write before answering it.
  serveClusterMetrics();
  relayStoreChanges();
  const workers = new Map<number, Worker>();
  let stopping = false;
  /**
   * SIGTERM/SIGINT, from before the first fork: every worker gets SIGTERM (one still starting stops
   * at once, one that runs drains), and the primary exits 0 once they all have. While they drain, a
   * second SIGTERM is logged and ignored (as in a single process, run-command.ts), and a second
   * SIGINT (Ctrl-C again) kills them and exits 1. Ctrl-C reaches the workers too (same process
   * group); they treat SIGINT and SIGTERM alike, as one drain.
   */
  const stop = (signal: StopSignal) => {
    if (stopping) {
      if (signal === 'SIGTERM') return void logger.warn({ signal }, 'SIGTERM while the workers drain: ignored, the drain goes on (send SIGINT, Ctrl-C, to exit at once)');
      logger.warn({ signal }, 'SIGINT while the workers drain: stopping them now; requests still in flight are cut and not recorded');
      for (const worker of workers.values()) worker.process.kill('SIGKILL');
      exitAfterLogs(logger, 1);
      return;
    }
    stopping = true;
    for (const worker of workers.values()) worker.process.kill('SIGTERM');
    const exited = () => {
      if (workers.size === 0) exitAfterLogs(logger, 0);
    };
    for (const worker of workers.values()) worker.once('exit', exited);
    exited();
  };
  takeStopSignals(stop);
  process.on('SIGHUP', () => {
    for (const worker of workers.values()) worker.process.kill('SIGHUP');
  });

  const fork = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ [workerIndexVariable]: String(index), [startSettingsVariable]: JSON.stringify(startSettings) });
      workers.set(index, worker);
      let listened = false;
      const onMessage = (message: unknown) => {
        if ((message as { type?: unknown } | null)?.type !== workerListeningMessage) return;
        worker.off('message', onMessage);
        listened = true;
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('exit', (code, signal) => {
        workers.delete(index);
        // One that never started (bad config, port in use) is not restarted: the start fails.
        if (!listened) return reject(new Error(`worker ${index} exited before listening (code ${code}, signal ${signal})`));
        if (stopping) return;
        logger.error({ worker: index, code, signal }, 'a gateway worker died; starting a new one');
        restart(index, firstRestartDelayMs);
      });
    });

  /**
   * Starts a replacement for worker `index` after `delayMs`. One that cannot start (its store
   * unreachable at that moment, say) is tried again, twice as long after each failure up to 30 s,
   * for as long as the gateway runs: giving up after one try had left the port with no process, or
   * the primary with nothing to wait for, so it exited. The timer keeps the primary alive meanwhile.
   */
  const restart = (index: number, delayMs: number): void => {
    setTimeout(() => {
      if (stopping) return;
      fork(index).then(
        () => {
          if (delayMs > firstRestartDelayMs) logger.info({ worker: index }, `gateway worker ${index} started again`);
        },
        (error: unknown) => {
          if (stopping) return;
          const next = Math.min(delayMs * 2, longestRestartDelayMs);
          logger.error({ err: error, worker: index, retry_in_ms: next }, `could not restart gateway worker ${index}; trying again in ${next / 1000} s`);
          restart(index, next);
        },
      );
    }, delayMs);
  };

  try {
    await fork(1);
    // A stop during worker 1's start: stop() exits once it has.
    if (stopping) return;
    await Promise.all(Array.from({ length: count - 1 }, (_, offset) => fork(offset + 2)));
  } catch (error) {
    // Workers that ended because of a stop signal: stop() exits once they all have.
    if (stopping) return;
    stopping = true;
    for (const worker of workers.values()) worker.process.kill('SIGTERM');
    throw error;
  }
  if (stopping) return;
  logger.info({ workers: count }, `Tollgate running ${count} worker processes`);
}
