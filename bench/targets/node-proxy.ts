import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { freePort, startNode, stopProcess, waitUntilListening } from '../runner/processes.ts';
import { standInRequests, type RunningTarget, type TargetContext } from './target.ts';

/** The bare Node proxies: the same work through undici's `request()` API or its dispatch API. */
export type NodeProxyServer = 'node-proxy-server.ts' | 'node-dispatch-server.ts';

/**
 * The server as JavaScript, under dist/bench-targets/ (where `undici` resolves from the project's
 * node_modules): run as TypeScript, Node would load its type stripper, a WebAssembly module that
 * stays resident, and the proxy would idle at ~89 MiB instead of ~74 — memory of the TypeScript
 * loader, not of a Node proxy. The gateway runs built JavaScript too (npm start).
 */
function emitJavaScript(repoRoot: string, server: NodeProxyServer): string {
  const source = readFileSync(join(repoRoot, 'bench/targets', server), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 } });
  const folder = join(repoRoot, 'dist/bench-targets');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, server.replace(/\.ts$/, '.js'));
  writeFileSync(file, outputText);
  return file;
}

/**
 * A bare Node proxy (node-proxy-server.ts or node-dispatch-server.ts) on the target core: what a
 * gateway written for Node costs before it does any gateway work, to read Tollgate's rows against
 * (how much of its cost is Node's HTTP in and out, how much is gateway work) and nginx's (what one
 * core of Node serves with no policy). Plain `node` running the server as JavaScript, no tuning
 * flags; it gets the requests `direct` sends.
 */
export async function startNodeProxy(context: TargetContext, server: NodeProxyServer = 'node-proxy-server.ts'): Promise<RunningTarget> {
  const port = await freePort();
  const started = startNode({
    args: [emitJavaScript(context.repoRoot, server), String(port), context.upstreamUrl],
    core: context.pinning.targetCore,
    cwd: context.repoRoot,
    env: { PATH: process.env.PATH },
    stdout: 'tail',
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitUntilListening(`${origin}/healthz`, started, 10_000);
  } catch (error) {
    await stopProcess(started);
    throw error;
  }
  return {
    pid: started.pid,
    request: standInRequests(origin, context.profile),
    diagnostics: () => started.stderrTail(),
    gone: () => {
      const status = started.exitStatus();
      return status === null ? null : `the Node proxy exited (${status}) during the run: ${started.stderrTail() || '(no stderr)'}`;
    },
    stop: () => stopProcess(started),
  };
}
