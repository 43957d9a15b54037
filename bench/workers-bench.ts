/**
 * Does `server.workers: 2` on two cores scale max throughput by ≥ 1.7× over one worker (issue 8)?
 * The built gateway (`dist/cli/main.js start`) with workers: 1 pinned to core 0, then workers: 2
 * on cores 0-1, each under the same closed-loop load, rounds alternating. The machine has two
 * cores, so with two workers the load generator competes with them: its CPU and the gateway's are
 * measured from /proc, and the report gives requests per gateway CPU-second beside the raw
 * req/s, i.e. how scaling would look if the generator cost nothing. `npm run bench:workers`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, setPriority, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cheapestGenerator, type CheapGenerator, type GeneratorRun } from './load/cheap-generators.ts';
import { cpuSeconds, processTree } from './runner/cpu-time.ts';
import { detectPinning, freePort, pinSelf, startCommand, stopProcess, waitUntilListening, type StartedProcess } from './runner/processes.ts';
import { systemInfo } from './runner/system-info.ts';
import { chatBody } from './targets/target.ts';
import { startScriptCommand } from './targets/tollgate.ts';
import { renderWorkersReport, type MachineCores, type WorkersMeasurement, type WorkersPath } from './workers-report.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The echo provider answers in-process: no upstream process takes a share of the two cores. */
const model = 'echo/bench';

const configs: Record<WorkersPath, string> = { echo: 'workers-echo.yaml', 'cache-hit': 'workers-cache-hit.yaml' };

interface Options {
  path: WorkersPath;
  nice: number;
  warmupMs: number;
  durationMs: number;
  connections: number;
  rounds: number;
  resultsDir: string;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '2' },
      path: { type: 'string', default: 'echo' },
      nice: { type: 'string', default: '0' },
      'results-dir': { type: 'string' },
    },
  });
  const positive = (name: string, text: string) => {
    const value = Number(text);
    if (!(value > 0)) throw new Error(`--${name}: expected a positive number, got ${text}`);
    return value;
  };
  if (values.path !== 'echo' && values.path !== 'cache-hit') throw new Error(`--path: expected echo or cache-hit, got ${values.path}`);
  const nice = Number(values.nice);
  if (!Number.isInteger(nice) || nice < -20 || nice > 19) throw new Error(`--nice: expected an integer from -20 to 19, got ${values.nice}`);
  return {
    path: values.path,
    nice,
    durationMs: positive('duration', values.duration) * 1000,
    warmupMs: positive('warmup', values.warmup) * 1000,
    connections: Math.round(positive('connections', values.connections)),
    rounds: Math.round(positive('rounds', values.rounds)),
    resultsDir: resolve(values['results-dir'] ?? join(repoRoot, 'bench/results')),
  };
}

/** Jiffies of the whole machine since boot (/proc/stat's cpu line), for what else used the cores. */
export interface MachineJiffies {
  /** user + nice + system: every process, ours and others'. */
  processes: number;
  /** irq + softirq: the kernel's interrupt work, loopback networking's included. */
  interrupts: number;
  /** Time the hypervisor gave this virtual machine's cores to someone else. */
  steal: number;
  total: number;
}

function machineJiffies(): MachineJiffies {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { processes: user + nice + system, interrupts: irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** The machine's time from `before` to `after`, in cores (0..2 here): busy with what. */
function machineCores(before: MachineJiffies, after: MachineJiffies, coreCount: number): MachineCores {
  const total = after.total - before.total;
  const share = (pick: (jiffies: MachineJiffies) => number) => (total > 0 ? ((pick(after) - pick(before)) / total) * coreCount : 0);
  return { processes: share((jiffies) => jiffies.processes), interrupts: share((jiffies) => jiffies.interrupts), steal: share((jiffies) => jiffies.steal) };
}

/** CPU seconds of every process of the gateway (primary and workers), by pid. */
function treeCpu(rootPid: number): Map<number, number> {
  const readings = new Map<number, number>();
  for (const pid of processTree(rootPid)) {
    const seconds = cpuSeconds(pid);
    if (seconds !== null) readings.set(pid, seconds);
  }
  return readings;
}

/** Resolves once the primary says every worker listens (workers > 1), else once the port answers. */
async function waitForWorkers(started: StartedProcess, origin: string, workers: number): Promise<void> {
  await waitUntilListening(`${origin}/v1/models`, started, 20_000);
  const deadline = Date.now() + 20_000;
  while (workers > 1 && !started.stdoutTail().includes(`running ${workers} worker processes`)) {
    if (Date.now() > deadline || started.exitStatus() !== null) throw new Error(`the ${workers} workers did not all start: ${started.stderrTail() || started.stdoutTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measure(generator: CheapGenerator, options: Options, workers: 1 | 2, round: number): Promise<WorkersMeasurement> {
  // One worker has core 0 alone and the generator core 1; two workers and the generator share both.
  const gatewayCores = workers === 1 ? '0' : '0,1';
  const generatorCores = workers === 1 ? '1' : '0,1';
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-workers-'));
  const entry = join(repoRoot, 'dist/cli/main.js');
  const started = startCommand(process.execPath, {
    args: [...startScriptCommand(repoRoot).nodeFlags, entry, 'start', '--config', join(repoRoot, 'bench/configs', configs[options.path])],
    core: gatewayCores,
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BENCH_GATEWAY_PORT: String(port), BENCH_WORKERS: String(workers), BENCH_DATA_DIR: dataDir, ...startScriptCommand(repoRoot).env },
    stdout: 'tail',
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForWorkers(started, origin, workers);
    const request = { url: `${origin}/v1/chat/completions`, headers: { Authorization: 'Bearer bench' }, body: chatBody(model, false), connections: options.connections, cores: generatorCores };
    const warmup = await generator.run({ ...request, durationMs: options.warmupMs });
    if (warmup.succeeded === 0) throw new Error(`no request succeeded during the warm-up (${warmup.errorText}); the gateway logged: ${started.stderrTail() || started.stdoutTail()}`);
    const cpuBefore = treeCpu(started.pid);
    const machineBefore = machineJiffies();
    const wallStart = performance.now();
    const run: GeneratorRun = await generator.run({ ...request, durationMs: options.durationMs });
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const cpuAfter = treeCpu(started.pid);
    const machineAfter = machineJiffies();
    // Workers present at the end were present at the start (none restarted during a healthy run).
    const perProcess = [...cpuAfter].map(([pid, seconds]) => ({ pid, primary: pid === started.pid, cpuSeconds: seconds - (cpuBefore.get(pid) ?? 0) }));
    return { workers, round, run, wallSeconds, perProcess, machine: machineCores(machineBefore, machineAfter, 2) };
  } finally {
    await stopProcess(started);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function stamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!existsSync(join(repoRoot, 'dist/cli/main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` (npm run bench:workers does)');
  const system = systemInfo(repoRoot);
  const pinning = detectPinning(system.cores);
  if (!pinning.available || system.cores !== 2) throw new Error(`this bench needs taskset and exactly 2 cores (it measures workers: 1 on one core vs workers: 2 on both); here: ${pinning.description}, ${system.cores} cores`);
  // The runner only waits; on core 1 it stays off the single worker's core.
  pinSelf(1);
  let priority = 'default priority';
  if (options.nice !== 0) {
    // Inherited by the gateway and the generator: other work on a shared machine then disturbs less.
    try {
      setPriority(options.nice);
      priority = `every bench process at nice ${options.nice}`;
    } catch (error) {
      priority = `nice ${options.nice} refused (${(error as Error).message}), default priority`;
    }
  }
  const generator = cheapestGenerator(system.versions.autocannon);
  const startedAt = new Date();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`bench:workers: ${generator.name}; ${options.rounds} rounds of workers 1 and 2, ${options.warmupMs / 1000} s warm-up + ${options.durationMs / 1000} s each`);
  const measurements: WorkersMeasurement[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const workers of [1, 2] as const) {
      log(`  round ${round}: workers ${workers}`);
      measurements.push(await measure(generator, options, workers, round));
    }
  }
  const markdown = renderWorkersReport({
    startedAt,
    elapsedMs: Date.now() - startedAt.getTime(),
    system,
    generator: generator.name,
    model,
    path: options.path,
    priority,
    argv: process.argv.slice(2),
    config: `bench/configs/${configs[options.path]}`,
    start: startScriptCommand(repoRoot),
    connections: options.connections,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    loadAverageEnd: Math.round(loadavg()[0] * 100) / 100,
    measurements,
  });
  mkdirSync(options.resultsDir, { recursive: true });
  const file = join(options.resultsDir, `${stamp(startedAt)}-${system.commit}-workers${options.path === 'echo' ? '' : `-${options.path}`}.md`);
  writeFileSync(file, markdown);
  process.stdout.write(`${markdown}\n`);
  log(`bench:workers: written ${file}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:workers: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
