import { join } from 'node:path';
import type { ClosedLoopJob, ClosedLoopResult, ConcurrencyJob, LoadJob, LoadResult, OpenLoopJob, OpenLoopResult } from '../load/load-job.ts';
import { runProbe } from '../load/probe.ts';
import type { Scenario } from '../scenarios.ts';
import type { RequestKind, RunningTarget, TargetContext } from '../targets/target.ts';
import { cpuSeconds } from './cpu-time.ts';
import { readMemory, resetPeak, RssSampler } from './memory.ts';
import { measureOpenLoop } from './stalled-generator.ts';
import { startNode, stopProcess } from './processes.ts';
import { streamRate, streamSeconds, type StreamLoad } from './profile.ts';

/** Memory of the measured process, MiB. */
export interface MemoryResult {
  /** VmRSS one second after start, before any load. */
  idle: number | null;
  /** RssAnon at the same moment: the part of `idle` that is not file-backed or shared (memory.ts). */
  idleAnonymous: number | null;
  /** VmHWM at the end: the peak over the whole run of this target. */
  peakWholeRun: number | null;
  /** VmHWM over the many-streams measurement alone (reset before it); null if it could not be reset. */
  peakManyStreams: number | null;
  /** The largest VmRSS sampled every 100 ms during the many-streams measurement. */
  sampledManyStreams: number | null;
}

export interface ScenarioResult {
  id: string;
  label: string;
  kind: Scenario['kind'];
  /** measured: at least partly; failed: could not start or answer; not-run: unavailable here. */
  status: 'measured' | 'failed' | 'not-run';
  /** Why it was not run or failed. */
  note: string | null;
  throughput: ClosedLoopResult | null;
  /**
   * Share of one core the target process used during the max-throughput measurement (warm-up
   * included), 0..1. Below about 0.9 the target was not what bounded it (the load core was).
   */
  throughputCpuShare: number | null;
  /** One per fixed rate, in the profile's order. */
  latency: OpenLoopResult[];
  streams: OpenLoopResult | null;
  manyStreams: OpenLoopResult | null;
  memory: MemoryResult | null;
  /** Measurements that broke (the load generator died, ...), as text. */
  failures: string[];
  /** Measurements taken twice because the load generator stalled during the first (stalled-generator.ts), as text. */
  remeasured: string[];
}

export function emptyResult(scenario: Scenario, status: ScenarioResult['status'], note: string | null): ScenarioResult {
  return { id: scenario.id, label: scenario.label, kind: scenario.kind, status, note, throughput: null, throughputCpuShare: null, latency: [], streams: null, manyStreams: null, memory: null, failures: [], remeasured: [] };
}

/** Runs one job in a load-generator process pinned to the load core; resolves with its result. */
export async function runLoad<R extends LoadResult>(context: TargetContext, job: LoadJob, timeoutMs: number): Promise<R> {
  const started = startNode({ args: [join(context.repoRoot, 'bench/load/load-process.ts'), JSON.stringify(job)], core: context.pinning.loadCore, cwd: context.repoRoot, env: process.env, stdout: 'pipe' });
  let output = '';
  started.child.stdout?.setEncoding('utf8');
  started.child.stdout?.on('data', (text: string) => (output += text));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([started.exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    await stopProcess(started, 1000);
    throw new Error(`the load generator did not finish within ${timeoutMs} ms`);
  }
  const line = output.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as R;
  } catch {
    throw new Error(`the load generator failed (exit ${outcome}): ${started.stderrTail() || line || '(no output)'}`);
  }
}

function openLoopJob(target: RunningTarget, kind: RequestKind, rate: number, warmupMs: number, durationMs: number, connections: number, drainMs: number): OpenLoopJob {
  return { kind: 'open-loop', request: target.request(kind), rate, warmupMs, durationMs, connections, drainMs };
}

function streamJob(target: RunningTarget, kind: RequestKind, load: StreamLoad): OpenLoopJob {
  const connections = Math.ceil(load.concurrency * 1.5) + 16;
  return openLoopJob(target, kind, streamRate(load), load.warmupMs, load.durationMs, connections, 10_000 + streamSeconds(load.shape) * 1000);
}

function budget(job: OpenLoopJob | ConcurrencyJob | ClosedLoopJob): number {
  return job.warmupMs + job.durationMs + ('drainMs' in job ? job.drainMs : 0) + 30_000;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the scenario's target, probes it, runs its measurements and stops it. */
export async function measureScenario(scenario: Scenario, context: TargetContext, log: (line: string) => void): Promise<ScenarioResult> {
  const result = emptyResult(scenario, 'measured', null);
  const wants = new Set(scenario.measurements);
  const { profile } = context;
  let target: RunningTarget;
  try {
    target = await scenario.start(context);
  } catch (error) {
    return { ...result, status: 'failed', note: `did not start: ${(error as Error).message}` };
  }
  try {
    const measuresMemory = wants.has('memory') && target.pid !== null;
    if (measuresMemory) {
      await sleep(profile.idleSettleMs);
      const idle = readMemory(target.pid!);
      result.memory = { idle: idle.rss, idleAnonymous: idle.anonymous, peakWholeRun: null, peakManyStreams: null, sampledManyStreams: null };
    }

    const kinds: RequestKind[] = ['chat'];
    if (wants.has('streams')) kinds.push('stream');
    if (wants.has('many-streams')) kinds.push('many-streams');
    // From the runner itself: one request of each kind needs no pinned load process.
    const probe = await runProbe({ kind: 'probe', requests: kinds.map((kind) => target.request(kind)) });
    if (!probe.ok) {
      const logged = target.diagnostics();
      return { ...result, status: 'failed', note: `probe failed: ${probe.problem}${logged ? `; the target logged: ${logged}` : ''}` };
    }

    const attempt = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
      const gone = target.gone();
      if (gone !== null) {
        result.failures.push(`${name}: not run: ${gone}`);
        return null;
      }
      log(`  ${scenario.id}: ${name}`);
      try {
        return await run();
      } catch (error) {
        result.failures.push(`${name}: ${(error as Error).message}`);
        return null;
      } finally {
        const died = target.gone();
        if (died !== null && gone === null) result.failures.push(`during ${name}: ${died}`);
      }
    };

    const remeasured = (text: string) => result.remeasured.push(text);
    if (wants.has('throughput')) {
      const job: ClosedLoopJob = { kind: 'closed-loop', request: target.request('chat'), connections: profile.closedLoop.connections, warmupMs: profile.closedLoop.warmupMs, durationMs: profile.closedLoop.durationMs };
      const cpuBefore = target.pid !== null ? cpuSeconds(target.pid) : null;
      const startedAt = performance.now();
      result.throughput = await attempt(`max throughput (closed loop, ${job.connections} connections)`, () => runLoad<ClosedLoopResult>(context, job, budget(job)));
      const cpuAfter = target.pid !== null ? cpuSeconds(target.pid) : null;
      // The load process's start-up (about 0.1 s of an idle target) is inside the wall time too.
      if (cpuBefore !== null && cpuAfter !== null) result.throughputCpuShare = Math.round(((cpuAfter - cpuBefore) / ((performance.now() - startedAt) / 1000)) * 100) / 100;
    }
    if (wants.has('latency')) {
      for (const rate of profile.rates) {
        const job = openLoopJob(target, 'chat', rate, profile.openLoop.warmupMs, profile.openLoop.durationMs, 256, 10_000);
        const name = `latency at ${rate} req/s`;
        const measured = await measureOpenLoop(name, () => attempt(name, () => runLoad<OpenLoopResult>(context, job, budget(job))), remeasured);
        if (measured) result.latency.push(measured);
      }
    }
    if (wants.has('streams')) {
      const job = streamJob(target, 'stream', profile.streams);
      const name = `${profile.streams.concurrency} concurrent streams`;
      result.streams = await measureOpenLoop(name, () => attempt(name, () => runLoad<OpenLoopResult>(context, job, budget(job))), remeasured);
    }
    if (wants.has('many-streams')) {
      const load = profile.manyStreams;
      const job: ConcurrencyJob = { kind: 'concurrency', request: target.request('many-streams'), concurrency: load.concurrency, warmupMs: load.warmupMs, durationMs: load.durationMs, drainMs: 10_000 + streamSeconds(load.shape) * 1000 };
      const pid = target.pid;
      const wholeRunBefore = pid !== null ? readMemory(pid).peak : null;
      const reset = pid !== null && measuresMemory && resetPeak(pid);
      const sampler = pid !== null && measuresMemory ? new RssSampler(pid) : null;
      result.manyStreams = await attempt(`${profile.manyStreams.concurrency} streams held open`, () => runLoad<OpenLoopResult>(context, job, budget(job)));
      if (result.memory && pid !== null) {
        result.memory.sampledManyStreams = sampler?.stop() ?? null;
        const after = readMemory(pid).peak;
        result.memory.peakManyStreams = reset ? after : null;
        result.memory.peakWholeRun = Math.max(wholeRunBefore ?? 0, after ?? 0) || null;
      }
    }
    if (result.memory && result.memory.peakWholeRun === null && target.pid !== null) result.memory.peakWholeRun = readMemory(target.pid).peak;
    return result;
  } finally {
    await target.stop();
  }
}
