import { leetCharacter, leetMatchAccepted, leetReadable } from './leet-spelling.ts';
import { markupCharacters, markupMark, normalizeTerm, termViews } from './term-views.ts';

// Scripts written without spaces between words: a term in them matches anywhere.
const unspacedScript = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const wordCharacter = /[\p{L}\p{N}]/u;
// Between a term's words: white space and punctuation (hyphens, dots, underscores, slashes, apostrophes…).
const termSeparator = /[\s\p{P}]/u;

/** Skipped between two characters of one word of a term: markdown markup and the markup mark. */
const inWord = `[${markupCharacters}]*`;
/**
 * Between two words of a term: any run of characters that are neither letters nor digits (white
 * space, punctuation, symbols, markup) or none — except a sentence end (`.`, `!`, `?`, `;` before
 * a space), which ends the phrase: `project. Falcon` is two sentences, `project.falcon` a term.
 */
const betweenWords = '(?:[^\\p{L}\\p{N}.!?;]|[.!?;](?! ))*';

function literal(character: string): string {
  return wordCharacter.test(character) ? character : `\\u{${character.codePointAt(0)!.toString(16)}}`;
}

/**
 * Three or more letters and digits, no symbol, of a space-separated script: a word that may be
 * written letter by letter. Not two: `I/O`, `A/B` and `a b` are no spelling of `io`, `ab`.
 */
function spellable(word: readonly string[]): boolean {
  return word.length >= 3 && word.every((character) => wordCharacter.test(character) && !unspacedScript.test(character));
}

/**
 * A term's word written letter by letter, after its first letter: the gap after the first letter
 * (one to three characters that are neither letters nor digits: `p r o j e c t`, `b.l.u.e`,
 * `f - a`), captured, then the same gap between every two letters. The spelling may not go on with
 * the same gap on either side of the term (`s u b p r o j e c t`, `p r o j e c t s`), so a word
 * boundary holds as for a written word; a word before it (`see p r o j e c t`) is no part of it.
 */
function spelledOut(word: readonly string[], spell: (character: string) => string, group: string, first: boolean, last: boolean): string {
  const gap = `\\k<${group}>`;
  const single = '(?<![\\p{L}\\p{N}])[\\p{L}\\p{N}]';
  const before = first ? `(?<!${single}${gap}${spell(word[0])}${gap})` : '';
  // Before the next word, the gap may end the spelling (`p.r.o.j.e.c.t. f.a.l.c.o.n`: `.`, then `betweenWords`).
  const after = last ? `(?!${gap}[\\p{L}\\p{N}](?![\\p{L}\\p{N}]))` : `(?:${gap})?`;
  return `(?<${group}>[^\\p{L}\\p{N}]{1,3})${before}${word.slice(1).map(spell).join(gap)}${after}`;
}

/** Names the capture groups of letter-by-letter words, unique within one regular expression. */
interface GroupNames {
  count: number;
}

/**
 * A term as a pattern: its words (letters and digits, and any symbols it has) with markup allowed
 * inside them, or written letter by letter (spelledOut), the separators between them (any run of
 * white space and punctuation in the term) matching `betweenWords`; punctuation at its ends is
 * literal (`.env`, `c++`). A boundary is asked for at an end that is a letter or digit of a
 * space-separated script, so `falconry` is not `falcon` and `projectfalconer` is not `project falcon`.
 * `spell` writes one character (literal, or with its leetspeak stand-ins: leet-spelling.ts).
 */
function termPattern(term: string, groups: GroupNames, spell: (character: string) => string = literal): string {
  const characters = [...normalizeTerm(term)];
  const kept = characters.map((character) => !termSeparator.test(character));
  const firstKept = kept.indexOf(true);
  const lastKept = kept.lastIndexOf(true);
  // Separators between two kept characters part two words; at the ends, punctuation is literal (white space was trimmed).
  const words: string[][] = [];
  let word: string[] | null = null;
  characters.forEach((character, index) => {
    const interior = index > firstKept && index < lastKept;
    if (!kept[index] && (interior || character === ' ')) {
      if (word !== null) words.push(word);
      word = null;
      return;
    }
    (word ??= []).push(character);
  });
  if (word !== null) words.push(word);
  if (words.length === 0) return '';
  const first = characters[0];
  const last = characters.at(-1)!;
  const parts = words.map((letters, index) => {
    const head = spell(letters[0]);
    // The boundary before is looked behind the first character, not ahead of it: a pattern that
    // starts with a literal is tried only where that character is (ten times faster on 20 KB).
    const boundary = index === 0 && wordCharacter.test(first) && !unspacedScript.test(first) ? `(?<![\\p{L}\\p{N}]${head})` : '';
    const written = letters.slice(1).map((character) => inWord + spell(character)).join('');
    if (!spellable(letters)) return head + boundary + written;
    const spelled = spelledOut(letters, spell, `s${groups.count++}`, index === 0, index === words.length - 1);
    return `${head}${boundary}(?:${written}|${spelled})`;
  });
  let pattern = parts.join(betweenWords);
  if (wordCharacter.test(last) && !unspacedScript.test(last)) pattern += '(?![\\p{L}\\p{N}])';
  return pattern;
}

/** The blocked terms of a config, compiled once at load. */
export interface BlockedTerms {
  /** True when any view of the text (term-views.ts) holds a blocked term, as written or in leetspeak. */
  test(text: string): boolean;
}

/** A letter's stand-ins (leet-spelling.ts) in a term's pattern, or the letter. */
function leetSpelling(character: string): string {
  return leetCharacter(character) ?? literal(character);
}

/**
 * All blocked terms in one pass over a view. A term read in leetspeak (leetReadable) is looked
 * for with its stand-ins in the same expression as the other terms as written, so a text without
 * either costs one pass; a match is taken when it is the term as written (`plain`, tried where
 * the match starts) or leetspeak that is no code (leetMatchAccepted), else the search goes on
 * from the next character.
 */
function compileSearch(terms: readonly string[], plainPatterns: readonly string[], plain: RegExp): (view: string) => boolean {
  const groups: GroupNames = { count: 0 };
  const patterns = terms.map((term) => termPattern(term, groups, leetReadable(normalizeTerm(term)) ? leetSpelling : literal)).filter((pattern) => pattern !== '');
  if (patterns.every((pattern, index) => pattern === plainPatterns[index])) return (view) => plain.test(view);
  const expression = new RegExp(patterns.join('|'), 'gu');
  const plainHere = new RegExp(plain.source, 'uy');
  return (view) => {
    expression.lastIndex = 0;
    for (let match = expression.exec(view); match !== null; match = expression.exec(view)) {
      plainHere.lastIndex = match.index;
      if (plainHere.test(view) || leetMatchAccepted(match[0])) return true;
      expression.lastIndex = match.index + 1;
    }
    return false;
  };
}

/** All blocked terms as regular expressions built once at config load (compileSearch); null when there are none. */
export function compileBlockedTerms(terms: readonly string[]): BlockedTerms | null {
  const groups: GroupNames = { count: 0 };
  const patterns = terms.map((term) => termPattern(term, groups)).filter((pattern) => pattern !== '');
  if (patterns.length === 0) return null;
  const search = compileSearch(terms, patterns, new RegExp(patterns.join('|'), 'u'));
  return {
    test(text) {
      for (const view of termViews(text)) if (search(view)) return true;
      return false;
    },
  };
}

/**
 * Texts the model reads in a row (a message's text parts): a term may run across two of them,
 * joined with nothing (`proj` + `ect falcon`) or as words of their own (`project` + `falcon`,
 * `falcon` + `ry`), as providers join parts with nothing or a line break — the markup mark is both.
 */
export function joinReadTogether(texts: readonly string[]): string {
  return texts.join(markupMark);
}

/**
 * Between texts read apart: a letter on a line of its own, so no term runs across it and a word
 * ends before it. Icelandic's thorn, which is no word alone (a term that is `þ` would match it),
 * and one byte, as the texts' own characters mostly are.
 */
const apart = '\nþ\n';

/** Texts the model reads apart (a tool's name, description and schema strings): searched in one pass, no term across two. */
export function joinReadApart(texts: readonly string[]): string {
  return texts.join(apart);
}
