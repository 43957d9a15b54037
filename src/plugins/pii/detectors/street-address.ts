import { regexDetector, type Detection, type Detector } from './detector.ts';
import { wantsProvisional, wholeTextHas } from './whole-text.ts';

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
// A unit before the number ("2/14 Brunswick Street", Australia) is part of it.
const houseNumber = `(?<![\\p{L}\\p{N}.,/:#$€£-])(?:\\d{1,4}[A-Za-z]?\\/)?\\d{1,5}[A-Za-z]?(?:[-–]\\d{1,5})?`;
const englishTypes =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Square|Sq|Terrace|Ter|Crescent|Cres|Close|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Row|Mews|Grove|Gardens|Hill|Walk|Wharf|Quay|Esplanade|Promenade';
const direction = '(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\\.?';
const unit = `(?:,?[ \\t]+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm|#)\\.?[ \\t]*#?[A-Za-z0-9-]{1,6})?`;
// A city's words end at a sentence's full stop: "…, 08002 Barcelona. The parcel…" ends at "Barcelona"
// (an abbreviation's dot stays: "St. Albans", "Washington D.C.").
const cityName = `\\p{Lu}[\\p{L}'’.-]*(?<!\\p{L}{4}\\.)`;
const city = `${cityName}(?:[ \\t]${cityName}){0,2}`;
// US ZIP, UK postcode, Irish Eircode, Canadian postal code, Indian PIN.
const postcode = '(?:\\d{5}(?:-\\d{4})?|[A-Z]{1,2}\\d[A-Z\\d]?[ ]?\\d[A-Z]{2}|[A-Z]\\d{2}[ ]?[A-Z\\d]{4}|[A-Z]\\d[A-Z][ ]?\\d[A-Z]\\d|\\d{6})(?![\\p{L}\\p{N}])';
// Australian state and 4-digit postcode: "Fitzroy VIC 3065".
const australianTail = `[ \\t]+(?:VIC|NSW|QLD|SA|WA|TAS|ACT|NT)[ \\t]+\\d{4}(?![\\p{L}\\p{N}])`;
const cityAndPostcode = `(?:,?\\s{1,3}${city}(?:(?:,[ \\t]*[A-Z]{2})?[ \\t]+${postcode}|${australianTail}))?`;
const english = `${houseNumber}[ \\t]+(?:${direction}[ \\t]+)?(?:(?:${word}|\\d{1,3}(?:st|nd|rd|th))[ \\t]+){1,3}(?:${englishTypes})\\.?(?![\\p{L}\\p{N}])(?:[ \\t]+(?:NE|NW|SE|SW))?${unit}${cityAndPostcode}`;

// Street-type endings of one-word street names; the house number follows. (Exported, with the
// other word lists, for the stream hold-back: stream-open-tails.ts.)
export const compoundEndings =
  'straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|markt|hof|straat|laan|gracht|kade|plein|singel|dijk|steeg|gade|vej|gatan|vägen';
const germanPrefix = '(?:(?:Am|An der|An den|Auf der|Auf dem|Im|In der|Zum|Zur|Alte|Neue|Große|Kleine)[ \\t]+)?';
/** Street words after a place's adjective: "Berliner Str. 112". */
export const germanStreetWords = 'Straße|Strasse|Str\\.|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer|Chaussee';
// 4-5 digits (Dutch "3036 BC"), Swedish "411 38"; a city of one or two words or "Frankfurt am Main".
const cityWord = `\\p{Lu}[\\p{L}'’-]*`;
const europeanCity = `${cityWord}(?:[ \\t](?:(?:am|an der|im|bei|aan den|aan de|op|sur|en|upon)[ \\t])?${cityWord})?`;
const europeanPostcode = `(?:,[ \\t]*(?:\\d{4,5}(?:[ \\t]?[A-Z]{2})?|\\d{3}[ \\t]\\d{2})[ \\t]+${europeanCity})?`;
// "Berliner Str. 112": an adjective of a place, then the street word on its own.
const germanTwoWord = `\\p{Lu}\\p{Ll}+(?:er|e)[ \\t]+(?:${germanStreetWords})`;
const compound = `(?<![\\p{L}\\p{N}])(?:${germanPrefix}\\p{Lu}[\\p{L}-]*(?:${compoundEndings})|${germanTwoWord})[ \\t]+\\d{1,4}[ \\t]?[a-zA-Z]?(?:-[IVX]{1,3})?(?![\\p{L}\\p{N}])${europeanPostcode}`;
// "Am Mühlbach 116, 20095 Hamburg": after a German prefix, a street named without a street word
// ("Mühlbach", "Sonnenhang", "Lindenhof"), then its house number, postcode and city, all of them
// (a prefix and a capitalised word alone are prose: "Am Montag 14 Uhr").
const prefixedStreet = `(?<![\\p{L}\\p{N}])(?:Am|An der|An den|Auf der|Auf dem|Im|In der|Zum|Zur|Hinter der|Unter den|Vor dem)[ \\t]+\\p{Lu}\\p{Ll}[\\p{L}-]*[ \\t]+\\d{1,3}[ \\t]?[a-zA-Z]?(?![\\p{L}\\p{N}]),[ \\t]*\\d{4,5}[ \\t]+${europeanCity}`;
// "15 Kingsway, Manchester M19 2LL": a one-word street needs its city and postcode.
const oneWordStreet = `${houseNumber}[ \\t]+\\p{Lu}\\p{Ll}+(?:way|gate|side|field|wood)(?![\\p{L}\\p{N}]),[ \\t]*${city}(?:,[ \\t]*[A-Z]{2})?[ \\t]+${postcode}`;
// Welsh streets put the type first: "9 Heol y Parc", "Ffordd yr Eglwys", "Stryd Fawr".
const welsh = `${houseNumber}[ \\t]+(?:Heol|Ffordd|Stryd|Lôn|Rhodfa|Maes)(?:[ \\t]+(?:y|yr))?[ \\t]+${word}(?![\\p{L}\\p{N}])${cityAndPostcode}`;
// All lower case ("12 kingfisher close bristol bs16 4gh"): only with a UK postcode or US ZIP to close it.
export const lowerTypes = 'street|st|avenue|ave|road|rd|lane|ln|drive|dr|way|court|ct|place|pl|close|crescent|terrace|grove|gardens|mews|row|walk|hill|square|boulevard|blvd';
const lowerCase = `${houseNumber}[ \\t]+(?:\\p{Ll}+[ \\t]+){1,3}(?:${lowerTypes})(?:,?[ \\t]+\\p{Ll}+){1,3},?[ \\t]+(?:[a-z]{1,2}\\d[a-z\\d]?[ ]?\\d[a-z]{2}|\\d{5})(?![\\p{L}\\p{N}])`;
// India: "B-42, Sector 15, Noida, Uttar Pradesh 201301" (house, sector/block, places, 6-digit PIN).
const indian = `(?<![\\p{L}\\p{N}-])(?:[A-Z]-?)?\\d{1,4}[A-Z]?,[ \\t]*(?:Sector|Block|Phase|Plot|Pocket)[ \\t-]*\\d{1,3}[A-Z]?(?:,[ \\t]*${word}(?:[ \\t]${word}){0,2}){1,3}[ \\t]+\\d{6}(?![\\p{L}\\p{N}])`;

export const romanceTypeWords = [
  'calle', 'avenida', 'avda', 'paseo', 'plaza', 'camino', 'carrera', 'ronda', 'travesía', 'rua', 'travessa', 'praça', 'largo', 'estrada', 'alameda',
  'via', 'viale', 'piazza', 'piazzale', 'corso', 'vicolo', 'rue', 'avenue', 'boulevard', 'allée', 'impasse', 'chemin', 'quai', 'cours', 'ul', 'av', 'c/',
];
const romanceTypes = eitherCase(romanceTypeWords);
const upperRomanceTypes = romanceTypeWords.map((type) => type.toUpperCase()).join('|');
const upperRomanceCue = new RegExp(`(?:${upperRomanceTypes})\\.? [A-Z]`);
const particle = `(?:de|del|la|las|los|do|da|dos|das|di|della|delle|dei|des|du|le|l['’]|d['’])`;
const romanceName = `(?:${particle}[ \\t]*){0,3}${word}(?:[ \\t]+(?:${particle}[ \\t]*){0,3}${word}){0,3}`;
// "28009 Madrid" after a comma or on the next line; Brazil: "…, Funcionários, Belo Horizonte - MG, 30130-009".
const brazilianTail = `(?:,[ \\t]*(?:apto?\\.?|apartamento|sala|bloco|casa)[ \\t]*\\d{1,5})?(?:,[ \\t]*${city}){1,2}[ \\t]*-[ \\t]*[A-Z]{2},?[ \\t]*\\d{5}-\\d{3}(?![\\p{L}\\p{N}])`;
// Polish postcodes are "00-514"; an Italian one may follow a dash ("Via Roma, 15 - 20121 Milano").
const romanceTail = `(?:(?:,[ \\t]*|[ \\t]*\\r?\\n[ \\t]*|[ \\t]*[-–][ \\t]+)(?:\\d{5}|\\d{4}-\\d{3}|\\d{2}-\\d{3})[ \\t]+${city}|${brazilianTail})?`;
// A second number and a flat after the house number: "ul. Marszałkowska 84/92 m. 15", "ul. Piotrkowska 120 lok. 4".
const flat = `(?:/\\d{1,4}[a-z]?)?(?:[ \\t]+(?:m|lok|apt|int|esc)\\.[ \\t]*\\d{1,4}[a-z]?)?`;
const floor = `(?:,[ \\t]*\\d{1,2}[º°ª]?(?:[ \\t]?(?:izq(?:da)?|dcha|der|IZQ(?:DA)?|DCHA|DER|[A-Z]))?(?=,|[ \\t]*\\r?\\n[ \\t]*\\d{5}))?`;
const romanceStreet = (types: string): string => `(?<![\\p{L}\\p{N}])(?:${types})\\.?[ \\t]+${romanceName},?[ \\t]*(?:n[º°o]\\.?[ \\t]*)?\\d{1,4}[a-z]?${flat}(?=[ \\t]*(?:[,;.)\\n]|$|[-–][ \\t]+\\d{5}(?!\\d)))${floor}${romanceTail}`;
const romance = romanceStreet(romanceTypes);
// Quebec writes the city, province and postal code after it: "4410 Rue Saint-Denis, Montréal, QC H2J 2L1".
const frenchNumberFirst = `${houseNumber}(?:[ \\t]?(?:bis|ter))?,?[ \\t]+(?:${eitherCase(['rue', 'avenue', 'boulevard', 'place', 'allée', 'impasse', 'chemin', 'quai', 'route', 'cours'])})[ \\t]+${romanceName}${romanceTail}${cityAndPostcode}`;

const firstPerson = /\b(?:I|I['’]m|me|my|our|we|us)\b/i;
const question = /^\s*(?:who|why|what|when|where|which|how|did|does|is|was)\b[^\n]{0,300}\?/i;
/** A stream's first line that may still end in its question mark. */
const openQuestion = /^\s*(?:who|why|what|when|where|which|how|did|does|is|was)\b[^\n?]{0,300}$/i;
/**
 * "Who lives at 10 Downing Street?": a question about a famous address, with no one speaking of
 * themselves (anywhere in the text: "Is this cover letter ok? … I am applying for …" is not one).
 * In a stream, also a first line that may still end in its question mark.
 */
function knowledgeQuestion(text: string): boolean {
  return (question.test(text) || (wantsProvisional() && openQuestion.test(text))) && !wholeTextHas(text, firstPerson);
}

/** Street addresses (label ADDRESS): house number + street + street type, with unit, city and postcode when they follow. */
export function streetAddressDetector(): Detector {
  const base = { entity: 'street_address', label: 'ADDRESS', specificity: 35 };
  // Rarer shapes run as their own regexes behind a cheap test: one big alternation is tried at every position.
  const parts = [
    regexDetector({ ...base, pattern: new RegExp(`${english}|${compound}|${oneWordStreet}|${romance}|${frenchNumberFirst}`, 'gu') }),
    regexDetector({ ...base, pattern: new RegExp(welsh, 'gu'), mayContain: (text) => /Heol|Ffordd|Stryd|Lôn|Rhodfa|Maes/.test(text) }),
    // Only with a lower-case UK postcode or a ZIP after a lower-case word.
    regexDetector({ ...base, pattern: new RegExp(lowerCase, 'gu'), mayContain: (text) => /[a-z] \d{5}(?!\d)|(?<![a-z0-9])[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}(?![a-z0-9])/.test(text) }),
    regexDetector({ ...base, pattern: new RegExp(indian, 'gu'), mayContain: (text) => /Sector|Block|Phase|Plot|Pocket/.test(text) }),
    regexDetector({ ...base, pattern: new RegExp(prefixedStreet, 'gu'), mayContain: (text) => /,[ \t]*\d{4,5}[ \t]+\p{Lu}/u.test(text) }),
    regexDetector({ ...base, pattern: new RegExp(romanceStreet(upperRomanceTypes).replaceAll(particle, particle.toUpperCase()), 'gu'), mayContain: (text) => upperRomanceCue.test(text) }),
  ];
  return {
    entity: 'street_address',
    label: 'ADDRESS',
    specificity: 35,
    find(text: string, found: Detection[], from = 0) {
      if (!/\d/.test(from === 0 ? text : text.slice(from))) return;
      // In a general-knowledge question the addresses are no one's; a stream holds them, as a
      // first-person word later in the text may still make them someone's.
      const exempt = knowledgeQuestion(text);
      if (exempt && !wantsProvisional()) return;
      const first = found.length;
      for (const part of parts) part.find(text, found, from);
      if (exempt) for (let index = first; index < found.length; index++) found[index].provisional = true;
    },
  };
}
