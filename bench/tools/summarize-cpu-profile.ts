import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * Top self-time functions of a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --cpu-prof`):
 * overall, and only those in files whose path (relative to --root, default the current folder)
 * starts with --filter (default `src/`: Tollgate's code).
 *
 *   node bench/tools/summarize-cpu-profile.ts bench/results/profiles/passthrough-*.cpuprofile [--top=25]
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Row {
  name: string;
  location: string;
  selfMs: number;
}

function label(node: ProfileNode, root: string): Row {
  const frame = node.callFrame;
  const url = frame.url.replace(/^file:\/\//, '').replace(root, '');
  return { name: frame.functionName || '(anonymous)', location: url ? `${url}:${frame.lineNumber + 1}` : '(native)', selfMs: 0 };
}

function summarize(profile: CpuProfile, root: string): { rows: Row[]; totalMs: number; idleMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const rows = new Map<string, Row>();
  let totalMs = 0;
  let idleMs = 0;
  // Each sample's time is the delta to the next sample: attribute it to the sampled (leaf) node.
  for (let index = 0; index < profile.samples.length; index++) {
    const node = byId.get(profile.samples[index]);
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    if (!node) continue;
    totalMs += ms;
    if (node.callFrame.functionName === '(idle)') idleMs += ms;
    const row = label(node, root);
    const key = `${row.name} ${row.location}`;
    const existing = rows.get(key) ?? row;
    existing.selfMs += ms;
    rows.set(key, existing);
  }
  return { rows: [...rows.values()].sort((left, right) => right.selfMs - left.selfMs), totalMs, idleMs };
}

/** Where a function lives: Tollgate's src/, Node's core, an npm package, or native (GC, syscalls). */
function origin(row: Row, filter: string): string {
  if (row.location.startsWith(filter)) return filter;
  if (row.location.startsWith('node:')) return 'node core (node:*)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(row.location);
  if (packageMatch) return `npm: ${packageMatch[1]}`;
  if (row.location === '(native)') return `native: ${row.name}`;
  return row.location.startsWith('wasm://') ? 'wasm (undici llhttp)' : 'other';
}

function print(title: string, rows: Row[], busyMs: number, top: number): void {
  process.stdout.write(`\n${title}\n\n| self ms | % of busy | function | where |\n|---:|---:|---|---|\n`);
  for (const row of rows.slice(0, top)) {
    process.stdout.write(`| ${row.selfMs.toFixed(0)} | ${((row.selfMs / busyMs) * 100).toFixed(1)} | ${row.name} | ${row.location} |\n`);
  }
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, filter: { type: 'string', default: 'src/' }, root: { type: 'string', default: process.cwd() } } });
const top = Number(values.top);
for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const { rows, totalMs, idleMs } = summarize(profile, values.root.endsWith('/') ? values.root : `${values.root}/`);
  const busyMs = totalMs - idleMs;
  process.stdout.write(`# ${file}\n\nsampled ${(totalMs / 1000).toFixed(1)} s, idle ${(idleMs / 1000).toFixed(1)} s, busy ${(busyMs / 1000).toFixed(1)} s\n`);
  print('## Top self time, everything', rows.filter((row) => row.name !== '(idle)'), busyMs, top);
  const byOrigin = new Map<string, number>();
  for (const row of rows) if (row.name !== '(idle)') byOrigin.set(origin(row, values.filter), (byOrigin.get(origin(row, values.filter)) ?? 0) + row.selfMs);
  process.stdout.write(`\n## Self time by origin\n\n| self ms | % of busy | origin |\n|---:|---:|---|\n`);
  for (const [name, ms] of [...byOrigin.entries()].sort((left, right) => right[1] - left[1]).slice(0, top)) process.stdout.write(`| ${ms.toFixed(0)} | ${((ms / busyMs) * 100).toFixed(1)} | ${name} |\n`);
  const ours = rows.filter((row) => row.location.startsWith(values.filter));
  const oursMs = ours.reduce((sum, row) => sum + row.selfMs, 0);
  print(`## Top self time in ${values.filter} (together ${oursMs.toFixed(0)} ms, ${((oursMs / busyMs) * 100).toFixed(1)} % of busy)`, ours, busyMs, top);
  // Self time by file: where the gateway's own code spends it, a level up from single functions.
  const byFile = new Map<string, number>();
  for (const row of ours) {
    const file = row.location.replace(/:\d+$/, '');
    byFile.set(file, (byFile.get(file) ?? 0) + row.selfMs);
  }
  process.stdout.write(`\n## Self time by file in ${values.filter}\n\n| self ms | % of busy | file |\n|---:|---:|---|\n`);
  for (const [name, ms] of [...byFile.entries()].sort((left, right) => right[1] - left[1]).slice(0, top)) process.stdout.write(`| ${ms.toFixed(0)} | ${((ms / busyMs) * 100).toFixed(1)} | ${name} |\n`);
  process.stdout.write('\n');
}
