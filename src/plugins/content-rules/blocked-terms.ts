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
 * A term as a pattern: its words (letters and digits, and any symbols it has) with markup allowed
 * inside them, the separators between them (any run of white space and punctuation in the term)
 * matching `betweenWords`; punctuation at its ends is literal (`.env`, `c++`). A boundary is asked
 * for at an end that is a letter or digit of a space-separated script, so `falconry` is not
 * `falcon` and `projectfalconer` is not `project falcon`.
 */
function termPattern(term: string): string {
  const characters = [...normalizeTerm(term)];
  const kept = characters.map((character) => !termSeparator.test(character));
  const firstKept = kept.indexOf(true);
  const lastKept = kept.lastIndexOf(true);
  const parts: string[] = [];
  let previous: 'character' | 'gap' | null = null;
  characters.forEach((character, index) => {
    // Separators between two kept characters are one gap; at the ends, punctuation is literal (white space was trimmed).
    const interior = index > firstKept && index < lastKept;
    if (!kept[index] && (interior || character === ' ')) {
      if (previous === 'character') parts.push(betweenWords);
      if (previous !== null) previous = 'gap';
      return;
    }
    if (previous === 'character') parts.push(inWord);
    parts.push(literal(character));
    previous = 'character';
  });
  if (parts.length === 0) return '';
  const first = characters[0];
  const last = characters.at(-1)!;
  // The boundary before is looked behind the first character, not ahead of it: a pattern that
  // starts with a literal is tried only where that character is (ten times faster on 20 KB).
  if (wordCharacter.test(first) && !unspacedScript.test(first)) parts.splice(1, 0, `(?<![\\p{L}\\p{N}]${parts[0]})`);
  if (wordCharacter.test(last) && !unspacedScript.test(last)) parts.push('(?![\\p{L}\\p{N}])');
  return parts.join('');
}

/** The blocked terms of a config, compiled once at load. */
export interface BlockedTerms {
  /** True when any view of the text (term-views.ts) holds a blocked term. */
  test(text: string): boolean;
}

/** All blocked terms as one regular expression, built once at config load; null when there are none. */
export function compileBlockedTerms(terms: readonly string[]): BlockedTerms | null {
  const patterns = terms.map(termPattern).filter((pattern) => pattern !== '');
  if (patterns.length === 0) return null;
  const expression = new RegExp(patterns.join('|'), 'u');
  return {
    test(text) {
      for (const view of termViews(text)) if (expression.test(view)) return true;
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
