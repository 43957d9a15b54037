import { readFileSync } from 'node:fs';

/** The rows of a JSON Lines file of labelled examples (test/fixtures/…), blank lines skipped. */
export function readLabelledSet<T>(url: URL): T[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/**
 * FNV-1a over the UTF-16 code units: a stable 70% tune / 30% held-out split that does not depend on
 * file order. Only the tune split's misses may guide changes to a detector.
 */
export function splitOf(text: string): 'tune' | 'held-out' {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 10 < 7 ? 'tune' : 'held-out';
}
