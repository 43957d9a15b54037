import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startNode, stopProcess, waitUntilListening } from '../runner/processes.ts';
import { chatBody, shapePrefixes, type RunningTarget, type TargetContext } from './target.ts';

export const portkeyVersion = '1.15.2';
// Portkey's streaming breaks with current @hono/node-server releases; 1.13.x works (issue 8).
const honoNodeServerVersion = '1.13.5';

function installedVersion(folder: string, name: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(folder, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** npm as the npm script runs it (npm_execpath under the same Node), else `npm` from PATH. */
function npmCommand(): { command: string; prefix: string[] } {
  const cli = process.env.npm_execpath;
  if (cli && cli.endsWith('.js')) return { command: process.execPath, prefix: [cli] };
  return { command: 'npm', prefix: [] };
}

/**
 * Installs the peer into the git-ignored bench/.peers/portkey (once; kept between runs), pinned
 * to the measured version with npm `overrides`. Resolves with the folder, or rejects with the
 * reason it could not be installed (no registry, npm failed, ...), which the report shows.
 */
export async function ensurePortkey(repoRoot: string): Promise<string> {
  const folder = join(repoRoot, 'bench/.peers/portkey');
  if (installedVersion(folder, '@portkey-ai/gateway') === portkeyVersion && installedVersion(folder, '@hono/node-server') === honoNodeServerVersion) return folder;
  mkdirSync(folder, { recursive: true });
  const manifest = {
    name: 'tollgate-bench-peer-portkey',
    private: true,
    description: 'Installed by bench/targets/portkey.ts; never committed.',
    dependencies: { '@portkey-ai/gateway': portkeyVersion },
    overrides: { '@hono/node-server': honoNodeServerVersion },
  };
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const npm = npmCommand();
  // --ignore-scripts: Portkey's postinstall (patch-package) has nothing to patch in the published build.
  const args = [...npm.prefix, 'install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error'];
  const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn(npm.command, args, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    let text = '';
    child.stdout.on('data', (piece: Buffer) => (text = (text + piece.toString()).slice(-2000)));
    child.stderr.on('data', (piece: Buffer) => (text = (text + piece.toString()).slice(-2000)));
    child.once('error', (error) => resolve({ code: -1, text: error.message }));
    child.once('close', (code) => resolve({ code, text }));
  });
  if (output.code !== 0) throw new Error(`npm install failed (${output.code}): ${output.text.trim().split('\n').slice(-3).join(' ')}`);
  if (installedVersion(folder, '@portkey-ai/gateway') !== portkeyVersion) throw new Error('npm install finished but @portkey-ai/gateway is not there');
  return folder;
}

/**
 * Portkey's open-source gateway (`start-server.js --port=N --headless`) on the target core. It
 * reaches the stand-in as an OpenAI provider with a custom host: the `x-portkey-provider` and
 * `x-portkey-custom-host` headers (127.0.0.1 is on its default list of trusted custom hosts).
 */
export async function startPortkey(context: TargetContext): Promise<RunningTarget> {
  const folder = await ensurePortkey(context.repoRoot);
  const entry = join(folder, 'node_modules/@portkey-ai/gateway/build/start-server.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing`);
  const port = await freePort();
  const started = startNode({
    args: [entry, `--port=${port}`, '--headless'],
    core: context.pinning.targetCore,
    cwd: folder,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdout: 'tail',
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitUntilListening(`${origin}/`, started, 20_000);
  } catch (error) {
    await stopProcess(started);
    throw error;
  }
  const prefixes = shapePrefixes(context.profile);
  return {
    pid: started.pid,
    request: (kind) => ({
      origin,
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer bench', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${context.upstreamUrl}${prefixes[kind]}/v1` },
      body: chatBody('gpt-4o-mini', kind !== 'chat'),
      stream: kind !== 'chat',
    }),
    diagnostics: () => [started.stdoutTail(), started.stderrTail()].filter(Boolean).join('\n').slice(-800),
    gone: () => {
      const status = started.exitStatus();
      return status === null ? null : `the target process exited (${status}) during the run; it logged: ${[started.stdoutTail(), started.stderrTail()].filter(Boolean).join('\n').slice(-800) || '(nothing)'}`;
    },
    stop: () => stopProcess(started),
  };
}
