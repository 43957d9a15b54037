import { regexDetector, type Detection, type Detector } from './detector.ts';
import { findSpokenNumbers, spokenCueReach } from './spoken-digits.ts';
import { inCommaSeparatedCell } from './table-columns.ts';

/** Luhn (mod 10) checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
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

/** True when the number starts with a known IIN and has a length that network issues. */
export function knownIssuer(digits: string): boolean {
  return cardRanges.some((card) => {
    const prefix = Number(digits.slice(0, card.prefixLength));
    return prefix >= card.from && prefix <= card.to && card.lengths.includes(digits.length);
  });
}

/** Separators must be consistent and the groups card-shaped (4-4-4-4, 4-6-5, 4-4-4-4-3...). */
function wellGrouped(value: string): boolean {
  const separators = value.match(/[ -]/g);
  if (!separators) return true;
  if (new Set(separators).size > 1) return false;
  const groups = value.split(/[ -]/);
  return groups.length >= 3 && groups.length <= 5 && groups.every((group) => group.length >= 3 && group.length <= 6);
}

/** "my card number is four two zero three …": a card read out in a call. */
const spokenCue = /\b(?:card|tarjeta|carte|karte|carta|kaart|cart[aã]o)(?:[ \t]+(?:number|no\.?|nummer|num[ée]ro|n[úu]mero|numer))?/gi;

/** Payment card numbers: 12-19 digits (optionally grouped, or read out after a card cue), Luhn-valid, with a known issuer. */
export function paymentCardDetector(): Detector {
  const written = regexDetector({
    entity: 'credit_card',
    label: 'CREDIT_CARD',
    specificity: 60,
    pattern: /(?<![\w.-])\d(?:[ -]?\d){11,18}(?![\w-])/g,
    validate(value, text, start) {
      if (!wellGrouped(value)) return false;
      // After a comma: a cell of a CSV row or a list ("x,4111…", "8812,4111…,42.00", "4111…,5555…"),
      // not the decimal part of a number ("12,4111…").
      if (text[start - 1] === ',' && /\d/.test(text[start - 2] ?? '') && !inCommaSeparatedCell(text, start, start + value.length) && !/\d{12}$/.test(text.slice(Math.max(0, start - 13), start - 1))) return false;
      const digits = value.replace(/\D/g, '');
      return knownIssuer(digits) && luhnValid(digits);
    },
  });
  return {
    entity: 'credit_card',
    label: 'CREDIT_CARD',
    specificity: 60,
    find(text: string, found: Detection[], from = 0) {
      written.find(text, found, from);
      if (!/card|tarjeta|carte|karte|carta|kaart|cart[aã]o/i.test(text.slice(Math.max(0, from - spokenCueReach)))) return;
      findSpokenNumbers(text, spokenCue, from, (digits, start, end) => {
        if (knownIssuer(digits) && luhnValid(digits)) found.push({ entity: 'credit_card', label: 'CREDIT_CARD', start, end, specificity: 60 });
      });
    },
  };
}
