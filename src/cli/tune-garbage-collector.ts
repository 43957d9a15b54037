import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8 settings of every gateway process, set before the rest of the gateway is loaded (main.ts
 * imports this module first), so they hold however the process was started: `npm start`, the
 * `tollgate` command, a `server.workers` process.
 *
 * No allocation-site pretenuring: V8 allocates straight into the old generation the objects of
 * any code whose objects mostly survived a young-generation collection. During a burst (start-up
 * while the code is still unoptimized, a pause that lets requests pile up) that is true of the
 * request path itself, and from then on every request's objects (headers, contexts, bodies,
 * closures) went to the old generation: at 2,000 req/s the production stack promoted about
 * 30 MB/s, a full collection every 0.8 s, each costing tens of milliseconds of the one core. Without
 * it a request's garbage dies young: one full collection in about 12 s, scavenges of 0.5-1 ms
 * instead of 5-7 ms (README, Operations: Garbage collection). A process started with the flag
 * spelled out either way (`node --allocation-site-pretenuring ...`) keeps what it was given.
 */
const pretenuringFlag = /^--(no-)?allocation[-_]site[-_]pretenuring$/;
if (!process.execArgv.some((argument) => pretenuringFlag.test(argument))) setFlagsFromString('--no-allocation-site-pretenuring');

type CollectGarbage = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * One memory-reducing full collection, once the gateway has started: start-up (config parsing,
 * schema and route compilation, module loading) grows the young generation to its largest size
 * and leaves it full of garbage, ~15 MiB of resident memory an idle gateway kept until its first
 * traffic. The collection frees it and shrinks the young generation back (V8 grows it again when
 * traffic needs it). About 50 ms, before the first request is likely to arrive. The gc function
 * comes from V8's own `--expose-gc`, enabled just long enough to read it in a new context (it is
 * not put on the gateway's own global object).
 */
export function releaseStartUpGarbage(): void {
  setFlagsFromString('--expose-gc');
  const collectGarbage = runInNewContext('gc') as CollectGarbage;
  setFlagsFromString('--no-expose-gc');
  collectGarbage({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
