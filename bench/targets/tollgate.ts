import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNode, stopProcess, waitUntilListening } from '../runner/processes.ts';
import { shapePrefix } from '../runner/profile.ts';

/** The built gateway (what `npm start` runs) when `npm run build` has made it, else the sources. */
function tollgateEntry(repoRoot: string): string {
  const built = join(repoRoot, 'dist/cli/main.js');
  return existsSync(built) ? built : join(repoRoot, 'src/cli/main.ts');
}
/** How an npm script starts the gateway: its environment assignments and Node/V8 flags. */
export interface StartCommand {
  env: Record<string, string>;
  nodeFlags: string[];
}

/**
 * The environment and Node/V8 flags of an npm start script (package.json, `[VAR=value ...] node
 * [flags...] dist/cli/main.js start`), so the bench runs the gateway as users start it.
 */
export function startScriptCommand(repoRoot: string, script = 'start'): StartCommand {
  const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  const words = (scripts[script] ?? '').split(/\s+/).filter(Boolean);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=');
    env[name] = value.join('=');
  }
  const entry = words.findIndex((word) => word.endsWith('main.js'));
  if (words[0] !== 'node' || entry < 0) throw new Error(`package.json scripts["${script}"] is not \`[VAR=value ...] node [flags] dist/cli/main.js start\`: ${scripts[script] ?? '(none)'}`);
  return { env, nodeFlags: words.slice(1, entry) };
}

import { chatBody, responsesBody, type RequestKind, type RunningTarget, type TargetContext } from './target.ts';

export interface TollgateTargetOptions {
  /** Scenario id, for the CPU profile's file name. */
  id: string;
  /** A file under bench/configs/. */
  config: string;
  /** The `provider/model` names the client sends, per request kind. */
  models: Record<RequestKind, string>;
  /** Extra request headers (e.g. a gateway key). */
  headers?: Record<string, string>;
  /** The config writes an access log: stdout goes to /dev/null, as users run it, not to the runner. */
  accessLog?: boolean;
  /** The client API the load uses: chat completions (default) or OpenAI's Responses API. */
  api?: 'chat' | 'responses';
  /** Started as this npm script starts it, instead of the run's Tollgate command (`npm start` or --node-flags). */
  command?: StartCommand;
}

/**
 * Tollgate as users start it (`tollgate start --config FILE`), in its own process on the target
 * core. The config reads the stand-in's address and the stream shapes
 * from BENCH_* variables; nothing else from this machine's environment reaches it (so no real
 * provider key turns on a zero-config provider).
 */
export async function startTollgate(context: TargetContext, options: TollgateTargetOptions): Promise<RunningTarget> {
  const port = await freePort();
  // A throw-away folder for anything a config stores (storage: sqlite:${BENCH_DATA_DIR}/...).
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    BENCH_GATEWAY_PORT: String(port),
    BENCH_UPSTREAM_URL: context.upstreamUrl,
    BENCH_DATA_DIR: dataDir,
    BENCH_STREAM_PREFIX: shapePrefix(context.profile.streams.shape),
    BENCH_MANY_STREAMS_PREFIX: shapePrefix(context.profile.manyStreams.shape),
    ...(options.command ?? context.tollgate).env,
  };
  const profiling = context.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${context.cpuProfileDir}`, `--cpu-prof-name=${options.id}-${Date.now()}.cpuprofile`] : [];
  const started = startNode({
    args: [...(options.command ?? context.tollgate).nodeFlags, ...profiling, tollgateEntry(context.repoRoot), 'start', '--config', join(context.repoRoot, 'bench/configs', options.config)],
    core: context.pinning.targetCore,
    cwd: context.repoRoot,
    env,
    stdout: options.accessLog ? 'ignore' : 'tail',
  });
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(started);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(`${origin}/v1/models`, started, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    pid: started.pid,
    request: (kind) =>
      options.api === 'responses'
        ? { origin, path: '/v1/responses', headers: { authorization: 'Bearer bench', ...options.headers }, body: responsesBody(options.models[kind], kind !== 'chat'), stream: kind !== 'chat', endMarker: 'response.completed' }
        : { origin, path: '/v1/chat/completions', headers: { authorization: 'Bearer bench', ...options.headers }, body: chatBody(options.models[kind], kind !== 'chat'), stream: kind !== 'chat' },
    diagnostics: () => [started.stdoutTail(), started.stderrTail()].filter(Boolean).join('\n').slice(-800),
    gone: () => {
      const status = started.exitStatus();
      return status === null ? null : `the target process exited (${status}) during the run; it logged: ${[started.stdoutTail(), started.stderrTail()].filter(Boolean).join('\n').slice(-800) || '(nothing)'}`;
    },
    stop,
  };
}
