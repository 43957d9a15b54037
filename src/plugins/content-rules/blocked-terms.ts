// Zero-width and formatting characters that split a word without showing (soft hyphen included).
const invisible = /[\u200B-\u200F\u2060-\u2064\u180E\u00AD\u034F\uFEFF\u202A-\u202E\u2066-\u2069]/gu;

// Dashes and minus signs that read as a hyphen: U+2010 hyphen and U+2011 non-breaking hyphen
// (NFKD maps U+2011 to U+2010, not to '-'), figure, en and em dashes, U+2212 minus and the rest of
// Unicode's dash punctuation (full-width and small hyphen-minus already decompose to '-').
const dashes = /[\p{Pd}\u2212\u2043\u02D7\u2796]/gu;

/**
 * The form both terms and prompts are compared in: compatibility decomposition (full-width and
 * ligatures become plain letters), accents and other combining marks dropped, invisible
 * characters removed, dashes as '-', lower case, runs of white space (any Unicode space) as one space.
 */
export function normalizeForTerms(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').replace(invisible, '').replace(dashes, '-').toLowerCase().replace(/\s+/gu, ' ');
}

// Scripts written without spaces between words: a term in them matches anywhere.
const unspacedScript = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const wordCharacter = /[\p{L}\p{N}_]/u;

function termPattern(term: string): string {
  const normalized = normalizeForTerms(term).trim();
  const escaped = normalized.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  const first = normalized[0] ?? '';
  const last = normalized.at(-1) ?? '';
  // A boundary is only asked for at an end that is a word character of a spaced script.
  const before = wordCharacter.test(first) && !unspacedScript.test(first) ? '(?<![\\p{L}\\p{N}_])' : '';
  const after = wordCharacter.test(last) && !unspacedScript.test(last) ? '(?![\\p{L}\\p{N}_])' : '';
  return `${before}${escaped}${after}`;
}

/** All blocked terms as one regular expression, built once at config load; null when there are none. */
export function compileBlockedTerms(terms: readonly string[]): RegExp | null {
  const patterns = terms.map(termPattern).filter((pattern) => pattern !== '');
  return patterns.length === 0 ? null : new RegExp(patterns.join('|'), 'u');
}
