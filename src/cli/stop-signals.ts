import { parseArgs } from 'node:util';

/**
 * SIGTERM and SIGINT of `tollgate start` from the process's first moments. main.ts imports this
 * module before the rest of the command loads (a few hundred milliseconds of it): until then a
 * signal nobody handles ends a process at once with exit 143, or is ignored when the process is
 * PID 1 (a container), so a supervisor that stopped the gateway as soon as it saw it got either an
 * abrupt end or one it had to wait out.
 *
 * Until the gateway serves (its code loading, its config, the store opening and migrating, which
 * may wait up to the store's connect_timeout, its ports binding), a stop signal ends the process
 * at once with exit code 0: nothing has been served, and a migration in progress is rolled back by
 * its transaction. Once it serves, the command takes the signals over (takeStopSignals) to drain.
 * The other commands keep Node's default.
 */
export type StopSignal = 'SIGTERM' | 'SIGINT';

/** `tollgate start` (the options main's parseArgs knows may come before or after it), not `start --help`. */
function isStartCommand(args: string[]): boolean {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: false, options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } } });
  return positionals[0] === 'start' && values.help !== true;
}

function stopDuringStartUp(signal: StopSignal): void {
  process.stderr.write(`tollgate: ${signal} during start-up: stopped before serving\n`);
  process.exit(0);
}

let handler: (signal: StopSignal) => void = stopDuringStartUp;

if (isStartCommand(process.argv.slice(2))) {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => handler(signal));
}

/** `tollgate start`, once the gateway serves (or the workers' primary forks): stop signals go to `handle` from now on. */
export function takeStopSignals(handle: (signal: StopSignal) => void): void {
  handler = handle;
}
