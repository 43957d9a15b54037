import { runClosedLoop } from './closed-loop.ts';
import { runFixedConcurrency } from './fixed-concurrency.ts';
import type { LoadJob, LoadResult } from './load-job.ts';
import { runOpenLoop } from './open-loop.ts';
import { runProbe } from './probe.ts';

/**
 * The load generator as its own process, so the runner can pin it to a core (taskset) apart from
 * the target. Takes one job as JSON in argv[2]; prints the result as one JSON line on stdout.
 */
async function run(job: LoadJob): Promise<LoadResult> {
  switch (job.kind) {
    case 'open-loop':
      return runOpenLoop(job);
    case 'concurrency':
      return runFixedConcurrency(job);
    case 'closed-loop':
      return runClosedLoop(job);
    case 'probe':
      return runProbe(job);
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
const result = await run(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
