import { parentPort, workerData } from 'node:worker_threads';

/**
 * Runs in a worker thread and wakes the load generator when requests are due. Node's timers
 * have 1 ms resolution, which would make requests leave up to 1 ms late (and that lateness would
 * be counted as latency); Atomics.wait sleeps with sub-millisecond precision without spinning a
 * core that the stand-in upstream shares. Posts the index up to which requests are due.
 */
export interface TickerSettings {
  /** performance.timeOrigin + performance.now() of request 0. */
  startAt: number;
  interval: number;
  total: number;
}

const settings = workerData as TickerSettings;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const now = () => performance.timeOrigin + performance.now();
let due = 0;
while (due < settings.total) {
  const wait = settings.startAt + due * settings.interval - now();
  if (wait > 0.02) Atomics.wait(sleeper, 0, 0, wait);
  const at = now();
  while (due < settings.total && settings.startAt + due * settings.interval <= at) due++;
  parentPort?.postMessage(due);
}
