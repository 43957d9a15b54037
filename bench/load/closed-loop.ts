import autocannon from 'autocannon';
import { noErrors, noteError, type ClosedLoopJob, type ClosedLoopResult } from './load-job.ts';

/**
 * Max throughput: autocannon keeps N connections busy, each sending its next request as soon as
 * the last one is answered. A short run first warms the target (JIT, connection pools) and is
 * discarded. The latency autocannon reports is closed-loop (from the actual send) and only for
 * reference; the open-loop measurements are the latency numbers.
 */
export async function runClosedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult> {
  const options: autocannon.Options = {
    url: job.request.origin + job.request.path,
    method: 'POST',
    headers: { ...job.request.headers, 'content-type': 'application/json' },
    body: job.request.body,
    connections: job.connections,
    pipelining: 1,
    timeout: 30,
  };
  if (job.warmupMs >= 100) await autocannon({ ...options, duration: job.warmupMs / 1000 });
  const result = await autocannon({ ...options, duration: job.durationMs / 1000 });
  const errors = noErrors();
  errors.non2xx = result.non2xx;
  errors.socket = result.errors;
  if (result.non2xx > 0) noteError(errors, `statuses: ${JSON.stringify(result.statusCodeStats ?? {})}`);
  if (result.errors > 0) noteError(errors, `${result.errors} connection errors (${result.timeouts} timeouts)`);
  const seconds = result.duration > 0 ? result.duration : job.durationMs / 1000;
  return {
    kind: 'closed-loop',
    connections: job.connections,
    durationMs: Math.round(seconds * 1000),
    requestsPerSecond: Math.round(result['2xx'] / seconds),
    succeeded: result['2xx'],
    errors,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  };
}
