import type { Detection, Detector } from './detector.ts';

/** IBAN length per country (the SWIFT IBAN registry). */
export const ibanLengths: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23,
  GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28,
  LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24,
  SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
export function ibanValid(compact: string): boolean {
  const length = ibanLengths[compact.slice(0, 2)];
  if (length === undefined || compact.length !== length || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/*
 * Greedy on purpose: the country's length decides where the IBAN ends, so words after it are
 * trimmed. Groups are separated by spaces, hyphens (`DE89-3704-…`) or one line break (an IBAN
 * wrapped onto the next line); letters in either case (`de89 3704 …`: the check digits are the
 * same once upper-cased). The separators, ' ', '-' and whitespace around a line break, are left
 * out of the characters counted. The lookbehind follows the first letter: before it, V8 would
 * test it at every position of the text.
 */
const candidates = /[A-Za-z](?<![A-Za-z0-9][A-Za-z])[A-Za-z]\d{2}(?:(?:[ -]|[ \t]*\r?\n[ \t]*)?[A-Za-z0-9]){10,32}/g;

/** IBANs, compact or printed in groups (spaces, hyphens, a line break), validated by country length and mod-97. */
export function ibanDetector(): Detector {
  return {
    entity: 'iban',
    label: 'IBAN',
    specificity: 60,
    find(text: string, found: Detection[], from = 0) {
      candidates.lastIndex = from;
      for (let match = candidates.exec(text); match !== null; match = candidates.exec(text)) {
        const value = match[0];
        const country = value.slice(0, 2).toUpperCase();
        const length = ibanLengths[country];
        // The country code in one case (`DE89`, `de89`), not a word's capital (`De89`).
        if (length === undefined || (country !== value.slice(0, 2) && value.slice(0, 2) !== country.toLowerCase())) {
          candidates.lastIndex = match.index + 1;
          continue;
        }
        let taken = 0;
        let end = 0;
        while (end < value.length && taken < length) {
          const character = value[end];
          if (character !== ' ' && character !== '-' && character !== '\n' && character !== '\r' && character !== '\t') taken++;
          end++;
        }
        const next = text[match.index + end];
        const compact = value.slice(0, end).replace(/[ \t\r\n-]/g, '');
        if (taken === length && (next === undefined || !/[A-Za-z0-9]/.test(next)) && sameCase(compact) && ibanValid(compact.toUpperCase())) {
          found.push({ entity: 'iban', label: 'IBAN', start: match.index, end: match.index + end, specificity: 60 });
          candidates.lastIndex = match.index + end;
        } else {
          candidates.lastIndex = match.index + 1;
        }
      }
    },
  };
}

/** An IBAN is written in one case: all its letters upper case, or all lower case. */
function sameCase(compact: string): boolean {
  return compact === compact.toUpperCase() || compact === compact.toLowerCase();
}
