import { columnNames, columnsAt } from './table-columns.ts';
import type { Detection, Detector } from './detector.ts';
import { luhnValid } from './payment-card.ts';

/*
 * National identity numbers, each a shape, its check digit and a cue word in the 64 characters
 * before it (the number alone is too often an order or account number):
 * UK NHS number (mod 11), UK National Insurance number (prefix rules), German Personalausweis
 * (7-3-1 check digit), Spanish DNI/NIE (check letter), Italian codice fiscale (check character),
 * French NIR/INSEE (key mod 97), Dutch BSN (11-check), US Medicare MBI (shape), Indian Aadhaar
 * (Verhoeff), Brazilian CPF (two mod-11 digits), Polish PESEL, Swedish personnummer (Luhn) and
 * Turkish T.C. Kimlik No (two check digits).
 */

/** UK NHS number: ten digits, weights 10..2, check digit 11 - (sum mod 11), 10 never valid. */
export function nhsValid(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 10 || /^(\d)\1+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < 9; index++) sum += Number(digits[index]) * (10 - index);
  const check = 11 - (sum % 11);
  return check !== 10 && (check === 11 ? 0 : check) === Number(digits[9]);
}

/** UK National Insurance number: two prefix letters (HMRC rules), six digits, suffix A-D. */
export function ninoValid(value: string): boolean {
  const compact = value.replace(/\s/g, '').toUpperCase();
  const match = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])\d{6}[A-D]$/.exec(compact);
  return match !== null && !['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'].includes(match[1] + match[2]);
}

/** German identity card (Personalausweis) number: nine characters and a 7-3-1 check digit (ICAO 9303). */
export function personalausweisValid(value: string): boolean {
  const upper = value.toUpperCase();
  if (!/^[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d$/.test(upper)) return false;
  const weights = [7, 3, 1];
  let sum = 0;
  for (let index = 0; index < 9; index++) sum += parseInt(upper[index], 36) * weights[index % 3];
  return sum % 10 === Number(upper[9]);
}

const dniLetters = 'TRWAGMYFPDXBNJZSQVHLCKE';
/** Spanish DNI (8 digits + letter, the digits perhaps dotted) and NIE (X/Y/Z + 7 digits + letter): the letter is the number mod 23. */
export function dniValid(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  const match = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(compact);
  if (!match || (match[1] === '' ? match[2].length !== 8 : match[2].length !== 7)) return false;
  const prefix = match[1] === '' ? '' : String('XYZ'.indexOf(match[1]));
  const number = Number(prefix + match[2]);
  return dniLetters[number % 23] === match[3];
}

const cfOdd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
/** Italian codice fiscale: 16 characters, the last a check character over the first 15. */
export function codiceFiscaleValid(value: string): boolean {
  const upper = value.toUpperCase();
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(upper)) return false;
  let sum = 0;
  for (let index = 0; index < 15; index++) {
    const code = upper.charCodeAt(index);
    const position = code <= 57 ? code - 48 : code - 65;
    sum += index % 2 === 0 ? cfOdd[position] : position;
  }
  return String.fromCharCode(65 + (sum % 26)) === upper[15];
}

/** French NIR (numéro de sécurité sociale): 13 characters and a key, 97 - (number mod 97); Corsica 2A/2B. */
export function nirValid(value: string): boolean {
  const compact = value.replace(/\s/g, '').toUpperCase();
  const match = /^([12])(\d{2})(0[1-9]|1[0-2]|[2-9]\d)(\d{2}|2A|2B)(\d{3})(\d{3})(\d{2})$/.exec(compact);
  if (!match) return false;
  const body = compact.slice(0, 13).replace('2A', '19').replace('2B', '18');
  return 97 - Number(BigInt(body) % 97n) === Number(match[7]);
}

/** Dutch BSN: nine digits, 9×d1 + 8×d2 + … + 2×d8 − d9 divisible by 11. */
export function bsnValid(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 9 || /^(\d)\1+$/.test(digits)) return false;
  let sum = -Number(digits[8]);
  for (let index = 0; index < 8; index++) sum += Number(digits[index]) * (9 - index);
  return sum % 11 === 0 && sum !== 0;
}

const verhoeffMultiply = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const verhoeffPermute = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
/** Indian Aadhaar: twelve digits, not starting with 0 or 1, Verhoeff check digit. */
export function aadhaarValid(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (!/^[2-9]\d{11}$/.test(digits)) return false;
  let check = 0;
  for (let index = 0; index < 12; index++) check = verhoeffMultiply[check][verhoeffPermute[index % 8][Number(digits[11 - index])]];
  return check === 0;
}

/** Brazilian CPF: eleven digits, two mod-11 check digits; one digit repeated is never valid. */
export function cpfValid(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 11 || /^(\d)\1+$/.test(digits)) return false;
  for (const length of [9, 10]) {
    let sum = 0;
    for (let index = 0; index < length; index++) sum += Number(digits[index]) * (length + 1 - index);
    const check = ((sum * 10) % 11) % 10;
    if (check !== Number(digits[length])) return false;
  }
  return true;
}

/** Polish PESEL: eleven digits, weights 1 3 7 9 repeated, check digit (10 - sum mod 10) mod 10; a real month (with century offset). */
export function peselValid(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  let sum = 0;
  for (let index = 0; index < 10; index++) sum += Number(value[index]) * weights[index];
  const month = Number(value.slice(2, 4)) % 20;
  return (10 - (sum % 10)) % 10 === Number(value[10]) && month >= 1 && month <= 12;
}

/** Swedish personnummer: YYMMDD-NNNC or YYYYMMDDNNNC, Luhn over the last ten digits. */
export function personnummerValid(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  const ten = digits.length === 12 ? digits.slice(2) : digits;
  if (ten.length !== 10) return false;
  const month = Number(ten.slice(2, 4));
  return month >= 1 && month <= 12 && luhnValid(ten);
}

/** Turkish T.C. Kimlik No: eleven digits, not starting with 0, two check digits. */
export function kimlikValid(value: string): boolean {
  if (!/^[1-9]\d{10}$/.test(value)) return false;
  const digit = (index: number): number => Number(value[index]);
  const odd = digit(0) + digit(2) + digit(4) + digit(6) + digit(8);
  const even = digit(1) + digit(3) + digit(5) + digit(7);
  const tenth = (((odd * 7 - even) % 10) + 10) % 10;
  let sum = 0;
  for (let index = 0; index < 10; index++) sum += digit(index);
  return tenth === digit(9) && sum % 10 === digit(10);
}

interface IdKind {
  pattern: RegExp;
  cue: RegExp;
  valid: (value: string) => boolean;
}

const end = '(?![\\p{L}\\p{N}])';
const start = '(?<![\\p{L}\\p{N}])';
const kinds: IdKind[] = [
  { pattern: new RegExp(`${start}\\d{3}[ -]?\\d{3}[ -]?\\d{4}${end}`, 'gu'), cue: /\bNHS\b/i, valid: nhsValid },
  { pattern: new RegExp(`${start}[A-Z]{2}[ ]?\\d{2}[ ]?\\d{2}[ ]?\\d{2}[ ]?[A-D]${end}`, 'gu'), cue: /national insurance|\bNI\s*(?:no|number)|\bNI\b|\bNINO?\b/i, valid: ninoValid },
  { pattern: new RegExp(`${start}[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\\d${end}`, 'gu'), cue: /personalausweis|ausweis|\bID[- ]?(?:card|karte)/i, valid: personalausweisValid },
  // The DNI also with dots between its thousands ("12.345.678-Z"), as printed on the card.
  { pattern: new RegExp(`${start}(?:\\d{8}|\\d{2}\\.\\d{3}\\.\\d{3}|[XYZ][- ]?\\d{7})[- ]?[A-Z]${end}`, 'gu'), cue: /\b(?:DNI|NIE|NIF)\b|documento nacional/i, valid: dniValid },
  { pattern: new RegExp(`${start}[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]${end}`, 'gu'), cue: /codice[ _]fiscale|cod\.\s*fisc|\bC\.?F\.?\b/i, valid: codiceFiscaleValid },
  { pattern: new RegExp(`${start}[12][ ]?\\d{2}[ ]?\\d{2}[ ]?(?:\\d{2}|2[AB])[ ]?\\d{3}[ ]?\\d{3}[ ]?\\d{2}${end}`, 'gu'), cue: /s[ée]curit[ée] sociale|\bNIR\b|\bINSEE\b|\bs[ée]cu\b|carte vitale/i, valid: nirValid },
  { pattern: new RegExp(`${start}(?:\\d{9}|\\d{4}\\.\\d{2}\\.\\d{3})${end}`, 'gu'), cue: /\bBSN\b|burgerservicenummer|sofinummer/i, valid: bsnValid },
  { pattern: new RegExp(`${start}[2-9]\\d{3}[ -]?\\d{4}[ -]?\\d{4}${end}`, 'gu'), cue: /aadhaa?r|\bUID(?:AI)?\b|आधार/i, valid: aadhaarValid },
  { pattern: new RegExp(`${start}(?:\\d{3}\\.\\d{3}\\.\\d{3}-\\d{2}|\\d{11})${end}`, 'gu'), cue: /\bCPF\b/i, valid: cpfValid },
  { pattern: new RegExp(`${start}\\d{11}${end}`, 'gu'), cue: /\bPESEL\b/i, valid: peselValid },
  { pattern: new RegExp(`${start}(?:\\d{2})?\\d{6}[-+]?\\d{4}${end}`, 'gu'), cue: /personnummer|person-nr/i, valid: personnummerValid },
  { pattern: new RegExp(`${start}[1-9]\\d{10}${end}`, 'gu'), cue: /kimlik|\bT\.?C\.?\s*(?:no|kimlik)|\bTCKN\b/i, valid: kimlikValid },
  // Medicare Beneficiary Identifier: 11 characters in a fixed letter/digit pattern (no check digit).
  { pattern: new RegExp(`${start}[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\\d-?[AC-HJKMNP-RT-Y]{2}\\d\\d${end}`, 'gu'), cue: /medicare|\bMBI\b/i, valid: () => true },
];

/** National identity numbers (label NATIONAL_ID): validated shapes after a cue word. */
export function nationalIdDetector(): Detector {
  return {
    entity: 'national_id',
    label: 'NATIONAL_ID',
    specificity: 52,
    find(text: string, found: Detection[], from = 0) {
      if (!/\d/.test(from === 0 ? text : text.slice(from))) return;
      // Where a cue may stand: in the 64 characters before a number found from `from` on.
      const cueWindow = from === 0 ? text : text.slice(Math.max(0, from - 64));
      // Column names as words: a cue's word boundaries must see "nhs" in "nhs_no".
      let columns: string[] | undefined;
      const cueInColumn = (cue: RegExp, name: string): boolean => cue.test(name.replace(/_/g, ' '));
      for (const { pattern, cue, valid } of kinds) {
        // Most texts name none of these numbers: one cheap cue test saves the shape scan.
        if (!cue.test(cueWindow) && !(columns ??= columnNames(text)).some((name) => cueInColumn(cue, name))) continue;
        pattern.lastIndex = from;
        for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
          // The cue before the number, or as the name of the column the number stands in ("nom;NIR;…",
          // "nhs_no": the cues' word boundaries must see the words of a snake_case name).
          if (!(cue.test(text.slice(Math.max(0, match.index - 64), match.index)) || columnsAt(text, match.index).some((name) => cueInColumn(cue, name))) || !valid(match[0])) continue;
          found.push({ entity: 'national_id', label: 'NATIONAL_ID', start: match.index, end: match.index + match[0].length, specificity: 52 });
        }
      }
    },
  };
}
