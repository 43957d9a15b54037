import type { Detection } from './detector.ts';

/*
 * Whole-text tests and stream scopes. A few decisions rest on the whole text, not on the match and
 * its neighbourhood: "an SQL INSERT anywhere", "a first-person word anywhere" (a general-knowledge
 * question names no one speaking of themselves), "a three-digit number in figures anywhere" (then
 * it is no dictation). A stream scans the text it has sent again each time more arrives
 * (stream-hold-back.ts): within its scope such a test reads only what came since it last found
 * nothing, so a scan costs what the new text costs, not what the whole text does.
 */

/** What the scans of one streamed text share: the state of its whole-text tests, and what a scan left out provisionally. */
export class StreamScope {
  /** Per test: how far into the text it has read without a match, or that it matched. */
  readonly #tested = new Map<RegExp, { length: number; found: boolean }>();
  /**
   * The last scan's matches that only a whole-text exemption left out ("Who lives at …?" names
   * no one speaking of themselves): more text may still lift it, so a stream holds them.
   */
  provisional: Detection[] = [];
  /** The text is whole (the stream has ended): its scans decide as a whole text's do, nothing is provisional. */
  final = false;

  /** What detectors keep from one scan of the text to the next (streamState). */
  readonly #states = new Map<object, unknown>();

  /** The text no longer grows from the same start (a stream let its oldest lines go): forget what was read. */
  reset(): void {
    this.#tested.clear();
    this.#states.clear();
  }

  state<T>(key: object, create: () => T): T {
    let state = this.#states.get(key) as T | undefined;
    if (state === undefined) this.#states.set(key, (state = create()));
    return state;
  }

  /** `pattern` (no `g`/`y` flag) matches somewhere in `text`, read from where its last test of this text's start stopped. */
  has(text: string, pattern: RegExp): boolean {
    const known = this.#tested.get(pattern);
    if (known?.found) return true;
    const searching = globalForms.get(pattern) ?? new RegExp(pattern.source, `${pattern.flags}g`);
    globalForms.set(pattern, searching);
    // A match may straddle where the last test stopped: read a little of it again.
    searching.lastIndex = known === undefined ? 0 : Math.max(0, known.length - overlap);
    const match = searching.exec(text);
    if (match === null) {
      this.#tested.set(pattern, { length: text.length, found: false });
      return false;
    }
    // A match near the end may still be undone by what follows ("ma" in "Who was Ma…" before
    // "rie"): the next test reads it again; one that ends the text does not count before the
    // stream ends (the last word is not whole yet).
    const end = match.index + match[0].length;
    const settled = end + overlap <= text.length;
    this.#tested.set(pattern, { length: settled ? text.length : match.index, found: settled });
    return end < text.length || this.final;
  }
}

/** Longer than any whole-text test's match. */
const overlap = 64;
const globalForms = new WeakMap<RegExp, RegExp>();

/** The scope of the scan running now (scans are synchronous: one at a time). */
let active: StreamScope | undefined;

/** Runs `scan` with `scope` as the scope of the whole-text tests and provisional matches it makes. */
export function inScope<T>(scope: StreamScope | undefined, scan: () => T): T {
  const outer = active;
  active = scope;
  try {
    return scan();
  } finally {
    active = outer;
  }
}

/** True when `pattern` (no `g`/`y` flag, no `^` anchor) matches somewhere in `text`; in a stream, only the new text is read. */
export function wholeTextHas(text: string, pattern: RegExp): boolean {
  return active === undefined ? pattern.test(text) : active.has(text, pattern);
}

/**
 * What a detector keeps from one scan of a stream's text to the next (the SQL statements already
 * read to their end, say), under its own `key`; undefined outside a stream. The text only grows
 * until the stream lets its oldest lines go, when the state starts again.
 */
export function streamState<T>(key: object, create: () => T): T | undefined {
  return active?.state(key, create);
}

/** True when the running scan is a stream's before its end: matches a whole-text exemption leaves out are wanted as provisional ones. */
export function wantsProvisional(): boolean {
  return active !== undefined && !active.final;
}
