import type { LatencySummary } from './histogram.ts';

/** One HTTP request the load generator repeats. */
export interface RequestShape {
  /** http://127.0.0.1:PORT */
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** An SSE request: time to first byte is measured and the stream must end with `[DONE]`. */
  stream: boolean;
  /**
   * What a stream's last event holds instead of `[DONE]` (OpenAI's Responses API ends with
   * `response.completed`, whose event carries the whole response, so the check looks further back).
   */
  endMarker?: string;
}

/** The end of a stream the generator keeps, and what must be in it, for a request. */
export function streamEnd(request: RequestShape): { marker: Buffer; keep: number } {
  return request.endMarker === undefined ? { marker: Buffer.from('[DONE]'), keep: 32 } : { marker: Buffer.from(request.endMarker), keep: 4096 };
}

/** A fixed-rate (open-loop) measurement: requests leave on schedule whatever the target does. */
export interface OpenLoopJob {
  kind: 'open-loop';
  request: RequestShape;
  /** Requests per second. */
  rate: number;
  /** Sent at the same rate before measuring; not recorded. */
  warmupMs: number;
  durationMs: number;
  /** Most connections the generator opens (requests beyond wait in its queue, and that wait counts). */
  connections: number;
  /** How long requests still in flight after the schedule may take before they count as errors. */
  drainMs: number;
}

/** A max-throughput (closed-loop) measurement: N connections, each sends again when answered. */
export interface ClosedLoopJob {
  kind: 'closed-loop';
  request: RequestShape;
  connections: number;
  warmupMs: number;
  durationMs: number;
}

/**
 * Exactly `concurrency` requests in flight: each of N loops sends its next request when the last
 * one ends (for streams held open at once, where what matters is how many, e.g. for memory).
 * Latencies are from the actual send.
 */
export interface ConcurrencyJob {
  kind: 'concurrency';
  request: RequestShape;
  concurrency: number;
  /** The loops start spread over this time, then run; nothing started before its end is recorded. */
  warmupMs: number;
  durationMs: number;
  drainMs: number;
}

/** Requests (one of each kind) to check that a target answers the way the measurements expect. */
export interface ProbeJob {
  kind: 'probe';
  requests: RequestShape[];
}

export type LoadJob = OpenLoopJob | ConcurrencyJob | ClosedLoopJob | ProbeJob;

/** Errors of one measurement; any of them makes it invalid. */
export interface ErrorCounts {
  /** Answers with a status outside 200-299. */
  non2xx: number;
  /** Connection refused/reset, parse failures, client-side timeouts. */
  socket: number;
  /** Streams that ended without `[DONE]`. */
  incomplete: number;
  /** Requests still unanswered when the drain time ran out. */
  unfinished: number;
  /** A few distinct messages, to say what went wrong. */
  samples: string[];
}

export interface OpenLoopResult {
  kind: 'open-loop' | 'concurrency';
  /** Open loop: the offered rate. Fixed concurrency: the rate requests were started at. */
  rate: number;
  durationMs: number;
  /** Requests scheduled inside the measured window (after warm-up). */
  measured: number;
  /** Of those, answered in full with a 2xx status. */
  succeeded: number;
  errors: ErrorCounts;
  /** From each request's scheduled send time to the last byte of the answer. */
  latency: LatencySummary;
  /** Streams only: from the scheduled send time to the first byte of the body. */
  firstByte: LatencySummary | null;
  /** How late the generator itself sent requests (its timer resolution); part of `latency`. Open loop only. */
  sendLag: LatencySummary | null;
  /** Most requests in flight at once during the measured window. */
  peakInFlight: number;
}

export interface ClosedLoopResult {
  kind: 'closed-loop';
  connections: number;
  durationMs: number;
  /** 2xx answers per second over the measured duration. */
  requestsPerSecond: number;
  succeeded: number;
  errors: ErrorCounts;
  /** autocannon's latency (from the actual send; closed loop), for reference only. */
  latency: { p50: number; p90: number; p99: number; max: number };
}

export interface ProbeResult {
  kind: 'probe';
  ok: boolean;
  /** What the first failing request got (status, the start of the body). */
  problem: string | null;
}

export type LoadResult = OpenLoopResult | ClosedLoopResult | ProbeResult;

export function noErrors(): ErrorCounts {
  return { non2xx: 0, socket: 0, incomplete: 0, unfinished: 0, samples: [] };
}

export function errorTotal(errors: ErrorCounts): number {
  return errors.non2xx + errors.socket + errors.incomplete + errors.unfinished;
}

export function noteError(errors: ErrorCounts, message: string): void {
  if (errors.samples.length < 5 && !errors.samples.includes(message)) errors.samples.push(message);
}
