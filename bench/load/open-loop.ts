import { Worker } from 'node:worker_threads';
import { Pool } from 'undici';
import { LatencyHistogram } from './histogram.ts';
import { noErrors, noteError, streamEnd, type OpenLoopJob, type OpenLoopResult } from './load-job.ts';
import type { TickerSettings } from './schedule-ticker.ts';

// Times are absolute (timeOrigin + now) because the ticker thread has its own clock origin.
const now = () => performance.timeOrigin + performance.now();

/**
 * Open-loop load at a fixed rate (wrk2's method). Request i is due at start + i/rate and its
 * latency is measured from that scheduled time, not from when it actually left: a target that
 * stalls makes every request behind the stall late, and that lateness is counted (no coordinated
 * omission). The generator's own lateness (timer resolution) is recorded separately as sendLag.
 */
export async function runOpenLoop(job: OpenLoopJob): Promise<OpenLoopResult> {
  const { request } = job;
  const end = streamEnd(request);
  const pool = new Pool(request.origin, { connections: job.connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const body = Buffer.from(request.body);
  const headers = { ...request.headers, 'content-type': 'application/json' };
  const interval = 1000 / job.rate;
  const warmupCount = Math.round((job.warmupMs / 1000) * job.rate);
  const total = warmupCount + Math.round((job.durationMs / 1000) * job.rate);

  const latency = new LatencyHistogram();
  const firstByte = request.stream ? new LatencyHistogram() : null;
  const sendLag = new LatencyHistogram();
  const errors = noErrors();
  let succeeded = 0;
  // Cleared when the drain time runs out: answers arriving after that are counted as unfinished.
  let recording = true;
  let inFlight = 0;
  let peakInFlight = 0;
  let finished = 0;
  let allFinished: () => void = () => {};
  const everyoneDone = new Promise<void>((resolve) => {
    allFinished = resolve;
  });

  const complete = () => {
    inFlight--;
    finished++;
    if (finished === total) allFinished();
  };

  const send = (index: number, scheduledAt: number) => {
    const measured = index >= warmupCount;
    const sentAt = now();
    if (measured) {
      sendLag.record(sentAt - scheduledAt);
      inFlight++;
      if (inFlight > peakInFlight) peakInFlight = inFlight;
    } else {
      inFlight++;
    }
    pool.request({ path: request.path, method: 'POST', headers, body }).then(
      ({ statusCode, body: answer }) => {
        let firstPieceAt = 0;
        let tail: Buffer = Buffer.alloc(0);
        answer.on('data', (piece: Buffer) => {
          if (firstPieceAt === 0) firstPieceAt = now();
          if (request.stream) tail = piece.length >= end.keep ? piece : Buffer.concat([tail, piece]).subarray(-end.keep);
        });
        answer.on('error', (error: Error) => {
          if (measured && recording) {
            errors.socket++;
            noteError(errors, `body: ${error.message}`);
          }
          complete();
        });
        answer.on('end', () => {
          const endedAt = now();
          if (measured && recording) {
            if (statusCode < 200 || statusCode > 299) {
              errors.non2xx++;
              noteError(errors, `status ${statusCode}`);
            } else if (request.stream && !tail.includes(end.marker)) {
              errors.incomplete++;
              noteError(errors, `stream ended without ${end.marker.toString()}`);
            } else {
              succeeded++;
              latency.record(endedAt - scheduledAt);
              firstByte?.record((firstPieceAt || endedAt) - scheduledAt);
            }
          }
          complete();
        });
      },
      (error: Error & { code?: string }) => {
        if (measured && recording) {
          errors.socket++;
          noteError(errors, error.code ?? error.message);
        }
        complete();
      },
    );
  };

  const startedAt = now() + 20;
  let next = 0;
  const ticker = new Worker(new URL('./schedule-ticker.ts', import.meta.url), { workerData: { startAt: startedAt, interval, total } satisfies TickerSettings });
  await new Promise<void>((resolve, reject) => {
    ticker.on('message', (dueUpTo: number) => {
      while (next < dueUpTo) {
        send(next, startedAt + next * interval);
        next++;
      }
      if (next >= total) resolve();
    });
    ticker.once('error', reject);
  });
  await ticker.terminate();

  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([everyoneDone, new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, job.drainMs)))]);
  clearTimeout(drainTimer);
  recording = false;
  const measuredCount = total - warmupCount;
  const unfinished = measuredCount - succeeded - errors.non2xx - errors.socket - errors.incomplete;
  if (unfinished > 0) {
    errors.unfinished = unfinished;
    noteError(errors, `${unfinished} requests unanswered ${job.drainMs} ms after the schedule ended`);
  }
  await pool.destroy().catch(() => {});
  return {
    kind: 'open-loop',
    rate: job.rate,
    durationMs: job.durationMs,
    measured: measuredCount,
    succeeded,
    errors,
    latency: latency.summary(),
    firstByte: firstByte?.summary() ?? null,
    sendLag: sendLag.summary(),
    peakInFlight,
  };
}
