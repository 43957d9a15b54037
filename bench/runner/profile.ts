import type { StreamShape } from '../upstream.ts';

/** Durations, rates and concurrency of one run. */
export interface Profile {
  name: 'full' | 'quick';
  closedLoop: { connections: number; warmupMs: number; durationMs: number };
  /** Fixed rates (req/s) of the open-loop latency measurements. */
  rates: number[];
  openLoop: { warmupMs: number; durationMs: number };
  /** Time to first byte and total time at this many concurrent streams. */
  streams: StreamLoad;
  /** Many concurrent long streams, for the gateway's peak memory. */
  manyStreams: StreamLoad;
  /** Wait after start before reading the idle RSS. */
  idleSettleMs: number;
}

export interface StreamLoad {
  concurrency: number;
  shape: StreamShape;
  warmupMs: number;
  durationMs: number;
}

export const fullProfile: Profile = {
  name: 'full',
  closedLoop: { connections: 100, warmupMs: 2000, durationMs: 10_000 },
  rates: [500, 2000],
  openLoop: { warmupMs: 2000, durationMs: 10_000 },
  streams: { concurrency: 100, shape: { chunks: 20, delayMs: 20 }, warmupMs: 2000, durationMs: 10_000 },
  // Streams of 2 s: the warm-up must be longer than one stream to reach full concurrency.
  manyStreams: { concurrency: 1000, shape: { chunks: 20, delayMs: 100 }, warmupMs: 3000, durationMs: 10_000 },
  idleSettleMs: 1000,
};

/** A smoke run: every code path, short and light. Its numbers are not comparable with a full run's. */
export const quickProfile: Profile = {
  name: 'quick',
  closedLoop: { connections: 50, warmupMs: 0, durationMs: 700 },
  rates: [200],
  openLoop: { warmupMs: 200, durationMs: 700 },
  streams: { concurrency: 25, shape: { chunks: 10, delayMs: 10 }, warmupMs: 200, durationMs: 700 },
  manyStreams: { concurrency: 100, shape: { chunks: 10, delayMs: 30 }, warmupMs: 300, durationMs: 700 },
  idleSettleMs: 300,
};

/** Seconds one stream of this shape lasts at the upstream. */
export function streamSeconds(shape: StreamShape): number {
  return (shape.chunks * shape.delayMs) / 1000;
}

/** The open-loop rate that keeps `concurrency` streams of the shape in flight. */
export function streamRate(load: StreamLoad): number {
  return Math.round(load.concurrency / Math.max(streamSeconds(load.shape), 0.001));
}

/** The path prefix that makes the stand-in upstream stream with this shape. */
export function shapePrefix(shape: StreamShape): string {
  return `/shape/${shape.chunks}x${shape.delayMs}`;
}

/** Applies --duration (seconds) to every measured phase (warm-ups unchanged). */
export function withDuration(profile: Profile, seconds: number): Profile {
  const durationMs = Math.round(seconds * 1000);
  return {
    ...profile,
    closedLoop: { ...profile.closedLoop, durationMs },
    openLoop: { ...profile.openLoop, durationMs },
    streams: { ...profile.streams, durationMs },
    manyStreams: { ...profile.manyStreams, durationMs },
  };
}
