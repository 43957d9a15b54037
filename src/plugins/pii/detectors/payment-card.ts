import { regexDetector, type Detection, type Detector } from './detector.ts';
import { findSpokenNumbers, spokenCueReach } from './spoken-digits.ts';
import { inCommaSeparatedCell } from './table-columns.ts';

/** Luhn (mod 10) checksum over the digits of a string (separators between them are passed over). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) continue;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

interface CardRange {
  /** Inclusive range of the number's first `prefixLength` digits. */
  from: number;
  to: number;
  prefixLength: number;
  lengths: number[];
}

function range(from: number, to: number, lengths: number[]): CardRange {
  return { from, to, prefixLength: String(from).length, lengths };
}

/** Issuer identification number ranges of the major networks (ISO/IEC 7812 assignments). */
const cardRanges: CardRange[] = [
  range(4, 4, [13, 16, 19]), // Visa
  range(51, 55, [16]), // Mastercard
  range(2221, 2720, [16]), // Mastercard 2-series
  range(34, 34, [15]), // American Express
  range(37, 37, [15]),
  range(6011, 6011, [16, 17, 18, 19]), // Discover
  range(644, 649, [16, 17, 18, 19]),
  range(65, 65, [16, 17, 18, 19]),
  range(3528, 3589, [16, 17, 18, 19]), // JCB
  range(300, 305, [14, 15, 16, 17, 18, 19]), // Diners Club
  range(36, 36, [14, 15, 16, 17, 18, 19]),
  range(38, 39, [14, 15, 16, 17, 18, 19]),
  range(62, 62, [16, 17, 18, 19]), // UnionPay
  range(50, 50, [12, 13, 14, 15, 16, 17, 18, 19]), // Maestro
  range(56, 58, [12, 13, 14, 15, 16, 17, 18, 19]),
  range(67, 67, [12, 13, 14, 15, 16, 17, 18, 19]),
  range(2200, 2204, [16, 17, 18, 19]), // Mir
];

const powersOfTen = [1, 10, 100, 1000, 10000];

/** True when the number starts with a known IIN and has a length that network issues. */
export function knownIssuer(digits: string): boolean {
  // The first four digits once; each range's prefix from them (every prefix is 1-4 digits long).
  const firstFour = Number(digits.slice(0, 4));
  return cardRanges.some((card) => {
    const prefix = Math.floor(firstFour / powersOfTen[4 - card.prefixLength]);
    return prefix >= card.from && prefix <= card.to && card.lengths.includes(digits.length);
  });
}

/** A card's own layouts: 4-4-4-4, 4-4-4-4-3 (19 digits), Amex 4-6-5, Diners 4-6-4. */
function cardLayout(groups: readonly string[]): boolean {
  const lengths = groups.map((group) => group.length).join('-');
  return lengths === '4-4-4-4' || lengths === '4-4-4-4-3' || lengths === '4-6-5' || lengths === '4-6-4';
}

/**
 * The groups are card-shaped: one separator throughout and 3-5 groups of 3-6 digits (4-4-4-4,
 * 4-6-5, 4-4-4-4-3…); spaces and hyphens mixed only in a card's own layout (`4539-5787 6362-1486`);
 * or two groups of eight (`45395787 63621486`) that are the whole run, not two of a list of numbers.
 */
function wellGrouped(value: string, text: string, start: number): boolean {
  const separators = value.match(/[ -]/g);
  if (!separators) return true;
  const groups = value.split(/[ -]/);
  if (new Set(separators).size > 1) return cardLayout(groups);
  if (groups.length === 2) return groups[0].length === 8 && groups[1].length === 8 && !/^[ -]\d/.test(text.slice(start + value.length, start + value.length + 2));
  return groups.length >= 3 && groups.length <= 5 && groups.every((group) => group.length >= 3 && group.length <= 6);
}

/**
 * A card grouped with dots, slashes, underscores or plus signs (`4111.1111.1111.1111`, `4111/1111/1111/1111`,
 * `4111_1111_1111_1111`, `4111+1111+1111+1111`): one separator throughout (the backreference) and only a card's own
 * layouts, groups of four with a shorter last one (4-4-4-4, 4-4-4-4-3, 4-4-4-1) or Amex/Diners
 * 4-6-5 and 4-6-4, since these separators also write versions, dates, IP addresses, decimals and sums
 * (`1.2.3.4`, `2024/01/01`, `1234.5678`, `1200+350`). Not glued to a number before or after (`1.4111.…`, `….1111.5`).
 * The lookbehind follows the first digit: before it, V8 would test it at every position of the text.
 */
const punctuatedCard = /\d(?<![\w-]\d|\d[./+]\d)\d{3}([./_+])(?:\d{4}\1\d{4}\1(?:\d{4}\1\d{1,3}|\d{1,4})|\d{6}\1\d{4,5})(?![\w-]|[./+]\d)/g;

/**
 * A card split over a line break (`4539 5787⏎6362 1486`): groups of four (or Amex/Diners 4-6-5,
 * 4-6-4) on both sides of one line break, each side a whole run of digits (not the end of one
 * list of numbers and the start of the next: a line ending `… 1234 4539` does not begin a card).
 * The lookbehind follows the first digit, as above.
 */
const acrossLine = /\d(?<![\w.-]\d|\d[ -]\d)\d{3}(?:[ -]\d{4,6}){0,3}[ \t]*\r?\n[ \t]*\d{3,6}(?:[ -]\d{3,5}){0,3}(?![\w-]|[ -]\d)/g;
/** True when a line break has a digit before and after it (spaces and tabs between): a text acrossLine may match in. */
function digitsAroundLineBreak(text: string): boolean {
  const digit = (code: number): boolean => code >= 48 && code <= 57;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    let before = at - 1;
    while (before >= 0 && (text[before] === ' ' || text[before] === '\t' || text[before] === '\r')) before--;
    if (before < 0 || !digit(text.charCodeAt(before))) continue;
    let after = at + 1;
    while (text[after] === ' ' || text[after] === '\t') after++;
    if (digit(text.charCodeAt(after))) return true;
  }
  return false;
}
/** Digits in groups with single spaces or hyphens, 12-19 of them: a card as it is usually written. */
const written = /\d(?<![\w.-]\d)(?:[ -]?\d){11,18}(?![\w-])/g;

const cueWords = 'card|tarjeta|carte|karte|carta|kaart|cart[aã]o';
/** A card named right before its number ("card 4539 5787636 21486", "Visa: 45 39 57 …"): any grouping counts then. */
const cueBefore = new RegExp(
  `(?<![\\p{L}])(?:${cueWords}|visa|master ?card|amex|cc)(?:[ \\t]+(?:number|no\\.?|nr\\.?|#|nummer|num[ée]ro|n[úu]mero|numer))?[ \\t]*(?:[:#=]|(?:is|ist|es|est|è|é))?[ \\t]*$`,
  'iu',
);
/** The stems of the cue words, for a look at the text before a run with no regex. */
const cueStems = ['card', 'cart', 'karte', 'kaart', 'tarjeta', 'visa', 'amex', 'cc'];
/** True when a card cue ends the text right before a run starting at `start`. */
function cuedAt(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  const lower = before.toLowerCase();
  return cueStems.some((stem) => lower.includes(stem)) && cueBefore.test(before);
}
/** "my card number is four two zero three …": a card read out in a call. */
const spokenCue = new RegExp(`\\b(?:${cueWords})(?:[ \\t]+(?:number|no\\.?|nummer|num[ée]ro|n[úu]mero|numer))?`, 'gi');
const spokenCueWord = new RegExp(cueWords, 'i');

/**
 * Payment card numbers: 12-19 digits, Luhn-valid, with a known issuer; grouped as cards are (or
 * split over a line, or joined with `.`, `/`, `_`, `+`), in any grouping right after a card cue
 * when the digits after it are one run, or read out after a cue.
 */
export function paymentCardDetector(): Detector {
  const base = { entity: 'credit_card', label: 'CREDIT_CARD', specificity: 60 };
  const punctuated = regexDetector({ ...base, pattern: punctuatedCard, wholeMatch: true, validate: issued });
  const split = regexDetector({
    ...base,
    pattern: acrossLine,
    mayContain: digitsAroundLineBreak,
    validate: (value) => cardLayout(value.trim().split(/\s*\n\s*|[ -]/)) && issued(value),
  });
  return {
    ...base,
    find(text: string, found: Detection[], from = 0) {
      written.lastIndex = from;
      for (let match = written.exec(text); match !== null; match = written.exec(text)) {
        const run = match[0];
        const start = match.index;
        // After a comma: a cell of a CSV row or a list ("x,4111…", "8812,4111…,42.00", "4111…,5555…"),
        // not the decimal part of a number ("12,4111…").
        if (text[start - 1] === ',' && /\d/.test(text[start - 2] ?? '') && !inCommaSeparatedCell(text, start, start + run.length) && !/\d{12}$/.test(text.slice(Math.max(0, start - 13), start - 1))) continue;
        let end = cardPrefix(run, (value) => issued(value) && wellGrouped(value, text, start));
        // Any grouping right after a card cue, when the digits after it are one run.
        if (end === -1 && !/^[ -]\d/.test(text.slice(start + run.length, start + run.length + 2)) && cuedAt(text, start)) end = cardPrefix(run, issued);
        if (end !== -1) found.push({ ...base, start, end: start + end });
      }
      punctuated.find(text, found, from);
      split.find(text, found, from);
      if (!spokenCueWord.test(text.slice(Math.max(0, from - spokenCueReach)))) return;
      findSpokenNumbers(text, spokenCue, from, (digits, start, end) => {
        if (knownIssuer(digits) && luhnValid(digits)) found.push({ ...base, start, end });
      });
    },
  };
}

/** Luhn-valid (first: it rules out nine numbers in ten, and reads past the separators) with a known issuer. */
function issued(value: string): boolean {
  return luhnValid(value) && knownIssuer(value.replace(/\D/g, ''));
}

/**
 * Where the card in a run of digit groups ends: the whole run when `accept` takes it, or else the
 * longest of its prefixes that ends a group and holds 12 digits or more ("4539 5787 6362 1486
 * 09/27": the card, then its expiry month); -1 for none.
 */
function cardPrefix(run: string, accept: (value: string) => boolean): number {
  // A run is digits with single spaces or hyphens between them.
  let digits = run.length;
  for (let index = 1; index < run.length; index++) if (run[index] === ' ' || run[index] === '-') digits--;
  for (let end = run.length; digits >= 12; ) {
    if (accept(run.slice(0, end))) return end;
    const cut = Math.max(run.lastIndexOf(' ', end - 1), run.lastIndexOf('-', end - 1));
    if (cut <= 0) break;
    digits -= end - cut - 1;
    end = cut;
  }
  return -1;
}
