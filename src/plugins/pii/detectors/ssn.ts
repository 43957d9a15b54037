import type { Detection, Detector } from './detector.ts';
import { findSpokenNumbers, spokenCueReach } from './spoken-digits.ts';

/** Numbers the SSA says were never valid although widely printed. */
const knownInvalid = new Set(['078051120', '219099999']);

/** SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  if (areaNumber === 0 || areaNumber === 666 || areaNumber >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  return !knownInvalid.has(area + group + serial);
}

/**
 * AAA-GG-SSSS with one separator throughout: a hyphen, a space, a slash or a dot (`523/45/6789`,
 * `523.45.6789`); not glued to more of a number (`1.523.45.6789`, `523.45.6789.2`).
 */
const formatted = /(?<![\w-]|\d[./])(\d{3})([- /.])(\d{2})\2(\d{4})(?![\w-]|[./]\d)/g;
/**
 * Numbers of goods or of a ledger after their word ("product code 300-12-5546", "part no. 523-45-6789",
 * "reference 066-73-9534", "invoice no. …"), also the later ones of a list after it ("SKU list:
 * 300-12-5546, 412-55-0198 and 187-23-4401"): the words that make a number no phone (phone.ts),
 * those of goods and of business records, not those of people (account, customer, member, policy:
 * an SSN was long used as a member or policy number).
 */
const productNumber = new RegExp(
  '(?<![a-z])(?:part|item|sku|upc|ean|gtin|mpn|asin|catalog|product|produkt|produit|prodott|produto|producto|artikel|article|articol|art[ií]cul|artig|artyku[łl]|art\\.|model|serial|ürün|urun|reference|ref|ledger|invoice|order|tracking|booking|batch|lot)' +
    '\\w{0,20}\\W{0,3}(?:numbers?|no\\.?|nos\\.?|nr\\.?|n[.°º]|n[uú]meros?|numer|nummer|kod(?:u|e|y)?|c[oó]d(?:igo|ice|e)?s?\\.?|list[ae]?|#)?\\W{0,6}' +
    // Up to twelve numbers of the same list before this one, each followed by a comma, a line break or "and".
    '(?:\\d{3}([- /.])\\d{2}\\1\\d{4}[ \\t]*(?:[,;/]|\\r?\\n)?[ \\t]*(?:(?:and|or|&)[ \\t]+)?){0,12}$',
  'i',
);
/** How far before a number `productNumber` reads: the word and twelve listed numbers. */
const productReach = 40 + 12 * 24;

/**
 * "my social security number is five two three four one eight eight oh six", "my social is …",
 * "SSN is …": read out in a call.
 */
const spokenCue = /\b(?:ssn|social(?: security)?(?: number| no\.?)?)/gi;
// Nine bare digits are only an SSN when the text says so: "SSN: …", "my ssn is …", "Tax ID (SSN) …", "my social is …".
const afterCue = /\b(?:ssn|social security(?: number| no\.?| #)?|soc\.? sec\.?|(?<=\b(?:my|his|her|their|your|the) )social)\)?\s*(?:#|no\.?|number)?\s*(?:[:=]|\b(?:is|was|of)\b)?\s*(\d{9})(?!\d)/gi;

/** US Social Security numbers: AAA-GG-SSSS (or with spaces, slashes or dots), and nine digits (in figures or read out) after an SSN cue. */
export function ssnDetector(): Detector {
  return {
    entity: 'ssn',
    label: 'SSN',
    specificity: 50,
    find(text: string, found: Detection[], from = 0) {
      formatted.lastIndex = from;
      for (let match = formatted.exec(text); match !== null; match = formatted.exec(text)) {
        if (ssnValid(match[1], match[3], match[4]) && !productNumber.test(text.slice(Math.max(0, match.index - productReach), match.index))) found.push({ entity: 'ssn', label: 'SSN', start: match.index, end: match.index + match[0].length, specificity: 50 });
      }
      afterCue.lastIndex = from;
      for (let match = afterCue.exec(text); match !== null; match = afterCue.exec(text)) {
        const digits = match[1];
        const start = match.index + match[0].length - 9;
        if (ssnValid(digits.slice(0, 3), digits.slice(3, 5), digits.slice(5))) found.push({ entity: 'ssn', label: 'SSN', start, end: start + 9, specificity: 50 });
      }
      if (!/ssn|social/i.test(text.slice(Math.max(0, from - spokenCueReach)))) return;
      findSpokenNumbers(text, spokenCue, from, (digits, start, end) => {
        if (digits.length === 9 && ssnValid(digits.slice(0, 3), digits.slice(3, 5), digits.slice(5))) found.push({ entity: 'ssn', label: 'SSN', start, end, specificity: 50 });
      });
    },
  };
}
