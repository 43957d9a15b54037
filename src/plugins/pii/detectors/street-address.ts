import { regexDetector, type Detector } from './detector.ts';

/*
 * Street addresses: a house number and a street with a street-type word, in three word orders:
 * "221 Baker Street" (English), "Hauptstraße 27" / "Prinsengracht 263" (German, Dutch, Nordic),
 * "Calle de Alcalá 120" / "14 rue des Lilas" / "Via Garibaldi 15" (Romance languages). A unit,
 * city, region and postcode that follow are part of the value. A street without a house number
 * ("turn left onto Oak Avenue") is not an address. Every repetition is bounded, and every word
 * run starts at a word boundary, so matching stays linear.
 */

/** Either case for the first letter only: the rest of the pattern is case-sensitive (\p{Lu} must stay upper case). */
const eitherCase = (words: string[]): string => words.map((word) => `[${word[0].toUpperCase()}${word[0]}]${word.slice(1)}`).join('|');

const word = `\\p{Lu}[\\p{L}'’.-]*`;
const houseNumber = `(?<![\\p{L}\\p{N}.,/:#$€£-])\\d{1,5}[A-Za-z]?(?:[-–]\\d{1,5})?`;
const englishTypes =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Square|Sq|Terrace|Ter|Crescent|Cres|Close|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Row|Mews|Grove|Gardens|Hill|Walk|Wharf|Quay|Esplanade|Promenade';
const direction = '(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\\.?';
const unit = `(?:,?[ \\t]+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm|#)\\.?[ \\t]*#?[A-Za-z0-9-]{1,6})?`;
const city = `${word}(?:[ \\t]${word}){0,2}`;
// US ZIP, UK postcode, Irish Eircode, Canadian postal code, Indian PIN.
const postcode = '(?:\\d{5}(?:-\\d{4})?|[A-Z]{1,2}\\d[A-Z\\d]?[ ]?\\d[A-Z]{2}|[A-Z]\\d{2}[ ]?[A-Z\\d]{4}|[A-Z]\\d[A-Z][ ]?\\d[A-Z]\\d|\\d{6})(?![\\p{L}\\p{N}])';
const cityAndPostcode = `(?:,?\\s{1,3}${city}(?:,[ \\t]*[A-Z]{2})?[ \\t]+${postcode})?`;
const english = `${houseNumber}[ \\t]+(?:${direction}[ \\t]+)?(?:(?:${word}|\\d{1,3}(?:st|nd|rd|th))[ \\t]+){1,3}(?:${englishTypes})\\.?(?![\\p{L}\\p{N}])(?:[ \\t]+(?:NE|NW|SE|SW))?${unit}${cityAndPostcode}`;

// Street-type endings of one-word street names; the house number follows.
const compoundEndings =
  'straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|markt|hof|straat|laan|gracht|kade|plein|singel|dijk|steeg|gade|vej|gatan|vägen';
const germanPrefix = '(?:(?:Am|An der|An den|Auf der|Auf dem|Im|In der|Zum|Zur|Alte|Neue|Große|Kleine)[ \\t]+)?';
const europeanPostcode = '(?:,[ \\t]*\\d{4,5}(?:[ \\t]?[A-Z]{2})?[ \\t]+' + `${word}(?:[ \\t]${word})?)?`;
const compound = `(?<![\\p{L}\\p{N}])${germanPrefix}\\p{Lu}[\\p{L}-]*(?:${compoundEndings})[ \\t]+\\d{1,4}[ \\t]?[a-z]?(?![\\p{L}\\p{N}])${europeanPostcode}`;
// "15 Kingsway, Manchester M19 2LL": a one-word street needs its city and postcode.
const oneWordStreet = `${houseNumber}[ \\t]+\\p{Lu}\\p{Ll}+(?:way|gate|side|field|wood)(?![\\p{L}\\p{N}]),[ \\t]*${city}[ \\t]+${postcode}`;

const romanceTypes = eitherCase([
  'calle', 'avenida', 'avda', 'paseo', 'plaza', 'camino', 'carrera', 'ronda', 'travesía', 'rua', 'travessa', 'praça', 'largo', 'estrada', 'alameda',
  'via', 'viale', 'piazza', 'piazzale', 'corso', 'vicolo', 'rue', 'avenue', 'boulevard', 'allée', 'impasse', 'chemin', 'quai', 'cours', 'ul',
]);
const particle = `(?:de|del|la|las|los|do|da|dos|das|di|della|delle|dei|des|du|le|l['’]|d['’])`;
const romanceName = `(?:${particle}[ \\t]*){0,3}${word}(?:[ \\t]+(?:${particle}[ \\t]*){0,3}${word}){0,3}`;
const romanceTail = `(?:,[ \\t]*(?:\\d{5}|\\d{4}-\\d{3})[ \\t]+${city})?`;
const floor = `(?:,[ \\t]*\\d{1,2}[º°ª]?[ \\t]?[A-Z]?(?=,))?`;
const romance = `(?<![\\p{L}\\p{N}])(?:${romanceTypes})\\.?[ \\t]+${romanceName},?[ \\t]*(?:n[º°o]\\.?[ \\t]*)?\\d{1,4}[a-z]?(?=[ \\t]*(?:[,;.)\\n]|$))${floor}${romanceTail}`;
const frenchNumberFirst = `${houseNumber}(?:[ \\t]?(?:bis|ter))?,?[ \\t]+(?:${eitherCase(['rue', 'avenue', 'boulevard', 'place', 'allée', 'impasse', 'chemin', 'quai', 'route', 'cours'])})[ \\t]+${romanceName}${romanceTail}`;

/** Street addresses (label ADDRESS): house number + street + street type, with unit, city and postcode when they follow. */
export function streetAddressDetector(): Detector {
  return regexDetector({
    entity: 'street_address',
    label: 'ADDRESS',
    specificity: 35,
    pattern: new RegExp(`${english}|${compound}|${oneWordStreet}|${romance}|${frenchNumberFirst}`, 'gu'),
    mayContain: (text) => /\d/.test(text),
  });
}
