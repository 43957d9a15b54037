import { createRequire } from 'node:module';
import type { CountryCode, parsePhoneNumberFromString as ParsePhoneNumber } from 'libphonenumber-js/max';

// libphonenumber-js with its full metadata weighs about 17 MiB in memory: it is loaded when the
// first phone-shaped text is checked, not when the gateway starts.
let parser: typeof ParsePhoneNumber | undefined;
function parsePhoneNumberFromString(...args: Parameters<typeof ParsePhoneNumber>): ReturnType<typeof ParsePhoneNumber> {
  parser ??= (createRequire(import.meta.url)('libphonenumber-js/max') as { parsePhoneNumberFromString: typeof ParsePhoneNumber }).parsePhoneNumberFromString;
  return parser(...args);
}
import { regexDetector, type Detection, type Detector } from './detector.ts';
import { findSpokenPhones } from './spoken-digits.ts';
import { afterVersionWord } from './ip-address.ts';
import { columnsAt, inCommaSeparatedCell } from './table-columns.ts';

export interface PhoneOptions {
  /** Countries whose national format (no +prefix) is recognised. */
  countries: string[];
}

// Digits with single spaces, dots, dashes or brackets between them; no letters or digits around.
const candidates = /(?<![\w+.\/-])(?:\+|\b00)?\(?\d(?:[ .\-\u00a0]?\(?\d\)?){5,18}(?![\w\/-]|\.\d)/g;
/**
 * Words that announce a phone number, in the languages the plugin reads (phone, Telefon,
 * téléphone, teléfono, telefono, telefoon, telefone, numer, "nå mig på", "reperibile al"…), and
 * the verbs that ask for a call ("llámenme al", "contattatemi al", "chiamatemi al", "zadzwoń pod",
 * "ligar para", "appelez-moi au", "ruf mich an unter") or name a mobile (telemóvel, komórka).
 */
const phoneCue =
  /(?:phone|tel|telephone|mobile|mob|cell|call(?: me)?(?: at| on)?|ring(?: me)?(?: on| at)?|fax|whatsapp|sms|text(?: me)?(?: at| on)?|contact|reach (?:me|us|her|him|them) (?:at|on)|number|n[uú]m[eé]ro|numer|nummer|telefon|t[ée]l[ée]phone|t[ée]l|tel[ée]fono|telefoon|telefone|handy|m[óo]vil|mobiel|celular|cellulare|portable|joignable au|(?:me|nous) joindre(?: au)?|erreichbar unter|(?:an)?rufen|bellen(?: op)?|(?<![a-z])bel (?:me|mij|ons)(?: op)?|reperibile al|bereikbaar op|n[åa]r? mig p[åa]|contato|kontakt|contacted|contactez|contacter|contactarme|erreichen|erreicht|bereiken|extension|ext|durchwahl|(?<![a-z])(?:num|nr|zap|cel|festnetz\w*|denwa(?: bang[oō]u?)?)|ll[aá]m(?:enme|ame|anos|adme|ar(?:me|nos)?|e(?:nos)?)|contatta(?:temi|teci|mi|ci|re|rmi|rci)|chiama(?:temi|teci|mi|ci|re|rmi|rci)|telefona(?:temi|teci|mi|ci|re|rmi)|(?:za)?dzwo[nń](?:cie|i[cć]|ienie)?|kom[óo]rk[aęiio]?\w*|telem[óo]vel|lig(?:ar|ue|a)(?:-me|-nos)?(?= para)|appel(?:ez|le|er)(?:-moi|-nous)?|(?<![a-z])ruf(?= (?:mich|uns) an)|電話番号|電話)(?:\s+[\p{L}\p{N}_'’]{1,12}){0,4}?\W{0,6}$/iu;
/**
 * Numbers of things that are not phones: "order number 2024-118832", "Kundennummer 5510288", "part
 * SKU 276-650-6191", "codice articolo 548-207-6498", "cod. art. …", "articolo n. …", in the plugin's
 * languages plus PL and TR ("Numer zamówienia 90841516", "número de encomenda", "numer artykułu", "sipariş no").
 */
const otherNumber = /(?<![a-z])(?:passport|pasaporte|passeport|reisepass|paspoort|license|licence|rijbewijs|führerschein|permis|ausweis|dni|nie(?![a-z])|ssn|social security|iban|card|kaart|karte|tarjeta|carte|order|invoice|account|customer|tracking|booking|reference|ref|policy|member|ticket|case|serial|model|part|item|sku|upc|ean|gtin|mpn|asin|isbn|catalog|product|produkt|produit|prodott|produto|producto|artikel|article|articol|art[ií]cul|artig|artyku[łl]|art\.|kunden|bestell|rechnungs|auftrags|vertrags|konto|pedido|factura|commande|facture|ordine|fattura|bestel|factuur|klant|encomenda|fatura|cliente|zamówieni|zamowieni|faktur|klienta|rezerwacj|przesyłk|przesylk|reserva|sipariş|siparis|müşteri|ürün|urun)\w*\W{0,3}(?:number|no\.?|nr\.?|n[.°º]|n[uú]mero|numer|nummer|kod(?:u|e)?|c[oó]d(?:igo|ice|e)?\.?|#)?\W{0,6}$/i;
/**
 * A signature's short label at the start of a line ("M: 93 412 77 05", "Mob.: …", "T: …", "Tel.: …",
 * "Cel: …", "Tlf: …"): a letter alone says phone only there, so the line break (or the text's start) is part of it.
 */
const signatureLabel = /[\r\n][ \t]*(?:m|t|mob|mov|cel|tel|telf|tlf|tlm|gsm)\.?[ \t]*:[ \t]*$/i;
function afterSignatureLabel(text: string, start: number): boolean {
  const from = Math.max(0, start - 16);
  return signatureLabel.test((from === 0 ? '\n' : '') + text.slice(from, start));
}
/** A CSV column of phone numbers ("telefoon", "guardian_phone", 電話番号). */
const phoneColumn = /phone|tel|mobile|m[óo]vil|cell|handy|gsm|電話/i;
/** "reach me at x@example.com or on …", "erreichen mich unter x@example.com oder …": an e-mail address came first. */
const orAfterEmail = /[^\s@]@[^\s@]*[ \t]+(?:or|oder|ou|o|of)[ \t]+(?:(?:on|at|au|al|op|unter)[ \t]+)?$/i;
/** True when an e-mail address and "or" stand between a phone cue and the number at `start`. */
function cueBeforeEmail(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 120), start);
  const at = before.lastIndexOf('@');
  if (at === -1 || !orAfterEmail.test(before.slice(Math.max(0, at - 1)))) return false;
  // The address starts after the last space before its "@"; the cue comes before it.
  const addressStart = Math.max(before.lastIndexOf(' ', at), before.lastIndexOf('\t', at), before.lastIndexOf('\n', at)) + 1;
  const absolute = start - before.length + addressStart;
  return phoneCue.test(text.slice(Math.max(0, absolute - 40), absolute));
}
const dateLike = /^(?:(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:(?:19|20)\d{2}|\d{2}))(?:$|[ T])/;
const dotQuad = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const moneyBefore = /[$€£¥₹]\s?$|(?:USD|EUR|GBP|INR)\s?$/;
/** An amount with cents and its currency after it: "34719.54 USD", "1 250,00 €". */
const moneyAfter = /^\s?(?:[$€£¥₹]|(?:USD|EUR|GBP|CHF|INR|JPY|CAD|AUD|SEK|PLN)(?![A-Za-z]))/;
const cents = /[.,]\d{2}$/;
/**
 * Countries whose national numbers are always written with the trunk prefix 0 (030 12345678,
 * 020 7946 0958, 01 23 45 67 89, 020 123 4567, (02) 9718 0684, 03-1234-5678): a digit run without
 * it is an amount, a meeting id, a version or a batch number ("2024.12.345", "845 2290 1176"),
 * which libphonenumber takes for a valid number once the 0 is left off.
 */
const trunkPrefixRequired: ReadonlySet<string> = new Set(['DE', 'GB', 'FR', 'NL', 'AU', 'JP', 'SE', 'AT', 'CH', 'BE', 'FI', 'IE', 'NZ', 'ZA']);
/**
 * Two digit groups joined by one dot are a decimal number (a coordinate "13.75566", a reading
 * "48.2519"), and dotted groups after a year a batch, build or version ("2025.11.997"): no country
 * writes its phone numbers so, and with a wide `countries` list some parse as valid ones (guard8
 * audit, F7). After a phone cue they are still read.
 */
const decimalNumber = /^\d+\.\d+$/;
const yearLedCode = /^(?:19|20)\d\d(?:\.\d+)+$/;
/**
 * The brackets of a number are its own when they pair up ("(415) 263-8841", "+44 (0)20 …"); a bracket
 * left unpaired at either end closes or opens the sentence around it ("(anna@example.org, +1 212 943
 * 1556)") and stays in the text (guard8 audit, F11).
 */
function unpairedBrackets(value: string): readonly [number, number] {
  const opening = value.split('(').length - 1;
  const closing = value.split(')').length - 1;
  if (closing > opening && value.endsWith(')')) return [0, 1];
  if (opening > closing && value.startsWith('(')) return [1, 0];
  return [0, 0];
}
const nanpCountries: ReadonlySet<string> = new Set(['US', 'CA']);
/**
 * The area code, a slash and the subscriber number, as German and Austrian numbers were long
 * written (DIN 5008 before 2020: "Tel. 030/89761234", "0711/123 45 67"): only after a phone cue,
 * as file and case numbers ("Az. 030/89761234") are written that way too.
 */
const slashed = /(?<![\w+.\/-])0\d{2,5}\/\d{2,8}(?:[ -]\d{2,8}){0,3}(?![\w\/-]|[.,]\d)/g;
/** North American numbers are grouped 3-3-4 ("(415) 263-8841", "1 415 263 8841") or not at all. */
const nanpGrouping = (groups: readonly number[]): boolean => /^(?:1,)?(?:3,3,4|3,7|10)$|^11$/.test(groups.join(','));
/**
 * Draws, scores and lists of small numbers ("5 19 23 31 40 8", "32 4 46 27 33 34", "5 16 27 37 48"),
 * not national phone numbers: a group of one digit after the first, more than five groups, or four
 * or more groups of one or two digits none of which starts with 0 (a number written in pairs starts
 * with its trunk 0: "06 12 34 56 78").
 */
const listOfNumbers = (groups: readonly string[]): boolean =>
  groups.length > 5 || groups.some((group, index) => index > 0 && group.length === 1) || (groups.length >= 4 && groups.every((group) => group.length <= 2 && !group.startsWith('0')));
/** The US SSN layout `ddd-dd-dddd` (a void SSN, or a part number written like one: "942-22-7099"), which no country's phone numbers use. */
const ssnLayout = /^\d{3}-\d{2}-\d{4}$/;
/**
 * The announced number is a meeting's, a conference's or a code ("meeting id is 845 2290 1176",
 * "Zoom ID: 912 345 6781", "PIN: 4829 1133"): a phone only with its + country code.
 */
const codeNumber = /(?<![a-z])(?:(?:meeting|webinar|conference|zoom|teams|session|room|event|call)\W{0,3}(?:id|code|number|no\.?|#|pin)|passcode|pin(?:[ _-]?code)?|otp|verification code|access code)\W{0,3}(?:is\W{0,3})?$/i;

/**
 * Phone numbers, validated with libphonenumber-js (full metadata): international numbers
 * (+ or 00) for every country, national formats for the configured countries. A number after a
 * phone cue word counts in any country's format when it has a phone's length (7-15 digits); a
 * plain digit run with no separators (an order number, an id) counts only after such a cue.
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
  const written = regexDetector({
    entity: 'phone',
    label: 'PHONE',
    specificity: 30,
    pattern: candidates,
    trim: unpairedBrackets,
    validate(value, text, start) {
      const digits = value.replace(/\D/g, '');
      if (digits.length < 7 || digits.length > 15) return false;
      if (dateLike.test(value) || dotQuad.test(value)) return false;
      // "chrome 124.0.6367.207": a version with a long part, not a phone.
      if (value.includes('.') && afterVersionWord(text, start)) return false;
      const before = text.slice(Math.max(0, start - 40), start);
      const after = text.slice(start + value.length, start + value.length + 5);
      // A decimal part after it ("12 345 678,50") makes it an amount; a comma between cells does not ("8812,(415) 263-8841,42.00").
      const decimalAfter = /^[.,]\d/.test(after) && !(after[0] === ',' && inCommaSeparatedCell(text, start, start + value.length));
      if (moneyBefore.test(before) || decimalAfter || (cents.test(value) && moneyAfter.test(after))) return false;
      const international = value.startsWith('+') || value.startsWith('00');
      const separated = /[ .\-()\u00a0]/.test(value);
      // A number with its + country code is a phone whatever word comes before it ("Senior
      // Accountant, +1 415 263 8841", "Customer +1 415 … called"): only `00` and national numbers
      // can be the account, order or customer number the word announces.
      if (!value.startsWith('+') && (otherNumber.test(before) || codeNumber.test(before))) return false;
      const cued = phoneCue.test(before) || afterSignatureLabel(text, start) || cueBeforeEmail(text, start) || columnsAt(text, start).some((name) => phoneColumn.test(name));
      if (!separated && !cued) return false;
      if (!cued && (decimalNumber.test(value) || yearLedCode.test(value))) return false;
      if (international) {
        const e164 = `+${value.replace(/^(?:\+|00)/, '').replace(/\D/g, '')}`;
        // "+44 7700 900118": numbers from ranges kept for fiction are possible, not valid; a "+"
        // is clear enough. North American numbers keep their area code and exchange rules.
        const possible = value.startsWith('+') && !(e164.startsWith('+1') && !/^\+1[2-9]\d\d[2-9]\d{6}$/.test(e164));
        return verdicts.get(e164) ?? remember(e164, possible ? parsePhoneNumberFromString(e164)?.isPossible() === true : parsePhoneNumberFromString(e164)?.isValid() === true);
      }
      // After a cue, any country's national format: a phone's length with the usual separators.
      if (cued && digits.length >= 7 && digits.length <= 13 && !/^\d{1,3}(?:[.]\d{1,3}){1,2}$/.test(value)) return true;
      // US/Canada numbers are 10 digits (or 1 + 10) with area code and exchange starting 2-9: a cheap first cut.
      if (nanpOnly && !/^1?[2-9]\d\d[2-9]\d{6}$/.test(digits)) return false;
      const parts = value.split(/[ .\-()\u00a0]+/).filter((group) => group !== '');
      if (listOfNumbers(parts) || ssnLayout.test(value)) return false;
      const groups = parts.map((group) => group.length);
      // The grouping decides too (a NANP number is 3-3-4): it is part of the key.
      const key = `${groups.join(',')}:${digits}`;
      return (
        verdicts.get(key) ??
        remember(
          key,
          countries.some(
            (country) =>
              (!trunkPrefixRequired.has(country) || /^0[1-9]/.test(digits)) &&
              (!nanpCountries.has(country) || nanpGrouping(groups)) &&
              parsePhoneNumberFromString(value, country)?.isValid() === true,
          ),
        )
      );
    },
  });
  const withSlash = regexDetector({
    entity: 'phone',
    label: 'PHONE',
    specificity: 30,
    pattern: slashed,
    mayContain: (text) => text.includes('/'),
    validate(value, text, start) {
      const digits = value.replace(/\D/g, '').length;
      const before = text.slice(Math.max(0, start - 40), start);
      return digits >= 7 && digits <= 13 && !otherNumber.test(before) && (phoneCue.test(before) || afterSignatureLabel(text, start));
    },
  });
  return {
    entity: 'phone',
    label: 'PHONE',
    specificity: 30,
    find(text: string, found: Detection[], from = 0) {
      written.find(text, found, from);
      withSlash.find(text, found, from);
      findSpokenPhones(text, found, from);
    },
  };
}
