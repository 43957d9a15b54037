import type { OpenLoopResult } from '../load/load-job.ts';

/**
 * How late (ms, p99) the load generator may send its own requests before a measurement counts as
 * disturbed. Latencies are timed from each request's scheduled send time, so a generator whose
 * core was taken from it adds its stall to every target's latency alike. In full runs on this
 * machine the generator's send lag p99 stayed within 0.2-3 ms for every target below saturation;
 * one run saw 23 ms during a single stream measurement (first-byte p99 59.9 ms against 3.6-5.6 ms for
 * every other configuration of the same gateway). A saturated target (Portkey at 2,000 req/s:
 * 6-17 ms) also exceeds it, and is measured again like any other.
 */
export const stalledSendLagMs = 5;

function figures(result: OpenLoopResult): string {
  const firstByte = result.firstByte ? `, first byte p50 / p99 ${result.firstByte.p50} / ${result.firstByte.p99}` : '';
  return `latency p50 / p99 ${result.latency.p50} / ${result.latency.p99}${firstByte}, send lag p99 ${result.sendLag?.p99 ?? '—'} ms`;
}

/**
 * Runs an open-loop measurement, and once more when the load generator itself was late by more
 * than `stalledSendLagMs` at p99: the second is kept, and `remeasured` gets both attempts'
 * figures, so a report shows what was set aside and why.
 */
export async function measureOpenLoop(name: string, run: () => Promise<OpenLoopResult | null>, remeasured: (text: string) => void): Promise<OpenLoopResult | null> {
  const first = await run();
  const lag = first?.sendLag?.p99 ?? 0;
  if (first === null || lag <= stalledSendLagMs) return first;
  const second = await run();
  const kept = second ?? first;
  remeasured(
    `${name}: the load generator sent its requests up to ${lag} ms late (p99; limit ${stalledSendLagMs} ms), so it was measured again. ` +
      `First attempt: ${figures(first)}. ${second ? `Kept, the second: ${figures(second)}.` : 'The second attempt broke; the first is kept.'}`,
  );
  return kept;
}
