import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, startCommand, stopProcess, waitUntilListening } from '../runner/processes.ts';
import { standInRequests, type RunningTarget, type TargetContext } from './target.ts';

/**
 * The reference of issue 8's "≥ 35% of an nginx reverse proxy" goal: the system's nginx as a
 * plain reverse proxy in front of the stand-in upstream, one process on the target core. It
 * passes the very requests `direct` sends (the stream shape is the path prefix, forwarded
 * untouched), so its rows mean what direct's mean, with one proxy hop added.
 */

/** Short enough to fit the goals table's cell after `nginx: not measured: no nginx binary found; `. */
export const nginxInstallHint = 'install: `apt-get install -y nginx-light`, or nginx on PATH';

/** The nginx binary: on PATH, else where distributions put it (sbin is often not on a user's PATH). */
export function findNginx(): string | null {
  const folders = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];
  for (const folder of folders) {
    const candidate = join(folder, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** `nginx -V` output (it prints to stderr): the version line and the configure arguments. */
function nginxBuild(binary: string): string {
  const answer = spawnSync(binary, ['-V'], { encoding: 'utf8', timeout: 5000 });
  return `${answer.stdout ?? ''}${answer.stderr ?? ''}`;
}

/** "1.22.1", or null when there is no nginx or it does not say. */
export function nginxVersion(binary = findNginx()): string | null {
  if (!binary) return null;
  return /nginx version: nginx\/(\S+)/.exec(nginxBuild(binary))?.[1] ?? null;
}

/**
 * The whole configuration. master_process off: the one process we start is the one that serves
 * (the measured pid; nothing forks off the pinned core). Upstream keepalive as anyone would run a
 * proxy in front of an API; proxy_buffering off so SSE events are passed on as they arrive;
 * keepalive_requests raised on both sides so nginx does not close a connection every 1,000
 * requests (Tollgate does not, and reconnecting would be charged to nginx). Every path nginx
 * writes is in `folder`, so it runs without touching /var or /etc.
 */
function nginxConfig(folder: string, port: number, upstreamUrl: string, build: string): string {
  const upstream = new URL(upstreamUrl);
  // A temp path for a module the build lacks would be an unknown directive; one it has but we do
  // not set would default to /var/lib/nginx, which a non-root user cannot create.
  const tempPaths = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .filter((name) => name === 'client_body' || name === 'proxy' || !build.includes(`--without-http_${name}_module`))
    .map((name) => `  ${name}_temp_path ${join(folder, `${name}-temp`)};`);
  return `# Written by bench/targets/nginx.ts for one bench run; removed when the target stops.
worker_processes 1;
daemon off;
master_process off;
pid ${join(folder, 'nginx.pid')};
error_log ${join(folder, 'error.log')} warn;
# 1,000 held-open streams are 2,000 sockets (client and upstream side).
worker_rlimit_nofile 16384;
events {
  worker_connections 8192;
}
http {
  access_log off;
${tempPaths.join('\n')}
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  upstream standin {
    server ${upstream.hostname}:${upstream.port};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / {
      proxy_pass http://standin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`;
}

/** nginx on the target core, proxying to the stand-in. */
export async function startNginx(context: TargetContext): Promise<RunningTarget> {
  const binary = findNginx();
  if (!binary) throw new Error(`no nginx binary found; ${nginxInstallHint}`);
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'tollgate-bench-nginx-'));
  const configPath = join(folder, 'nginx.conf');
  for (const name of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(folder, `${name}-temp`));
  writeFileSync(configPath, nginxConfig(folder, port, context.upstreamUrl, nginxBuild(binary)));
  const errorLog = () => {
    try {
      return readFileSync(join(folder, 'error.log'), 'utf8').trim().slice(-800);
    } catch {
      return '';
    }
  };
  // -e: the error log from the very start, before the config is read (else /var/log/nginx).
  const started = startCommand(binary, { args: ['-p', folder, '-c', configPath, '-e', join(folder, 'error.log')], core: context.pinning.targetCore, env: { PATH: process.env.PATH }, stdout: 'tail' });
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(started);
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(`${origin}/healthz`, started, 10_000);
  } catch (error) {
    const logged = errorLog();
    await stop();
    throw new Error(`${(error as Error).message}${logged ? `; error.log: ${logged}` : ''}`);
  }
  return {
    pid: started.pid,
    request: standInRequests(origin, context.profile),
    diagnostics: () => [started.stderrTail(), errorLog()].filter(Boolean).join('\n').slice(-800),
    gone: () => {
      const status = started.exitStatus();
      return status === null ? null : `nginx exited (${status}) during the run; error.log: ${errorLog() || '(empty)'}`;
    },
    stop,
  };
}
