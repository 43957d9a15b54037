import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Starting and stopping the processes of a run, each pinned to a core with taskset when the
 * machine has it. Every Node process is `process.execPath`: run from `npm run bench`, that is the
 * Node 24 npm put first on PATH, never whatever `node` the system has.
 */

export interface Pinning {
  /** taskset was found and works. */
  available: boolean;
  /** Core of the target (gateway, peer); undefined when not pinned. */
  targetCore: number | undefined;
  /** Core of the load generator, the stand-in upstream and the runner. */
  loadCore: number | undefined;
  /** One line for the report. */
  description: string;
}

/** Decides the pinning: target on core 0, everything else on core 1 (needs taskset and 2+ cores). */
export function detectPinning(cores: number): Pinning {
  const probe = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    return { available: false, targetCore: undefined, loadCore: undefined, description: 'none: taskset (util-linux) not found or not permitted; processes share all cores, numbers are noisier' };
  }
  if (cores < 2) return { available: false, targetCore: undefined, loadCore: undefined, description: 'none: one core only; target, load generator and upstream share it' };
  return { available: true, targetCore: 0, loadCore: 1, description: 'target on core 0; load generator, stand-in upstream and runner on core 1 (taskset)' };
}

/** Moves this process (the runner) to a core, so core 0 stays the target's alone. */
export function pinSelf(core: number | undefined): void {
  if (core === undefined) return;
  spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

export interface StartedProcess {
  child: ChildProcess;
  pid: number;
  /** The last few KiB of stderr, to explain a failure. */
  stderrTail(): string;
  /** The last few KiB of stdout when it is kept ('tail'), to explain a failure. */
  stdoutTail(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<string>;
  /** The exit code (or signal) once it has exited; null while it runs. */
  exitStatus(): string | null;
}

export interface StartOptions {
  args: string[];
  core: number | undefined;
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /**
   * 'ignore' sends stdout to /dev/null (the access log's destination in that scenario); 'pipe'
   * leaves it to the caller; 'tail' keeps its last few KiB for error messages.
   */
  stdout: 'ignore' | 'pipe' | 'tail';
}

/** Starts `process.execPath args...`, pinned to `core` through taskset when given. */
export function startNode(options: StartOptions): StartedProcess {
  return startCommand(process.execPath, options);
}

/**
 * Starts `command args...` (a binary other than Node, e.g. nginx or wrk), pinned through taskset
 * when `core` is given: a core number, or a taskset CPU list such as '0,1'. taskset execs the
 * command, so the pid is the command's own.
 */
export function startCommand(command: string, options: Omit<StartOptions, 'core'> & { core: number | string | undefined }): StartedProcess {
  const pinned = options.core !== undefined;
  const args = pinned ? ['-c', String(options.core), command, ...options.args] : options.args;
  const stdio: StdioOptions = ['ignore', options.stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'];
  const child = spawn(pinned ? 'taskset' : command, args, { cwd: options.cwd, env: options.env, stdio });
  let stderr = '';
  let stdout = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-4096);
  });
  if (options.stdout === 'tail') {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      stdout = (stdout + text).slice(-4096);
    });
  }
  let exitStatus: string | null = null;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      exitStatus = signal ?? String(code);
      resolve(exitStatus);
    }),
  );
  if (child.pid === undefined) {
    // Without a listener the 'error' event (ENOENT, EACCES) that follows would crash the runner.
    child.once('error', () => undefined);
    throw new Error(`could not start ${command}`);
  }
  return { child, pid: child.pid, stderrTail: () => stderr.trim(), stdoutTail: () => stdout.trim(), exited, exitStatus: () => exitStatus };
}

/** Reads the first line a process prints on stdout (the stand-in prints its URL). */
export function firstLine(started: StartedProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms; stderr: ${started.stderrTail()}`)), timeoutMs);
    started.child.stdout?.setEncoding('utf8');
    started.child.stdout?.on('data', (text: string) => {
      buffered += text;
      const end = buffered.indexOf('\n');
      if (end !== -1) {
        clearTimeout(timer);
        resolve(buffered.slice(0, end));
      }
    });
    void started.exited.then((code) => reject(new Error(`exited (${code}) before it was ready; stderr: ${started.stderrTail()}`)));
  });
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess(started: StartedProcess, graceMs = 8000): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      started.child.kill('SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([started.exited, killed]);
  clearTimeout(timer);
  await started.exited;
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it; a tiny race remains). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers (any HTTP status) or the time runs out. */
export async function waitUntilListening(url: string, started: StartedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: string | null = null;
  void started.exited.then((code) => (exitedWith = code));
  while (Date.now() < deadline) {
    if (exitedWith !== null) throw new Error(`exited (${exitedWith}) during start; stderr: ${started.stderrTail() || '(empty)'}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`not listening on ${url} after ${timeoutMs} ms; stderr: ${started.stderrTail() || '(empty)'}`);
}
