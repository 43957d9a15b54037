import type { GeneratorRun } from './load/cheap-generators.ts';
import type { SystemInfo } from './runner/system-info.ts';
import { startCommandText } from './runner/report.ts';
import type { StartCommand } from './targets/tollgate.ts';

/** What the gateway does per request: answer through the echo provider, or from its exact cache. */
export type WorkersPath = 'echo' | 'cache-hit';

/** The machine's CPU over a run, in cores (1.00 = one core the whole time). */
export interface MachineCores {
  /** Every process's user + system time: the gateway's, the generator's, and any other work's. */
  processes: number;
  /** The kernel's interrupt work (irq + softirq), loopback networking's included. */
  interrupts: number;
  /** Taken by the hypervisor for other virtual machines. */
  steal: number;
}

/** One measured run of bench/workers-bench.ts: one gateway start, one closed-loop load. */
export interface WorkersMeasurement {
  workers: 1 | 2;
  round: number;
  run: GeneratorRun;
  /** From just before the generator started to just after it exited. */
  wallSeconds: number;
  /** CPU seconds each gateway process used over that time (primary: the process started). */
  perProcess: Array<{ pid: number; primary: boolean; cpuSeconds: number }>;
  machine: MachineCores;
}

export interface WorkersReport {
  startedAt: Date;
  elapsedMs: number;
  system: SystemInfo;
  generator: string;
  model: string;
  path: WorkersPath;
  /** --nice, as applied. */
  priority: string;
  /** The command line's options, as given. */
  argv: string[];
  /** The config file, relative to the repository. */
  config: string;
  /** How the gateway was started: environment and Node flags (those of `npm start`). */
  start: StartCommand;
  connections: number;
  warmupMs: number;
  durationMs: number;
  loadAverageEnd: number;
  measurements: WorkersMeasurement[];
}

/** The goal of issue 8. */
const goalRatio = 1.7;

interface Pooled {
  requestsPerSecond: number;
  gatewayCores: number;
  generatorCores: number;
  /** Process CPU neither the gateway nor the generator used: other work on the machine (and the waiting bench). */
  otherCores: number;
  interruptCores: number;
  stealCores: number;
  /** Requests served per CPU-second of the gateway's processes. */
  perGatewayCpuSecond: number;
  errors: number;
}

const gatewaySeconds = (measurement: WorkersMeasurement) => measurement.perProcess.reduce((sum, process) => sum + process.cpuSeconds, 0);

/** Every round of one worker count as one long measurement (sums, not an average of ratios). */
function pool(measurements: WorkersMeasurement[]): Pooled {
  const sum = (pick: (measurement: WorkersMeasurement) => number) => measurements.reduce((total, measurement) => total + pick(measurement), 0);
  const wall = sum((measurement) => measurement.wallSeconds);
  const succeeded = sum((measurement) => measurement.run.succeeded);
  const gateway = sum(gatewaySeconds);
  const generator = sum((measurement) => measurement.run.cpuSeconds);
  const machine = (pick: (cores: MachineCores) => number) => sum((measurement) => pick(measurement.machine) * measurement.wallSeconds) / wall;
  return {
    requestsPerSecond: succeeded / sum((measurement) => measurement.run.seconds),
    gatewayCores: gateway / wall,
    generatorCores: generator / wall,
    otherCores: Math.max(0, machine((cores) => cores.processes) - (gateway + generator) / wall),
    interruptCores: machine((cores) => cores.interrupts),
    stealCores: machine((cores) => cores.steal),
    perGatewayCpuSecond: gateway > 0 ? succeeded / gateway : 0,
    errors: sum((measurement) => measurement.run.errors),
  };
}

const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const cores = (value: number) => value.toFixed(2);
const times = (value: number) => `${value.toFixed(2)}×`;
const verdict = (value: number) => (value >= goalRatio ? '**met**' : '**missed**');

function perProcessText(measurement: WorkersMeasurement): string {
  const workers = measurement.perProcess.filter((process) => !process.primary || measurement.workers === 1);
  const primary = measurement.perProcess.find((process) => process.primary);
  const shares = workers.map((process) => cores(process.cpuSeconds / measurement.wallSeconds)).join(' + ');
  return measurement.workers === 1 ? shares : `${shares} (primary ${cores((primary?.cpuSeconds ?? 0) / measurement.wallSeconds)})`;
}

function pathText(report: WorkersReport): string {
  const echo = `model \`${report.model}\`: the **echo** test provider answers in-process (no upstream process on the two cores)`;
  return report.path === 'echo' ? `${echo}; no cache` : `**exact-cache hits** (memory backend, one cache per worker) in front of ${echo}`;
}

export function renderWorkersReport(report: WorkersReport): string {
  const { system } = report;
  const one = pool(report.measurements.filter((measurement) => measurement.workers === 1));
  const two = pool(report.measurements.filter((measurement) => measurement.workers === 2));
  const measured = two.requestsPerSecond / one.requestsPerSecond;
  // What two workers would serve with both cores to themselves, each CPU-second as productive as measured.
  const projected = (2 * two.perGatewayCpuSecond) / one.perGatewayCpuSecond;
  const invalid = one.errors + two.errors > 0;
  const when = report.startedAt.toISOString().replace('T', ' ').slice(0, 16);
  const lines = [
    `# Tollgate \`server.workers\` scaling — ${when} UTC, commit ${system.commit}${system.dirty ? ' (with uncommitted changes in src/)' : ''}`,
    '',
    '| | |',
    '|---|---|',
    `| Command | \`npm run bench:workers${report.argv.length ? ` -- ${report.argv.join(' ')}` : ''}\` (bench/workers-bench.ts); ${report.priority} |`,
    `| Gateway | ${startCommandText(report.start)} (as \`npm start\`), \`${report.config}\`, Node ${system.node}; workers: 1 pinned to core 0, workers: 2 (primary + 2 forked workers) on cores 0-1 (taskset) |`,
    `| Path | ${pathText(report)}; plugins on by default (metrics, cost, rate-limit without limits), access log off; non-streaming chat completions, all with the same body |`,
    `| Load | ${report.generator}; closed loop, ${report.connections} connections, ${report.warmupMs / 1000} s warm-up (discarded) + ${report.durationMs / 1000} s measured per run, rounds alternating workers 1 and 2; the generator runs on core 1 beside one worker, on cores 0-1 beside two |`,
    `| CPU | from \`/proc/<pid>/stat\` (utime + stime) of the gateway's processes and of the generator over the measured seconds, in cores (1.00 = one core busy the whole time); the machine's busy time from \`/proc/stat\` |`,
    `| Machine | ${system.cpuModel}, ${system.cores} cores, Linux ${system.kernel}; 1-minute load average ${system.loadAverage} before, ${report.loadAverageEnd} after |`,
    `| Run time | ${Math.round(report.elapsedMs / 1000)} s |`,
    '',
    '## Result',
    '',
    '| workers | req/s | gateway CPU | generator CPU | other processes | kernel interrupts | stolen by the hypervisor | req per gateway CPU-second | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| 1 (core 0) | ${whole(one.requestsPerSecond)} | ${cores(one.gatewayCores)} | ${cores(one.generatorCores)} | ${cores(one.otherCores)} | ${cores(one.interruptCores)} | ${cores(one.stealCores)} | ${whole(one.perGatewayCpuSecond)} | ${one.errors} |`,
    `| 2 (cores 0-1, shared with the generator) | ${whole(two.requestsPerSecond)} | ${cores(two.gatewayCores)} | ${cores(two.generatorCores)} | ${cores(two.otherCores)} | ${cores(two.interruptCores)} | ${cores(two.stealCores)} | ${whole(two.perGatewayCpuSecond)} | ${two.errors} |`,
    '',
    ...(Math.max(one.otherCores, two.otherCores) > 0.2
      ? [`**Other work competed for the cores** (up to ${cores(Math.max(one.otherCores, two.otherCores))} of a core): the req/s are low and noisy; the per-CPU-second figures hold better. Rerun on a quiet machine, or with \`--nice=-10\`.`, '']
      : []),
    'CPU columns in cores, out of the machine\'s 2. Other processes: any work on this shared machine besides the gateway and the generator (the bench itself only waits). Kernel interrupts: irq + softirq, which includes loopback networking. Stolen: time the hypervisor ran other virtual machines on these cores.',
    '',
    '| goal (issue 8) | measured | verdict |',
    '|---|---|---|',
    invalid
      ? `| \`workers: 2\` on two cores scales throughput ≥ ${goalRatio}× | invalid: ${one.errors + two.errors} errors (see the rounds) | not measured |`
      : `| \`workers: 2\` on two cores scales throughput ≥ ${goalRatio}× | ${times(measured)} (${whole(two.requestsPerSecond)} / ${whole(one.requestsPerSecond)} req/s), the generator taking ${cores(two.generatorCores)} of the 2 cores | ${verdict(measured)} |`,
    `| the same per gateway CPU-second: 2 × ${whole(two.perGatewayCpuSecond)} / ${whole(one.perGatewayCpuSecond)} | ${times(projected)}: what two workers would reach with both cores to themselves | ${invalid ? 'not measured' : `${verdict(projected)} (projected)`} |`,
    '',
    'The first ratio is the goal as stated, on this machine, where two cores must also run the load generator. The second removes the generator: it assumes each worker, given a whole core, serves as many requests per CPU-second as it did here (one worker fills its core, see its gateway CPU). Where it is well below 2, the workers themselves cost more per request when two run (shared caches, the kernel balancing connections), not the generator.',
    '',
    '## Every run',
    '',
    '| round | workers | req/s | gateway CPU per process (cores) | generator CPU (cores) | other processes / interrupts / stolen (cores) | errors |',
    '|---:|---:|---:|---|---:|---:|---|',
  ];
  for (const measurement of report.measurements) {
    const { run } = measurement;
    lines.push(`| ${measurement.round} | ${measurement.workers} | ${whole(run.succeeded / run.seconds)} | ${perProcessText(measurement)} | ${cores(run.cpuSeconds / measurement.wallSeconds)} | ${cores(Math.max(0, measurement.machine.processes - (gatewaySeconds(measurement) + run.cpuSeconds) / measurement.wallSeconds))} / ${cores(measurement.machine.interrupts)} / ${cores(measurement.machine.steal)} | ${run.errors === 0 ? '0' : run.errorText} |`);
  }
  return [...lines, ''].join('\n');
}
