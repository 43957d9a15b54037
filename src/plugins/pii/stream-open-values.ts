import { ibanLengths } from './detectors/iban.ts';
import { awsKeyPrefixes, hyphenatedNoun, passwordCopulaWords } from './detectors/secrets.ts';
import { afterOpener, prefixTest, wordBefore, type OpenTailFinder } from './stream-word-runs.ts';

/*
 * Values of one detector that span whitespace with words the number run of stream-hold-back.ts
 * does not hold (it holds words with a digit and short capital groups), and a match that the word
 * after it may still undo. The rule for all of them: a tail is held while the detector's pattern
 * may still match, extend or drop a span that starts in it, so those runs are read with the
 * pattern's own rules here. guardrails-6 found `"AKIAJVCGFW" + "HSH2LCTSW4"` sent as
 * `"AKIAJVCGFW" [AWS_ACCESS_KEY]"` (a first literal of letters only is no number-like word), and
 * "Das Passwort für den VPN-Zugang " sent with the noun redacted before "ist" came.
 */

const base32 = /[A-Z2-7]/;
const quotes = '"\'`';

/**
 * Whether the text from `at` (right after a key id's type prefix) to the end can still become a
 * key id split into literals (secrets.ts's splitAwsKey: up to 15 characters in the first literal,
 * then up to 8 joins of the same quote, `+`, `.`, `..`, `||`, `&` or nothing, and a literal of 1-16;
 * the pieces exactly 20 characters). At 20 it is still open while another join may come: one more
 * piece makes it no key id (the pattern is greedy, and the validator wants exactly 20).
 */
function openSplitKey(text: string, at: number): boolean {
  const end = text.length;
  let index = at;
  const piece = (): number => {
    const start = index;
    while (index < end && base32.test(text[index])) index++;
    return index - start;
  };
  let taken = piece();
  if (taken > 15) return false;
  if (index === end) return true;
  const quote = text[index];
  if (!quotes.includes(quote)) return false;
  for (let joins = 0; joins < 8; joins++) {
    index++;
    while (index < end && /\s/.test(text[index])) index++;
    if (index === end) return true;
    const joiner = text[index];
    if (joiner === '+' || joiner === '&') index++;
    else if (joiner === '.' || joiner === '|') {
      index++;
      if (index === end) return true;
      if (text[index] === joiner) index++;
      else if (joiner === '|') return false;
    }
    while (index < end && /\s/.test(text[index])) index++;
    if (index === end) return true;
    if (text[index] !== quote) return false;
    index++;
    const length = piece();
    taken += length;
    if (taken > 16) return false;
    if (index === end) return true;
    if (length === 0 || text[index] !== quote) return false;
  }
  return false;
}

const keyPrefixes = new RegExp(`(?<![A-Za-z0-9])(?:${awsKeyPrefixes.join('|')})`, 'g');

/** An AWS key id split into string literals (`"AKIAJVCGFW" + "`), from its type prefix while more literals may still join it. */
export const splitAwsKeyRun: OpenTailFinder = (text, wordsEnd, from) => {
  // A prefix in the unfinished word is held with that word.
  const window = text.slice(from, wordsEnd);
  if (!window.includes('A')) return -1;
  keyPrefixes.lastIndex = 0;
  for (let match = keyPrefixes.exec(window); match !== null; match = keyPrefixes.exec(window)) {
    const start = from + match.index;
    if ((start === 0 || !/[A-Za-z0-9]/.test(text[start - 1])) && openSplitKey(text, start + match[0].length)) return start;
  }
  return -1;
};

/** What stands between two groups of an IBAN (iban.ts's candidates): one space, or one line break with spaces or tabs around it. */
const groupGap = /^(?: |[ \t]*\r?\n[ \t]*)$/;
const ibanGroup = /^[A-Za-z0-9-]+$/;
const ibanStart = /^([A-Za-z]{2})\d{2}/;

/**
 * An IBAN printed in groups with a group of letters only, which the number run does not hold in
 * lower case (`de89 3704 …`, `gb82 west 1234 …`): from its country code while the characters from
 * there are fewer than the country's IBAN length.
 */
export const ibanGroupsRun: OpenTailFinder = (text, wordsEnd, from) => {
  const partial = text.slice(wordsEnd);
  if (!/^[A-Za-z0-9-]*$/.test(partial)) return -1;
  let taken = partial.replace(/-/g, '').length;
  let start = -1;
  let cursor = wordsEnd;
  for (let words = 0; words < 16 && taken < 34; words++) {
    const span = wordBefore(text, cursor, from);
    if (span === null || !groupGap.test(text.slice(span.end, cursor))) break;
    const word = text.slice(span.start, span.end);
    const at = afterOpener(word);
    const group = word.slice(at);
    if (!ibanGroup.test(group)) break;
    taken += group.replace(/-/g, '').length;
    const country = ibanStart.exec(group)?.[1];
    const length = country === undefined ? undefined : ibanLengths[country.toUpperCase()];
    if (length !== undefined && (country === country!.toUpperCase() || country === country!.toLowerCase()) && taken < length) start = span.start + at;
    if (at > 0) break;
    cursor = span.start;
  }
  return start;
};

const nounWord = new RegExp(`^${hyphenatedNoun}$`, 'u');
const mayBeCopula = prefixTest(passwordCopulaWords.filter((word) => !word.includes(' ')));

/**
 * A hyphenated noun after a password cue is the value only when no copula or colon follows it
 * (secrets.ts's passwordSentence: "Passwort für den VPN-Zugang ist …" names what the password is
 * for): the noun is held until the word after it is whole.
 */
export const passwordNounRun: OpenTailFinder = (text, wordsEnd, from) => {
  const partial = text.slice(wordsEnd).toLowerCase();
  if (partial !== '' && !mayBeCopula(partial)) return -1;
  const span = wordBefore(text, wordsEnd, from);
  if (span === null || !/^[ \t]+$/.test(text.slice(span.end, wordsEnd))) return -1;
  const word = text.slice(span.start, span.end);
  const at = afterOpener(word);
  return nounWord.test(word.slice(at)) ? span.start + at : -1;
};
