import assert from 'node:assert/strict';

function fastestOf(runs: number, work: () => void): number {
  let fastest = Infinity;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

/** A text of `size` characters made of `unit` repeated (the input builder assertScalesLinearly takes). */
export function repeated(unit: string): (size: number) => string {
  return (size) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/**
 * Checks that `scan` takes time roughly proportional to its input: ten times the text may take at
 * most `maxRatio` times as long (10 is linear, 100 quadratic), judged on the fastest of a few runs
 * so a busy machine does not decide it. `text(size)` builds an input of about `size` characters.
 */
export function assertScalesLinearly(scan: (text: string) => unknown, text: (size: number) => string, label: string, maxRatio = 30): void {
  const small = text(10 * 1024);
  const large = text(100 * 1024);
  scan(small);
  const smallMs = Math.max(fastestOf(3, () => scan(small)), 0.5);
  const largeMs = fastestOf(3, () => scan(large));
  assert.ok(largeMs / smallMs < maxRatio, `${label}: 10 KB in ${smallMs.toFixed(2)} ms, 100 KB in ${largeMs.toFixed(2)} ms`);
}
