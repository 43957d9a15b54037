import { months, spokenDateWords } from './detectors/date-of-birth.ts';
import type { Detector } from './detectors/detector.ts';
import { digitWords, repeat } from './detectors/spoken-digits.ts';
import { compoundEndings, germanStreetWords, lowerTypes, romanceTypeWords } from './detectors/street-address.ts';
import { ibanGroupsRun, passwordNounRun, splitAwsKeyRun } from './stream-open-values.ts';
import {
  afterOpener,
  escapeRegExp,
  leading,
  longestForms,
  prefixTest,
  trailing,
  wholeWord,
  withoutTrailing,
  wordBefore,
  wordRun,
  type OpenTailFinder,
} from './stream-word-runs.ts';

/*
 * Runs of words at the end of a streamed text that more text may still turn into a match, or
 * extend as one, of a detector whose matches span several words: "742 Evergreen " before
 * "Terrace, Springfield, OR 97403", "jane dot doe at " before "example dot com", "5 de mayo de "
 * before "1990", "oh seven seven double " before the rest of a phone read out. The stream holds
 * such a run until the words after it decide it (stream-hold-back.ts), at most `openTailLimit`
 * characters (stream-word-runs.ts). The word lists are the detectors' own; the runs are looser
 * than the detectors' patterns: holding a little too much delays a few words, holding too little
 * sends the start of a value before the detector can see it.
 */

// Street addresses: a house number, a Romance street type ("Calle", "rue", "Via", "C/"), a German
// or Dutch compound street ("Hauptstraße", "Prinsengracht"), a German prefix ("Am", "Zur") or a
// place's adjective before a street word ("Berliner Str.") begins one; capitalised words, numbers,
// postcodes, units and the particles of street and city names go on with it. Where a chunk ends
// after a word and the next has not begun (`next` is ''), a house number, a street type or street
// and a long adjective ("Berliner") hold it; a German prefix or a short adjective does not: they
// are common words ("In", "The", "Please") that would hold back a chunk each time (a prefix that
// opens a quoted value does: `"adresse":"Am `).
const houseNumber = `(?:[A-Z]-?)?(?:\\p{Nd}{1,4}[A-Za-z]?/)?\\p{Nd}{1,5}[A-Za-z]?(?:[-–]\\p{Nd}{1,5})?`;
const romanceTypeForms = romanceTypeWords.flatMap((type) => [type, type[0].toUpperCase() + type.slice(1), type.toUpperCase()]).map(escapeRegExp);
const addressStart = new RegExp(`^\\(?(?:${houseNumber}|(?:${romanceTypeForms.join('|')})\\.?|\\p{Lu}[\\p{L}-]*(?:${compoundEndings}))${trailing}$`, 'u');
const germanPrefix = /^(?:Am|An|Auf|Im|In|Zum|Zur|Alte|Neue|Große|Kleine)$/u;
const placeAdjective = /^\p{Lu}\p{Ll}+(?:er|e)$/u;
/** "Berliner", "Hamburger", "Kölner" — not "Other", "After", "Peter". */
const longPlaceAdjective = /^\p{Lu}\p{Ll}{3,}er$/u;
const streetWordAfterAdjective = new RegExp(`^(?:${germanStreetWords})$`, 'u');
const mayBeStreetWord = prefixTest(longestForms(germanStreetWords));
const lowerAddressWords = [
  ...['de', 'del', 'la', 'las', 'los', 'do', 'da', 'dos', 'das', 'di', 'della', 'delle', 'dei', 'des', 'du', 'le', 'y', 'yr'],
  ...['am', 'an', 'der', 'den', 'dem', 'im', 'bei', 'aan', 'op', 'sur', 'en', 'upon', 'bis', 'ter'],
  ...['apt', 'apto', 'apartamento', 'sala', 'bloco', 'casa', 'm.', 'lok.', 'int.', 'esc.', 'izq', 'izqda', 'dcha', 'n°', 'nº', 'no.'],
  ...romanceTypeWords,
  ...['place', 'route'],
];
const addressMember = new RegExp(
  `^${leading}(?:[\\p{Lu}\\p{Nd}#№–-]|[ld]['’]\\p{L}|n[º°o]\\.?\\p{Nd}|(?:${lowerAddressWords.map(escapeRegExp).join('|')})${trailing}$|\\p{Ll}${trailing}$)`,
  'u',
);
const mayBeLowerAddressWord = prefixTest(lowerAddressWords);
const streetAddressRun = wordRun({
  maxWords: 16,
  begins(word, next) {
    const at = afterOpener(word);
    const core = at === 0 ? word : word.slice(at);
    if (addressStart.test(core)) return at;
    // A prefix with no word after it yet holds only when something opens it (`"Am `, a JSON value),
    // where it is no sentence's first word.
    if (germanPrefix.test(core)) return /^\p{Lu}/u.test(next) || /^(?:der|den|dem)$/.test(next) || (next === '' && at > 0) ? at : -1;
    if (!placeAdjective.test(core)) return -1;
    return next === '' ? (longPlaceAdjective.test(core) ? at : -1) : streetWordAfterAdjective.test(next) || mayBeStreetWord(next) ? at : -1;
  },
  member: (word) => addressMember.test(word),
  mayBecome: (partial) => addressMember.test(partial) || /^[ld]['’]/u.test(partial) || mayBeLowerAddressWord(withoutTrailing(partial)),
});

// All lower case ("12 kingfisher close bristol bs16 4gh"): up to three words, a street type, up to
// three more and the first half of a postcode after a house number.
const lowerCaseStreet = new RegExp(
  `(?<![\\p{L}\\p{N}.,/:#$€£-])(?:\\p{Nd}{1,4}[A-Za-z]?/)?\\p{Nd}{1,5}[A-Za-z]?(?:[-–]\\p{Nd}{1,5})?(?:[ \\t]+\\p{Ll}+){0,3}(?:[ \\t]+(?:${lowerTypes})(?:,?[ \\t]+\\p{Ll}+){0,3},?(?:[ \\t]+[a-z]{1,2}\\p{Nd}[a-z\\p{Nd}]?)?)?[ \\t]+$`,
  'u',
);
/** Longer than its longest prefix ("12345 kingfisher wood glade terrace, little upper bristol, bs16 "). */
const lowerCaseStreetLimit = 96;
const lowerCaseStreetRun: OpenTailFinder = (text, wordsEnd, from) => {
  if (!/^[\p{Ll}\p{Nd},]*$/u.test(text.slice(wordsEnd))) return -1;
  const start = Math.max(from, wordsEnd - lowerCaseStreetLimit);
  const match = lowerCaseStreet.exec(text.slice(start, wordsEnd));
  return match === null ? -1 : start + match.index;
};

// E-mail addresses written out: "jane dot doe at example dot com", "kwame [at] example [dot] net".
const connectorWord = /^(?:[[({]?(?:dot|at)[\])}]?|[[({\])}])$/i;
const atWord = /^[[({]?at[\])}]?$/i;
/** A part of a written-out address; one that ends in a dot ends a sentence, not a local part ("… for you. "). */
const emailPart = /^[\p{L}\p{N}_+.-]*[\p{L}\p{N}_+-]$/u;
const mayBeConnector = prefixTest(['dot', 'at', '[dot]', '[at]', '(dot)', '(at)', '{dot}', '{at}']);
/** A local part the detector takes before a plain " at ": "j.doe", "jane_doe", "jane99" (not "look at this"). */
const strongLocal = /[\p{N}_.+-]/u;

/** Whether the words from `first` on can still become a written-out address (emailDetector's rule for the local part). */
function spokenEmailCandidate(words: readonly string[], first: number, partial: string): boolean {
  let ats = 0;
  let dotInLocal = false;
  let bracketedAt = false;
  for (let index = first + 1; index < words.length; index++) {
    const word = words[index];
    if (!connectorWord.test(word)) continue;
    if (atWord.test(word)) {
      ats++;
      bracketedAt ||= word.length > 2;
    } else if (ats === 0 && /dot/i.test(word)) dotInLocal = true;
  }
  if (ats > 1) return false;
  if (strongLocal.test(words[first]) || dotInLocal || bracketedAt) return true;
  if (ats > 0) return false;
  // No "at" yet: the next word may still be a "dot" or a bracket (a plain "at" needs a local part
  // like "j.doe"). So a chunk that ends with a space after a word waits for the next one.
  return partial === '' || (mayBeConnector(partial) && !/^at?$/.test(partial));
}

/** Parts and connectors back from the end, never two parts in a row; the first part that can still begin an address. */
const spokenEmailRun: OpenTailFinder = (text, wordsEnd, from) => {
  const partial = text.slice(wordsEnd).toLowerCase();
  const partialConnector = partial === '' || mayBeConnector(partial);
  if (!partialConnector && !emailPart.test(partial)) return -1;
  const words: string[] = [];
  const starts: number[] = [];
  let laterIsPart = !partialConnector;
  let connectors = partialConnector ? 1 : 0;
  for (let cursor = wordsEnd; words.length < 16; ) {
    const span = wordBefore(text, cursor, from);
    if (span === null) break;
    const word = text.slice(span.start, span.end);
    const connector = connectorWord.test(word);
    if (!connector && (laterIsPart || !emailPart.test(word))) break;
    words.unshift(word);
    starts.unshift(span.start);
    if (connector) connectors++;
    laterIsPart = !connector;
    cursor = span.start;
  }
  if (connectors === 0) return -1;
  for (let first = 0; first < words.length; first++) {
    if (!connectorWord.test(words[first]) && spokenEmailCandidate(words, first, partial)) return starts[first];
  }
  return -1;
};

/** An address wrapped after its '@' (`john.doe@⏎example.com`, email.ts): held while its domain may still come on the next line. */
const wrappedEmailRun: OpenTailFinder = (text, wordsEnd, from) => {
  if (!/^[\p{L}\p{N}.-]*$/u.test(text.slice(wordsEnd))) return -1;
  const lineBreak = wordsEnd - (text[wordsEnd - 2] === '\r' ? 2 : 1);
  if (text[wordsEnd - 1] !== '\n' || text[lineBreak - 1] !== '@') return -1;
  const span = wordBefore(text, lineBreak, from);
  return span === null || span.end !== lineBreak ? -1 : span.start;
};

// Dates: "5 de mayo de 1990", "4. März 1950", "1er avril 1990", "August 4, 1950", and said aloud:
// "the fourteenth of february nineteen fifty two", "march third two thousand and one".
const ordinalUnits = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'];
const ordinalWord = new RegExp(
  `^(?:${ordinalUnits.join('|')}|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|(?:twenty|thirty)-(?:${ordinalUnits.join('|')}))$`,
  'i',
);
const dateStart = new RegExp(`^(?:\\p{Nd}{1,2}(?:st|nd|rd|th|er|\\.)?|(?:${months})\\.?)[,.]?$`, 'iu');
const dateMember = new RegExp(`^${leading}(?:\\p{Nd}{1,2}(?:st|nd|rd|th|er|\\.)?|\\p{Nd}{4}|(?:${months})\\.?|de|(?:${spokenDateWords})|(?:twenty|thirty)-\\p{L}+|geboren)[,.]?$`, 'iu');
const hyphenatedOrdinals = ['twenty', 'thirty'].flatMap((ten) => ordinalUnits.map((unit) => `${ten}-${unit}`));
// "geboren" after a date ("ich bin am 23.01.1999 geboren"): the date is a birth date only once it comes.
const mayBeDateWord = prefixTest([...longestForms(months), ...spokenDateWords.split('|'), 'de', 'geboren', ...hyphenatedOrdinals]);
const mayBeOrdinal = prefixTest([...spokenDateWords.split('|').filter((word) => ordinalWord.test(word)), ...hyphenatedOrdinals]);
const dateRun = wordRun({
  maxWords: 10,
  begins(word, next) {
    const at = afterOpener(word);
    const core = at === 0 ? word : word.slice(at);
    if (dateStart.test(core) || ordinalWord.test(withoutTrailing(core))) return at;
    // "the" only before an ordinal ("the fourteenth of february …"), not before a word yet to come.
    return /^the$/i.test(core) && next !== '' && (ordinalWord.test(withoutTrailing(next)) || mayBeOrdinal(next.toLowerCase())) ? at : -1;
  },
  member: (word) => dateMember.test(word),
  mayBecome: (partial) => /^\p{Nd}/u.test(partial) || dateMember.test(partial) || mayBeDateWord(withoutTrailing(partial).toLowerCase()),
});

// Numbers read out digit by digit (phones, cards, SSNs): "oh seven seven double oh nine …".
const digitWord = new RegExp(`^(?:${digitWords}|${repeat}|plus),?$`, 'iu');
const mayBeDigitWord = prefixTest([...digitWords.split('|'), ...repeat.split('|'), 'plus']);
const spokenDigitsRun = wordRun({
  maxWords: 24,
  begins: wholeWord((word) => digitWord.test(word)),
  member: (word) => digitWord.test(word),
  mayBecome: (partial) => digitWord.test(partial) || mayBeDigitWord(partial.toLowerCase()),
});

// Names (when answers are scanned for them): the capitalised (or CJK) words at the end, the
// particles between them ("Ana de la Cruz") and a title before them, also in lower case ("il signor
// Lombardi"); lower-case names after a lower-case title or a name field ("mrs siobhan o'leary",
// "Full name: dimitrios papadopoulos"). Whether capitalised words are a name depends on the word
// after them ("Street", "AG", "<address>"), so a run is held until that word is whole.
const nameParticles = 'van|von|de|der|den|da|di|del|la|le|du|dos|bin|al|ibn|ten|ter';
// The lower-case titles and kin words of person-name.ts's titleCue and lowerTitleCue.
const lowerTitles =
  'mr|mrs|ms|miss|dr|herr|herrn|frau|mevrouw|signor|signora|signorina|dottor|dottore|dottoressa|señor|señora|señorita|senhor|senhora|doña|don|pan|pani|aunty|auntie|aunt|uncle|granny|grandma|grandpa|nan|nana|nanna|cousin';
const lowerTitle = new RegExp(`^(?:${lowerTitles})\\.?$`, 'u');
// The joints of a list of names (person-name-reading.ts's listJoint): "Hi Kofi and " may go on "Abena,".
const nameJoints = 'and|&|und|y|et|e|en|baby|little|my|our';
const nameMember = new RegExp(`^(?:${leading}[\\p{Lu}\\p{Lo}][\\p{L}\\p{M}'’.-]*${trailing}|(?:${nameParticles})|(?:${lowerTitles})\\.?|(?:${nameJoints})|[—–-])$`, 'u');
const personNameRun = wordRun({
  maxWords: 5,
  begins(word) {
    const at = afterOpener(word);
    const core = word.slice(at);
    return /^[\p{Lu}\p{Lo}]/u.test(core) || lowerTitle.test(core) ? at : -1;
  },
  member: (word) => nameMember.test(word),
  mayBecome: () => true,
});
const nameField = /^(?:[\p{L}_]*name|patient|customer|client|guest|tenant|passenger|recipient|from|to|cc|attn)["']?:$/iu;
const lowerCaseNameRun = wordRun({
  maxWords: 4,
  begins: wholeWord((word) => lowerTitle.test(word) || nameField.test(word)),
  member: (word) => /^\p{Ll}[\p{Ll}'’-]*,?$/u.test(word),
  mayBecome: () => true,
});

/**
 * The runs each built-in entity's matches can span, or that the word after may still undo
 * (stream-open-values.ts); an entity whose matches are one word (or a number run, stream-hold-back.ts) needs none.
 */
const runsByEntity: Readonly<Record<string, readonly OpenTailFinder[]>> = {
  street_address: [streetAddressRun, lowerCaseStreetRun],
  email: [spokenEmailRun, wrappedEmailRun],
  date_of_birth: [dateRun],
  phone: [spokenDigitsRun],
  ssn: [spokenDigitsRun],
  credit_card: [spokenDigitsRun],
  person_name: [personNameRun, lowerCaseNameRun],
  aws_access_key: [splitAwsKeyRun],
  iban: [ibanGroupsRun],
  generic_secret: [passwordNounRun],
};

const finderCache = new WeakMap<readonly Detector[], readonly OpenTailFinder[]>();

/** The open-tail finders for a scanner's detectors (once per scanner). */
export function openTailFinders(detectors: readonly Detector[]): readonly OpenTailFinder[] {
  let finders = finderCache.get(detectors);
  if (finders === undefined) {
    finders = [...new Set(detectors.flatMap((detector) => runsByEntity[detector.entity] ?? []))];
    finderCache.set(detectors, finders);
  }
  return finders;
}
