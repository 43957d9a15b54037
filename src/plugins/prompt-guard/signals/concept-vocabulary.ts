/**
 * Concepts as word lists in many languages (the *-cues.ts files), with the keywords a pattern built
 * from them is gated by (the literal start of every alternative, looked up in keyword-index.ts), and
 * the helpers that keep such regexes small: compiling them is most of a first message's cost.
 */

/** Not preceded or followed by a letter: `\b` only knows ASCII. */
export const start = String.raw`(?<![\p{L}])`;
export const end = String.raw`(?![\p{L}])`;

/**
 * One more character of the same word: not a space, a digit or punctuation. It stands for `\p{L}` in
 * word endings ("nutzer…", "пользовател…"): `\p{L}` compiles to hundreds of ranges for texts
 * outside Latin-1, and a regex with dozens of them took tenths of a second to compile.
 */
export const letter = String.raw`[^\s\d.,;:!?¿¡"'()\[\]{}<>«»„“”‘’\-–—/\\|*+=_#@&%~…。、，！？：；「」『』（）]`;

/** Word endings written `\p{L}*` or `\p{L}+` in a source, with the cheaper class. */
export function cheapLetters(source: string): string {
  return source.replaceAll('\\p{L}*', `${letter}*`).replaceAll('\\p{L}+', `${letter}+`);
}

export interface Concept {
  /** A regex source (for the `u` flag, with `i` or on lower-cased text) matching any alternative. */
  readonly source: string;
  /** Lower-case fragments, one of which every match contains (throws when an alternative opens with regex syntax). */
  readonly keywords: string[];
}

const syntax = new Set(['\\', '(', ')', '[', ']', '{', '}', '?', '*', '+', '|', '.', '^', '$']);

/** The literal text an alternative starts with, up to its first regex syntax ("tokens?" gives "token"). */
function literalStart(alternative: string): string {
  let literal = '';
  for (let index = 0; index < alternative.length; index++) {
    const character = alternative[index]!;
    if (syntax.has(character)) break;
    const next = alternative[index + 1];
    // A quantified character is optional: it cannot be part of the required start.
    if (next === '?' || next === '*' || next === '{') break;
    literal += character;
  }
  if (literal.trim().length < 2 && !/[^\x00-\x7F]/.test(literal)) throw new Error(`prompt-guard: the alternative ${JSON.stringify(alternative)} starts with too little literal text to gate a pattern; give the concept its keywords`);
  return literal.toLowerCase();
}

/**
 * A concept from words (matched whole: no letter before or after) and glyphs (scripts whose
 * words run together or take prefixes: Chinese, Japanese, Korean, Arabic, Hebrew, Hindi).
 * `keywords` replaces the literal starts when the alternatives open with a group.
 */
export function concept(words: readonly string[], glyphs: readonly string[] = [], keywords?: readonly string[]): Concept {
  const parts: string[] = [];
  if (words.length > 0) parts.push(`${start}(?:${cheapLetters(words.join('|'))})${end}`);
  if (glyphs.length > 0) parts.push(cheapLetters(glyphs.join('|')));
  let derived: string[] | undefined;
  return {
    source: `(?:${parts.join('|')})`,
    // Derived when a pattern asks for them: a concept used only beside a rarer one needs none.
    get keywords() {
      derived ??= [...new Set(keywords ?? [...words, ...glyphs].map(literalStart))];
      return derived;
    },
  };
}

/**
 * A regex source for `anchor` with another concept shortly before or after it, starting at the
 * anchor: give the rarer concept as the anchor. A regex that opens with a long list of common
 * words tries it at every position of the text; one that opens with a rare word fails fast.
 * `before` and `after` are [concept source, gap between them and the anchor].
 */
export function around(anchor: string, sides: { before?: [string, string]; after?: [string, string] }): string {
  // The anchor is captured once and the look-behind ends with a back-reference to it: a second copy
  // of a long word list would double the regex, and compiling is most of a first message's cost.
  const name = `around${++aroundCount}`;
  const checks: string[] = [];
  if (sides.before) checks.push(`(?<=${sides.before[0]}${sides.before[1]}\\k<${name}>)`);
  if (sides.after) checks.push(`(?=${sides.after[1]}${sides.after[0]})`);
  return `(?<${name}>${anchor})(?:${checks.join('|')})`;
}

let aroundCount = 0;

/**
 * A regex for a `lowered` pattern (signal.ts): no `i` flag, so its source must be in lower case. An
 * upper-case letter outside an escape (`\p{L}`, `\s`) could never match the lower-cased text.
 */
export function lowerCase(source: string): RegExp {
  const unescaped = source.replace(/\\(?:p\{[A-Za-z_]+\}|.)/g, '');
  if (/\p{Lu}/u.test(unescaped)) throw new Error(`prompt-guard: a lower-cased pattern has upper-case letters: ${unescaped.match(/.{0,20}\p{Lu}.{0,20}/u)?.[0]}`);
  return new RegExp(cheapLetters(source), 'u');
}
