/**
 * Leetspeak: a blocked term's letters written as the digits and symbols that look like them
 * (`pr0j3ct f4lc0n`, `bl_u_e_b1rd`, `$ecret`). Read term by term, not by rewriting the text: `1`
 * stands for `i` in `b1rd` and for `l` in `1nterna1`, and a text's own numbers stay numbers.
 */

/** The stand-ins read for a letter; `1` for `i` or `l`, never `!` or `|` (punctuation of their own). */
const standInsByLetter: Record<string, string> = { a: '4@', b: '8', e: '3', g: '96', i: '1', l: '1', o: '0', s: '5$', t: '7', z: '2' };

/** A term's letter as a pattern that also takes its stand-ins (`[o0]`); null when it has none. */
export function leetCharacter(character: string): string | null {
  const found = standInsByLetter[character];
  return found === undefined ? null : `[${character}${found}]`;
}

/**
 * Terms of at least four letters are read in leetspeak: a shorter one (`as`, `be`) is an ordinary
 * code or number too often (`A5` paper, `B2B`, `83`).
 */
export function leetReadable(normalizedTerm: string): boolean {
  const letters = normalizedTerm.match(/[a-z]/g) ?? [];
  return letters.length >= 4 && letters.some((letter) => standInsByLetter[letter] !== undefined);
}

const standInCharacter = /[0-9@$]/g;
const letter = /\p{L}/gu;
const hexadecimal = /^[0-9a-f]+$/;
const notAlphanumeric = /[^0-9a-z]/g;

/**
 * Whether a leetspeak match is a term written so and not a code: at least as many letters as
 * stand-ins (`f4lc0n`, `b1u3b1rd`; not `80b5`), and not all hexadecimal digits, so a colour
 * (`#f4c4d3`), a UUID's group or a hash does not spell `facade` or `c0de`.
 */
export function leetMatchAccepted(match: string): boolean {
  const standIns = match.match(standInCharacter)?.length ?? 0;
  const letters = match.match(letter)?.length ?? 0;
  if (letters < standIns) return false;
  return !hexadecimal.test(match.replace(notAlphanumeric, ''));
}
