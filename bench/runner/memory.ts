import { readFileSync, writeFileSync } from 'node:fs';

/** Resident memory of a process from /proc/<pid>/status, in MiB; null where /proc is not there. */
export interface MemoryReading {
  /** VmRSS: resident now. */
  rss: number | null;
  /** VmHWM: the peak resident size since start (or since the last reset). */
  peak: number | null;
  /**
   * RssAnon: the resident part that is the process's own (heap, stacks, V8's heap). The rest of
   * VmRSS is file-backed (the node binary's code and data, shared libraries) or shared memory:
   * pages the kernel shares with every process that maps the same file and can drop and read back.
   */
  anonymous: number | null;
}

function field(status: string, name: string): number | null {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null;
}

export function readMemory(pid: number): MemoryReading {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rss: field(status, 'VmRSS'), peak: field(status, 'VmHWM'), anonymous: field(status, 'RssAnon') };
  } catch {
    return { rss: null, peak: null, anonymous: null };
  }
}

/**
 * Resets VmHWM so the next reading is the peak of what follows only (Linux: writing 5 to
 * /proc/<pid>/clear_refs). Returns false where that is not allowed; the caller then relies on
 * the sampled VmRSS maximum.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS every `everyMs` and keeps the maximum (catches a peak VmHWM cannot be reset for). */
export class RssSampler {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  max: number | null = null;

  constructor(pid: number, everyMs = 100) {
    this.#pid = pid;
    this.#timer = setInterval(() => this.sample(), everyMs);
    this.#timer.unref();
    this.sample();
  }

  sample(): void {
    const { rss } = readMemory(this.#pid);
    if (rss !== null && (this.max === null || rss > this.max)) this.max = rss;
  }

  stop(): number | null {
    clearInterval(this.#timer);
    this.sample();
    return this.max;
  }
}
