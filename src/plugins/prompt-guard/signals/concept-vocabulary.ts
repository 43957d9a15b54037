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

/**
 * Letters written without their accent in texts typed on a keyboard that lacks them ("instructiunile",
 * "predchozi", "huong dan"), or with the look-alike a legacy layout has (Romanian ş ţ with a cedilla for
 * ș ț): each such letter of a word becomes a class of its forms. Letters that are not a base letter plus
 * a mark in Unicode are mapped by hand (đ ł ø ı).
 */
const unaccentedForms: Record<string, string> = { đ: 'd', ł: 'l', ø: 'o', ı: 'i', ș: 'sş', ş: 'sș', ț: 'tţ', ţ: 'tț' };

function accentForms(character: string): string | null {
  const manual = unaccentedForms[character];
  if (manual !== undefined) return manual;
  const bare = character.normalize('NFD').replace(/\p{M}/gu, '');
  return bare !== character && bare.length === 1 ? bare : null;
}

/** A word list's source with every accented letter also matching its unaccented forms (lower case only). */
function accentFree(alternative: string, from = 0): string {
  let source = alternative.slice(0, from);
  for (let index = from; index < alternative.length; index++) {
    const character = alternative[index]!;
    // Escapes (\p{L}, \s) and regex syntax are kept as written.
    if (character === '\\') {
      const property = /^\\[pP]\{[^}]+\}/.exec(alternative.slice(index));
      const escape = property?.[0] ?? alternative.slice(index, index + 2);
      source += escape;
      index += escape.length - 1;
      continue;
    }
    // A class written in the list ("вс[её]") is kept as written.
    if (character === '[') {
      const close = alternative.indexOf(']', index + 1);
      source += alternative.slice(index, close + 1);
      index = close;
      continue;
    }
    const forms = accentForms(character);
    source += forms === null ? character : `[${character}${forms}]`;
  }
  return source;
}

/** The word as typed without accents: "instrucțiunile" -> "instructiunile". */
function stripAccents(text: string): string {
  return [...text].map((character) => (accentForms(character) ?? character)[0]).join('');
}

function literalStartOrNone(alternative: string): string {
  try {
    return literalStart(alternative);
  } catch {
    return '';
  }
}

/** "(?:a|b) c" -> ["a c", "b c"]: an alternative that opens with a group starts with one of its options. */
function leadingOptions(word: string): string[] {
  if (!word.startsWith('(?:')) return [word];
  const options: string[] = [];
  let depth = 0;
  let from = 3;
  for (let index = 3; index < word.length; index++) {
    const character = word[index]!;
    if (character === '\\') index++;
    else if (character === '(') depth++;
    else if (character === ')' && depth > 0) depth--;
    else if (character === '|' && depth === 0) {
      options.push(word.slice(from, index));
      from = index + 1;
    } else if (character === ')') {
      options.push(word.slice(from, index));
      if (word[index + 1] === '?' || word[index + 1] === '*') return [word.slice(index + 2)];
      return options.map((option) => option + word.slice(index + 1)).flatMap(leadingOptions);
    }
  }
  return [word];
}

/**
 * A concept like `concept`, for languages whose accents are often left out: each word also matches
 * without them. Its keywords are each word's literal start before its first accented letter when
 * that is five letters or more ("instruc" for "instrucțiunile"), otherwise the start as written and
 * as typed without accents ("învață", "invata").
 */
export function accentFreeConcept(words: readonly string[]): Concept {
  // Alternatives that open with a group are spelled out, so that every one starts with literal text
  // and a pattern anchored on the concept is tried only where those begin (match-starts.ts).
  // An accented first letter is two alternatives, not a class: a class opening it would hide its start too.
  const spelled = words.flatMap(leadingOptions).flatMap((word) => {
    const forms = accentForms(word[0]!);
    return forms === null ? [accentFree(word)] : [word[0]!, ...forms].map((first) => accentFree(first + word.slice(1), 1));
  });
  const source = concept(spelled).source;
  let derived: string[] | undefined;
  return {
    source,
    // Derived when a pattern asks for them, like `concept`'s.
    get keywords() {
      if (derived === undefined) {
        const keywords = new Set<string>();
        for (const word of words.flatMap(leadingOptions)) {
          const shared = literalStartOrNone(accentFree(word));
          if (shared.trim().length >= 5) keywords.add(shared);
          else for (const variant of new Set([word, stripAccents(word), word.replaceAll('ș', 'ş').replaceAll('ț', 'ţ')])) keywords.add(literalStart(variant));
        }
        derived = [...keywords];
      }
      return derived;
    },
  };
}
