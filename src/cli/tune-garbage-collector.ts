import { setFlagsFromString } from 'node:v8';

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
