import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { nginxVersion } from '../targets/nginx.ts';

export interface SystemInfo {
  node: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  commit: string;
  /** src/ had uncommitted changes: the numbers are of code no commit has. */
  dirty: boolean;
  versions: Record<string, string>;
  /** 1-minute load average when the run started: other work on the machine makes numbers noisy. */
  loadAverage: number;
}

function git(repoRoot: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function packageVersion(repoRoot: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // not Linux: fall through to what Node reports
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function systemInfo(repoRoot: string): SystemInfo {
  return {
    node: process.version,
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    kernel: release(),
    commit: git(repoRoot, ['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: git(repoRoot, ['status', '--porcelain', '--', 'src']) !== '',
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
    versions: {
      undici: packageVersion(repoRoot, 'undici'),
      autocannon: packageVersion(repoRoot, 'autocannon'),
      'hdr-histogram-js': packageVersion(repoRoot, 'hdr-histogram-js'),
      // The `nginx` reference target's version (Debian's build, not pinned by this repository).
      nginx: nginxVersion() ?? 'not installed',
    },
  };
}
