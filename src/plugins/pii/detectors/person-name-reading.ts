import { ambiguousGivenNames, givenNames } from './given-names.ts';
import { honorifics, nonPersonFollowers, notNameWords } from './name-words.ts';

/** How the person-name detector reads a name, token by token with sticky regexes (person-name.ts). */

// A capitalised name word: Anna, O'Malley, McDonald, Al-Sayed, Jean-Paul, Núñez. Not a camelCase identifier.
export const capitalToken = /(?:Mc|Mac|O['’]|D['’])?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)*(?![\p{L}\p{N}_])/uy;
export const upperToken = /\p{Lu}{2,}(?:['’-]\p{Lu}+)*(?![\p{L}\p{N}_])/uy;
const lowerToken = /\p{Ll}{3,}(?![\p{L}\p{N}_])/uy;
const initial = /\p{Lu}\.(?=[ \u00a0]\p{Lu})/uy;
const particle = /(?:van der|van den|van de|von der|de la|de los|del|della|van|von|de|di|da|do|dos|das|du|le|la|bin|ibn|al|el|ter|ten|zu|y)[ \u00a0](?=\p{Lu})/uy;
const leadingParticle = /(?:Van der|Van den|Van de|Von der|Van|Von|De la|De|Da|Di|Del|Della|Du|Le|La|Ten|Ter)(?=[ \u00a0]\p{Lu})/uy;
// Between list items: a bracketed note ("Eleni (9), Nikos (6)"), a comma or "and", a kin word ("and baby Rose").
export const listJoint = /(?:[ \t]*\([^)\n]{0,20}\))?(?:,|;|\s+(?:and|&|und|y|et|e|en))[ \u00a0]+(?:(?:baby|little|my|our)[ \u00a0]+)?/uy;
/** A lower-case name word ("dimitrios", "o'leary"). */
export const lowerNameToken = /\p{Ll}[\p{Ll}'’-]*\p{Ll}(?![\p{L}\p{N}_])/uy;


export interface NameSpan {
  start: number;
  end: number;
  /** Lower-case name words (particles and initials left out). */
  words: string[];
}

interface ReadOptions {
  /** ALL-CAPS words count (form values: "VICTORIA HALE"). */
  caps?: boolean;
  /** A lower-case first word counts if it is a known given name ("i am maria"). */
  lower?: boolean;
  /** Initials count ("Dr. S. Kaur", "Robert J. Callahan"). */
  initials?: boolean;
}

export function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/** Up to four name words from `at`; stops before a word that is not part of names. */
export function readName(text: string, at: number, options: ReadOptions = {}): NameSpan | undefined {
  const names = givenNames();
  // "Dr. S. Kaur", "Ms. Van der Berg": initials or a capitalised particle before the surname.
  const lead = options.initials ? (matchAt(initial, text, at) ?? matchAt(leadingParticle, text, at)) : undefined;
  if (lead !== undefined) {
    const rest = readName(text, at + lead.length + 1, options);
    return rest && { ...rest, start: at };
  }
  let first = matchAt(capitalToken, text, at) ?? (options.caps ? matchAt(upperToken, text, at) : undefined);
  if (first === undefined && options.lower) {
    const word = matchAt(lowerToken, text, at);
    if (word !== undefined && names.has(word) && !ambiguousGivenNames.has(word) && !notNameWords.has(word)) return { start: at, end: at + word.length, words: [word] };
  }
  if (first === undefined || notNameWords.has(first.toLowerCase()) || honorifics.has(first.toLowerCase())) return undefined;
  const words = [first.toLowerCase()];
  let end = at + first.length;
  while (words.length < 4 && (text[end] === ' ' || text[end] === '\u00a0')) {
    let next = end + 1;
    const initialMark = matchAt(initial, text, next);
    if (initialMark !== undefined) {
      end = next + initialMark.length;
      continue;
    }
    const joiner = matchAt(particle, text, next);
    if (joiner !== undefined) next += joiner.length;
    const word = matchAt(capitalToken, text, next) ?? (options.caps ? matchAt(upperToken, text, next) : undefined);
    if (word === undefined) break;
    const lower = word.toLowerCase();
    if (notNameWords.has(lower) || nonPersonFollowers.has(lower) || honorifics.has(lower)) break;
    words.push(lower);
    end = next + word.length;
  }
  return { start: at, end, words };
}

/** The word right after a span (lower case), to reject "Victoria Station" or "Chase Bank". */
export function nextWord(text: string, end: number): string {
  return /^[ \u00a0]?([\p{L}]+)/u.exec(text.slice(end, end + 24))?.[1]?.toLowerCase() ?? '';
}

export function atSentenceStart(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 4), start);
  return start === 0 || /(?:^|[.!?:\n"“(]\s*)$/u.test(before) || /^\s+$/u.test(text.slice(0, start));
}
