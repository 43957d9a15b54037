import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type CollectGarbage = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * One full, memory-reducing garbage collection right after start-up. Loading the modules, the
 * config schema and the Admin API allocates enough for V8 to grow its young generation to the
 * maximum (`--max-semi-space-size`, 2 x 8 MiB with `npm start`) and keep it, resident, until
 * load comes; this collection shrinks it and drops start-up garbage: idle RSS 113 -> 95 MiB.
 * Takes tens of milliseconds, once. V8 offers the call only through `gc()`, which is exposed for
 * a throw-away context here, not to the gateway's own globals (nor to later worker threads).
 * Returns the milliseconds it took, or null when the runtime refused.
 */
export function collectStartupGarbage(): number | null {
  try {
    setFlagsFromString('--expose-gc');
    let collect: CollectGarbage;
    try {
      collect = runInNewContext('gc') as CollectGarbage;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
    const started = performance.now();
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    return Math.round(performance.now() - started);
  } catch {
    return null;
  }
}
