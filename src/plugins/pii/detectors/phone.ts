import { createRequire } from 'node:module';
import type { CountryCode, parsePhoneNumberFromString as ParsePhoneNumber } from 'libphonenumber-js/max';

// libphonenumber-js with its full metadata weighs about 17 MiB in memory: it is loaded when the
// first phone-shaped text is checked, not when the gateway starts.
let parser: typeof ParsePhoneNumber | undefined;
function parsePhoneNumberFromString(...args: Parameters<typeof ParsePhoneNumber>): ReturnType<typeof ParsePhoneNumber> {
  parser ??= (createRequire(import.meta.url)('libphonenumber-js/max') as { parsePhoneNumberFromString: typeof ParsePhoneNumber }).parsePhoneNumberFromString;
  return parser(...args);
}
import { regexDetector, type Detector } from './detector.ts';

export interface PhoneOptions {
  /** Countries whose national format (no +prefix) is recognised. */
  countries: string[];
}

// Digits with single spaces, dots, dashes or brackets between them; no letters or digits around.
const candidates = /(?<![\w+.\/-])(?:\+|\b00)?\(?\d(?:[ .\-\u00a0]?\(?\d\)?){5,18}(?![\w\/-]|\.\d)/g;
const phoneCue = /(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|text me|contact|number|n[uú]mero|telefon|t[ée]l[ée]phone|t[ée]l|handy|móvil|cellulare)\W{0,6}$/i;
const dateLike = /^(?:(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:(?:19|20)\d{2}|\d{2}))(?:$|[ T])/;
const dotQuad = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Phone numbers, validated with libphonenumber-js (full metadata): international numbers
 * (+ or 00) for every country, national formats for the configured countries. A plain digit
 * run with no separators (an order number, an id) counts only after a phone cue word.
 */
export function phoneDetector(options: PhoneOptions): Detector {
  const countries = options.countries as CountryCode[];
  const nanpOnly = countries.every((country) => country === 'US' || country === 'CA');
  // Conversations resend their history every turn: the same numbers come back again and again.
  const verdicts = new Map<string, boolean>();
  const remember = (key: string, verdict: boolean): boolean => {
    if (verdicts.size >= 4096) verdicts.clear();
    verdicts.set(key, verdict);
    return verdict;
  };
  return regexDetector({
    entity: 'phone',
    label: 'PHONE',
    specificity: 30,
    pattern: candidates,
    validate(value, text, start) {
      const digits = value.replace(/\D/g, '');
      if (digits.length < 7 || digits.length > 15) return false;
      if (dateLike.test(value) || dotQuad.test(value)) return false;
      const international = value.startsWith('+') || value.startsWith('00');
      const separated = /[ .\-()\u00a0]/.test(value);
      const cued = phoneCue.test(text.slice(Math.max(0, start - 30), start));
      if (!separated && !cued) return false;
      if (international) {
        const e164 = `+${value.replace(/^(?:\+|00)/, '').replace(/\D/g, '')}`;
        return verdicts.get(e164) ?? remember(e164, parsePhoneNumberFromString(e164)?.isValid() === true);
      }
      // US/Canada numbers are 10 digits (or 1 + 10) with area code and exchange starting 2-9: a cheap first cut.
      if (nanpOnly && !/^1?[2-9]\d\d[2-9]\d{6}$/.test(digits)) return false;
      return verdicts.get(digits) ?? remember(digits, countries.some((country) => parsePhoneNumberFromString(value, country)?.isValid() === true));
    },
  });
}
