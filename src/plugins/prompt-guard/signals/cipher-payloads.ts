import type { Payload } from './decoded-payloads.ts';
import { commonCount, decodesTo, knownWord, type EnglishBar } from './english-words.ts';

/**
 * Hand ciphers a model can undo, read back where they are cheap to find and the reading is plainly
 * English: a Caesar shift or Atbash (near a word that names one), decimal character codes, NATO
 * spelling-alphabet words, pig latin. A reading counts only if its words are common English words
 * and the stretch's were not (english-words.ts), so ordinary text, ids and number tables stay as
 * they are. Emoji standing for words, and ciphers with a key, are not read.
 */

/** Words that say a stretch is shifted: only stretches near one are tried with every shift. */
export const shiftMentions = ['caesar', 'cipher', 'cypher', 'atbash', 'shift', 'rot-', 'rot1', 'rot2', 'rot3', 'rot4', 'rot5', 'rot6', 'rot7', 'rot8', 'rot9', 'rotate', 'rotated', 'letters back', 'letter back', 'letters forward', 'letter forward'];

/**
 * Twenty-six readings of one stretch give twenty-six chances to look like English by accident, so
 * a shifted reading needs more of it than rot13's one reading: three common words and two in five.
 */
const shiftedReading: EnglishBar = { hits: 3, share: 0.4 };

function shift(text: string, by: number): string {
  return text.replace(/[A-Za-z]/g, (character) => {
    const base = character <= 'Z' ? 65 : 97;
    return String.fromCharCode(((character.charCodeAt(0) - base + by) % 26) + base);
  });
}

function atbash(text: string): string {
  return text.replace(/[A-Za-z]/g, (character) => {
    const base = character <= 'Z' ? 65 : 97;
    return String.fromCharCode(base + 25 - (character.charCodeAt(0) - base));
  });
}

/** A stretch's Atbash or Caesar reading (any shift), if one reads as English; rot13 is decoded-payloads.ts's. */
export function unshifted(stretch: string): string | null {
  const decoded = decodesTo(stretch, atbash, shiftedReading);
  if (decoded !== null) return decoded;
  for (let by = 1; by < 26; by++) {
    if (by === 13) continue;
    const reading = decodesTo(stretch, (text) => shift(text, by), shiftedReading);
    if (reading !== null) return reading;
  }
  return null;
}

// Eight codes or more of printable ASCII (32-126), separated by spaces, commas or semicolons.
const decimalRun = /(?<![\d.,])(?:(?:3[2-9]|[4-9]\d|1[01]\d|12[0-6])(?:[ \t]*[,;][ \t]*|[ \t]+)){7,}(?:3[2-9]|[4-9]\d|1[01]\d|12[0-6])(?![\d.])/g;

/** Decimal character codes ("73 103 110 111 …") that spell English words. */
export function decimalPayloads(text: string, found: Payload[]): void {
  if (!/\d\d[ ,;]+\d\d[ ,;]+\d\d/.test(text)) return;
  for (const match of text.matchAll(decimalRun)) {
    const codes = match[0].match(/\d+/g) ?? [];
    const decoded = String.fromCharCode(...codes.map(Number));
    const words = decoded.toLowerCase().match(/[a-z]+/g) ?? [];
    const letters = decoded.replace(/[^A-Za-z ]/g, '').length;
    // Prose: mostly letters and spaces, three words or more, many of them common.
    if (words.length < 3 || letters < decoded.length * 0.85) continue;
    const hits = commonCount(words);
    if (hits >= 2 && hits >= words.length * 0.3) found.push({ start: match.index, end: match.index + match[0].length, decoded });
  }
}

const nato: Record<string, string> = {
  alfa: 'a', alpha: 'a', bravo: 'b', charlie: 'c', delta: 'd', echo: 'e', foxtrot: 'f', golf: 'g', hotel: 'h', india: 'i', juliet: 'j', juliett: 'j', kilo: 'k', lima: 'l',
  mike: 'm', november: 'n', oscar: 'o', papa: 'p', quebec: 'q', romeo: 'r', sierra: 's', tango: 't', uniform: 'u', victor: 'v', whiskey: 'w', whisky: 'w', xray: 'x', 'x-ray': 'x', yankee: 'y', zulu: 'z',
};
const natoWord = String.raw`(?:alfa|alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliett?|kilo|lima|mike|november|oscar|papa|quebec|romeo|sierra|tango|uniform|victor|whiske?y|x-?ray|yankee|zulu)`;
// Four NATO words or more in a row; a comma, slash, period or line between them ends a word of the message.
const natoRun = new RegExp(String.raw`\b${natoWord}(?:(?:\s*[,/|;.]\s*|\s+)${natoWord}){3,}\b`, 'gi');

/** NATO spelling-alphabet words read by their first letters ("India Golf November Oscar Romeo Echo" -> "ignore"). */
export function natoPayloads(text: string, found: Payload[]): void {
  if (!/\b(?:alfa|alpha|bravo|charlie|echo|foxtrot|golf|hotel|india|kilo|lima|november|oscar|papa|quebec|romeo|sierra|tango|uniform|victor|yankee|zulu)\b/i.test(text)) return;
  for (const match of text.matchAll(natoRun)) {
    const decoded = match[0]
      .split(/\s*[,/|;.]\s*/)
      .map((group) => group.split(/\s+/).map((word) => nato[word.toLowerCase()] ?? '').join(''))
      .filter((word) => word.length > 0)
      .join(' ');
    const words = decoded.split(' ');
    // Spelled-out codes ("Delta Echo Lima Tango Alpha") are no words; a hidden message is.
    const known = words.filter((word) => knownWord(word)).length;
    if (decoded.replace(/ /g, '').length >= 5 && known >= 1 && known >= words.length * 0.5) found.push({ start: match.index, end: match.index + match[0].length, decoded });
  }
}

const vowels = /[aeiou]/;

/** A pig-latin word's reading: "eviouspray" -> "previous", "ollow-fay" -> "follow", "ignoreway" -> "ignore". */
function fromPigLatin(word: string): string {
  const lower = word.toLowerCase();
  const hyphenated = /^([a-z]+)-([a-z]*)ay$/.exec(lower);
  if (hyphenated) return `${hyphenated[2]}${hyphenated[1]}`;
  const stem = lower.slice(0, -2);
  // The consonants moved to the end, one to four of them: the reading the vocabulary knows, else the longest.
  const candidates: string[] = [];
  for (let moved = 1; moved <= 4 && moved < stem.length; moved++) {
    const tail = stem.slice(-moved);
    if (vowels.test(tail)) break;
    candidates.push(`${tail}${stem.slice(0, -moved)}`);
  }
  // A word that began with a vowel kept its letters: "ignoreay", "ignoreway", "ignoreyay".
  for (const vowelWord of [stem, stem.replace(/[wy]$/, '')]) if (knownWord(vowelWord)) return vowelWord;
  return candidates.find((candidate) => knownWord(candidate)) ?? candidates.at(-1) ?? stem;
}

/** Stretches in pig latin: most of their words end in "ay" (three in a row at least), read back if the reading is English. */
export function pigLatinPayloads(text: string, found: Payload[]): void {
  if (!/ay\b[\W_]+\w+ay\b[\W_]+\w+ay\b/i.test(text)) return;
  for (const match of text.matchAll(/[^\n.!?;]+[.!?]?/g)) {
    const words = match[0].match(/[A-Za-z]+(?:-[A-Za-z]+)?/g) ?? [];
    const pig = words.filter((word) => /ay$/i.test(word));
    if (pig.length < 4 || pig.length < words.length * 0.6) continue;
    const decoded = match[0].replace(/[A-Za-z]+(?:-[A-Za-z]+)?/g, (word) => (/ay$/i.test(word) ? fromPigLatin(word) : word)).trim();
    const readings = decoded.toLowerCase().match(/[a-z]+/g) ?? [];
    const hits = commonCount(readings);
    if (hits >= 3 && hits >= readings.length * 0.4) {
      const start = match.index + (match[0].length - match[0].trimStart().length);
      found.push({ start, end: match.index + match[0].trimEnd().length, decoded });
    }
  }
}
