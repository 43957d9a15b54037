import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import autocannon from 'autocannon';
import { clockTicks } from '../runner/cpu-time.ts';
import { startCommand } from '../runner/processes.ts';

/**
 * Closed-loop load generators for a run where the generator shares the gateway's cores
 * (bench/workers-bench.ts): there, every CPU-second the generator spends is taken from the
 * gateway, so it must be cheap (wrk, a C event loop) and what it spends must be measured.
 */

export interface ClosedLoopRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationMs: number;
  /** taskset CPU list the generator runs on, e.g. '1' or '0,1'. */
  cores: string;
}

export interface GeneratorRun {
  /** Answers with a 2xx/3xx status. */
  succeeded: number;
  /** Non-2xx answers and socket errors (connect, read, write, timeout). */
  errors: number;
  errorText: string;
  /** How long the generator measured, as it says. */
  seconds: number;
  /** User + system CPU seconds the generator itself used over the run. */
  cpuSeconds: number;
}

export interface CheapGenerator {
  /** With its version, for the report. */
  name: string;
  run(request: ClosedLoopRequest): Promise<GeneratorRun>;
}

function onPath(name: string): string | null {
  for (const folder of [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin']) {
    try {
      accessSync(join(folder, name), constants.X_OK);
      return join(folder, name);
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The Lua script: the POST body, and a done() that prints the summary as one JSON line together
 * with wrk's own CPU ticks, read from /proc/self/stat after its threads have joined and before it
 * exits (from outside, the process is already reaped by the time its end is noticed).
 */
function wrkScript(request: ClosedLoopRequest): string {
  const headers = Object.entries({ ...request.headers, 'Content-Type': 'application/json' })
    .map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`)
    .join('\n');
  return `wrk.method = "POST"
wrk.body = [==[${request.body}]==]
${headers}

function done(summary, latency, requests)
  local stat = io.open("/proc/self/stat"):read("*a")
  local fields = {}
  for field in stat:match(".*%)%s(.*)"):gmatch("%S+") do fields[#fields + 1] = field end
  local errors = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"utime":%s,"stime":%s}\\n',
    summary.requests, summary.duration, errors.status, errors.connect, errors.read, errors.write, errors.timeout, fields[12], fields[13]))
end
`;
}

interface WrkSummary {
  requests: number;
  durationUs: number;
  status: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  utime: number;
  stime: number;
}

function wrkGenerator(binary: string): CheapGenerator {
  const version = /wrk (\S+)/.exec(spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown version';
  return {
    name: `wrk ${version} (1 thread, Lua script for the POST body)`,
    async run(request) {
      const folder = mkdtempSync(join(tmpdir(), 'tollgate-bench-wrk-'));
      const script = join(folder, 'post.lua');
      writeFileSync(script, wrkScript(request));
      try {
        const seconds = Math.max(1, Math.round(request.durationMs / 1000));
        const started = startCommand(binary, { args: ['-t1', `-c${request.connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, request.url], core: request.cores, env: { PATH: process.env.PATH }, stdout: 'tail' });
        const status = await started.exited;
        const line = started.stdoutTail().split('\n').find((text) => text.startsWith('{"requests"'));
        if (!line) throw new Error(`wrk (exit ${status}) printed no summary: ${started.stderrTail() || started.stdoutTail()}`);
        const summary = JSON.parse(line) as WrkSummary;
        const socketErrors = summary.connect + summary.read + summary.write + summary.timeout;
        return {
          succeeded: summary.requests - summary.status,
          errors: summary.status + socketErrors,
          errorText: summary.status + socketErrors === 0 ? '' : `${summary.status} non-2xx/3xx, ${socketErrors} socket errors`,
          seconds: summary.durationUs / 1e6,
          cpuSeconds: (summary.utime + summary.stime) / clockTicks(),
        };
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}

/**
 * autocannon in this very process (moved onto the requested cores for the run), so that
 * process.cpuUsage() is the generator's CPU: this process does nothing else meanwhile.
 */
function autocannonGenerator(version: string): CheapGenerator {
  return {
    name: `autocannon ${version} (in the bench process; wrk not found)`,
    async run(request) {
      spawnSync('taskset', ['-a', '-p', '-c', request.cores, String(process.pid)], { stdio: 'ignore' });
      const before = process.cpuUsage();
      const result = await autocannon({ url: request.url, method: 'POST', headers: { ...request.headers, 'content-type': 'application/json' }, body: request.body, connections: request.connections, duration: request.durationMs / 1000, timeout: 10 });
      const used = process.cpuUsage(before);
      const errors = result.non2xx + result.errors;
      return {
        succeeded: result['2xx'],
        errors,
        errorText: errors === 0 ? '' : `${result.non2xx} non-2xx, ${result.errors} socket errors`,
        seconds: result.duration,
        cpuSeconds: (used.user + used.system) / 1e6,
      };
    },
  };
}

/** wrk when it is installed (far cheaper per request than anything in Node), else autocannon. */
export function cheapestGenerator(autocannonVersion: string): CheapGenerator {
  const wrk = onPath('wrk');
  return wrk ? wrkGenerator(wrk) : autocannonGenerator(autocannonVersion);
}
