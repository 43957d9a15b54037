import { Pool } from 'undici';
import { LatencyHistogram } from './histogram.ts';
import { noErrors, noteError, streamEnd, type ConcurrencyJob, type OpenLoopResult } from './load-job.ts';

/**
 * Holds exactly `concurrency` requests in flight: N loops, each sending its next request as soon
 * as the last one ended. The loops start spread over the warm-up so that the streams do not all
 * begin (and end) together. Requests started inside the measured window are recorded, timed from
 * their actual send: this is for "N streams open at once" (memory), not for latency without
 * coordinated omission (the open loop is).
 */
export async function runFixedConcurrency(job: ConcurrencyJob): Promise<OpenLoopResult> {
  const { request } = job;
  const end = streamEnd(request);
  const pool = new Pool(request.origin, { connections: job.concurrency + 16, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const body = Buffer.from(request.body);
  const headers = { ...request.headers, 'content-type': 'application/json' };
  const latency = new LatencyHistogram();
  const firstByte = request.stream ? new LatencyHistogram() : null;
  const errors = noErrors();
  const startedAt = performance.now();
  const measureFrom = startedAt + job.warmupMs;
  const measureUntil = measureFrom + job.durationMs;
  let measured = 0;
  let succeeded = 0;
  let recording = true;

  const once = async (): Promise<void> => {
    const sentAt = performance.now();
    const counted = sentAt >= measureFrom;
    if (counted) measured++;
    try {
      const { statusCode, body: answer } = await pool.request({ path: request.path, method: 'POST', headers, body });
      let firstPieceAt = 0;
      let tail: Buffer = Buffer.alloc(0);
      for await (const piece of answer) {
        if (firstPieceAt === 0) firstPieceAt = performance.now();
        if (request.stream) tail = (piece as Buffer).length >= end.keep ? (piece as Buffer) : Buffer.concat([tail, piece as Buffer]).subarray(-end.keep);
      }
      const endedAt = performance.now();
      if (!counted || !recording) return;
      if (statusCode < 200 || statusCode > 299) {
        errors.non2xx++;
        noteError(errors, `status ${statusCode}`);
      } else if (request.stream && !tail.includes(end.marker)) {
        errors.incomplete++;
        noteError(errors, `stream ended without ${end.marker.toString()}`);
      } else {
        succeeded++;
        latency.record(endedAt - sentAt);
        firstByte?.record((firstPieceAt || endedAt) - sentAt);
      }
    } catch (error) {
      if (!counted || !recording) return;
      errors.socket++;
      noteError(errors, (error as { code?: string }).code ?? (error as Error).message);
    }
  };

  const loop = async (index: number): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, (index / job.concurrency) * job.warmupMs * 0.8));
    while (performance.now() < measureUntil) await once();
  };
  const loops = Promise.all(Array.from({ length: job.concurrency }, (_, index) => loop(index)));
  let drainTimer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, job.warmupMs + job.durationMs + job.drainMs)));
  await Promise.race([loops, deadline]);
  clearTimeout(drainTimer);
  recording = false;
  const unfinished = measured - succeeded - errors.non2xx - errors.socket - errors.incomplete;
  if (unfinished > 0) {
    errors.unfinished = unfinished;
    noteError(errors, `${unfinished} requests unanswered ${job.drainMs} ms after the measured window`);
  }
  await pool.destroy().catch(() => {});
  return {
    kind: 'concurrency',
    rate: Math.round(measured / (job.durationMs / 1000)),
    durationMs: job.durationMs,
    measured,
    succeeded,
    errors,
    latency: latency.summary(),
    firstByte: firstByte?.summary() ?? null,
    sendLag: null,
    peakInFlight: job.concurrency,
  };
}
