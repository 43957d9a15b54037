import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of processes from /proc/<pid>/stat (Linux), so a report can say how busy a target's
 * core was, or how many requests a process served per CPU-second, whatever else shared the cores.
 */

let ticksPerSecond: number | null = null;

/** USER_HZ, the unit of utime and stime (100 on every common Linux; asked of getconf once). */
export function clockTicks(): number {
  if (ticksPerSecond === null) {
    const answer = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const value = Number(answer.stdout?.trim());
    ticksPerSecond = Number.isInteger(value) && value > 0 ? value : 100;
  }
  return ticksPerSecond;
}

/** The fields after `pid (comm)`; comm may hold spaces and parentheses, so split after the last ')'. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** User + system CPU seconds the process (every thread of it) has used; null where /proc cannot tell. */
export function cpuSeconds(pid: number): number | null {
  const fields = statFields(pid);
  // Fields 14 and 15 of stat(5) are utime and stime; this array starts at field 3 (state).
  if (!fields || fields.length < 13) return null;
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/** The process and every descendant (a cluster primary and its workers), found by parent pid. */
export function processTree(rootPid: number): number[] {
  const parents = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [rootPid];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields) continue;
    const parent = Number(fields[1]);
    parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    tree.push(pid);
    pending.push(...(parents.get(pid) ?? []));
  }
  return tree;
}
