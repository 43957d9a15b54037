/*
 * The reading of a streamed text's last words that stream-open-tails.ts builds on: words back from
 * the end, the unfinished last word, what a word may start or end with.
 */

/** At most this much text (from a run's first word to the text's end) is held for a run of words. */
export const openTailLimit = 128;

/**
 * Where the run of words at the end of `text` that may still become (part of) a match begins, or
 * -1. `wordsEnd` is where the unfinished last word begins (the text after it holds no whitespace);
 * nothing before `from` is read.
 */
export type OpenTailFinder = (text: string, wordsEnd: number, from: number) => number;

/** Whitespace between words, the Unicode spaces that group digits (no-break, narrow, thin, figure…) included. */
export function isSpace(code: number): boolean {
  if (code < 0x80) return code === 32 || code === 10 || code === 9 || code === 13;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f || code === 0x205f || code === 0x3000;
}

/** One word back from `cursor` (whitespace before `cursor` skipped), not before `from`; null when none is left or the window cuts it. */
export function wordBefore(text: string, cursor: number, from: number): { start: number; end: number } | null {
  let end = cursor;
  while (end > from && isSpace(text.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > from && !isSpace(text.charCodeAt(start - 1))) start--;
  if (start === end || (start === from && from > 0 && !isSpace(text.charCodeAt(from - 1)))) return null;
  return { start, end };
}

/** "May the unfinished word still become one of these words?": true for every non-empty prefix of one. */
export function prefixTest(words: Iterable<string>): (partial: string) => boolean {
  const prefixes = new Set<string>();
  let longest = 0;
  for (const word of words) {
    longest = Math.max(longest, word.length);
    for (let length = 1; length <= word.length; length++) prefixes.add(word.slice(0, length));
  }
  return (partial) => partial.length <= longest && prefixes.has(partial);
}

/** The words of a regex alternation of literals with optional tails (`jan(?:uary)?`, `june?`, `str\.`), each in its longest form. */
export function longestForms(alternation: string): string[] {
  return alternation.replace(/\(\?:|\)\?|\?|\\/g, '').split('|');
}

export const escapeRegExp = (word: string): string => word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Quotes and brackets a word of a run may start with (as a regex). */
export const leading = `["'“‘„«(\\[]*`;
/** Punctuation a word of a run may end with (as a regex). */
export const trailing = '[,;:.)]*';
export const withoutTrailing = (word: string): string => word.replace(/[,;:.)]+$/u, '');

/**
 * Where a value glued to what opens it begins: after the last quote, bracket, `>`, `=`, `:` or
 * cell separator in the word (`"Lindenallee`, `<address>5`, `line1="615`, `Kühn;Hauptstraße`); the
 * detectors match from a word boundary, not only from a space. 0 when nothing opens it.
 */
export function afterOpener(word: string): number {
  // Punctuation that ends the word ("B-42,", "Terrace.") opens nothing.
  for (let index = withoutTrailing(word).length - 1; index >= 0; index--) {
    const character = word[index];
    if (!'"\'“”‘’„«»(<>[{=:;,|'.includes(character)) continue;
    // An apostrophe in a word ("O'Brien", "l'Église") opens nothing.
    if ((character === "'" || character === '’') && index > 0 && /\p{L}/u.test(word[index - 1])) continue;
    return index + 1;
  }
  return 0;
}

export interface WordRun {
  /** At most this many words from the run's first word to its last. */
  maxWords: number;
  /** A word that can stand in a match after its first word. */
  member(word: string): boolean;
  /**
   * Where in `word` a match can begin (0 for the whole word), given the word after it (the
   * unfinished one, '' when none has begun); -1 when none can.
   */
  begins(word: string, next: string): number;
  /** The unfinished last word may still become a member. */
  mayBecome(partial: string): boolean;
}

/** `begins` for a run whose matches begin with a whole word that passes `test`. */
export const wholeWord =
  (test: (word: string) => boolean) =>
  (word: string): number =>
    test(word) ? 0 : -1;

/**
 * A finder for a run of member words back from the end: the earliest word that can begin a match
 * is its start. The unfinished last word must be able to continue the run, or the run is decided.
 */
export function wordRun(run: WordRun): OpenTailFinder {
  return (text, wordsEnd, from) => {
    const partial = text.slice(wordsEnd);
    if (partial !== '' && !run.mayBecome(partial)) return -1;
    let start = -1;
    let next = partial;
    let cursor = wordsEnd;
    for (let count = 0; count < run.maxWords; count++) {
      const span = wordBefore(text, cursor, from);
      if (span === null) break;
      const word = text.slice(span.start, span.end);
      const begins = run.begins(word, next);
      if (begins !== -1) start = span.start + begins;
      else if (!run.member(word)) break;
      next = word;
      cursor = span.start;
    }
    return start;
  };
}
