import { visitNamedColumns } from './table-columns.ts';
import { regexDetector, type Detection, type Detector } from './detector.ts';
import { wholeTextHas } from './whole-text.ts';

// "passport no.", "Reisepassnummer", "numéro de passeport", "número de pasaporte", "passaporto", "paspoort"…
// The plural names a list of them too ("our passports: mine is …", "nuestros pasaportes: el mío es …").
const cue = `(?:passports?|pasaportes?|passeports?|reisep(?:ass|ässe)|passnummer|pass-nr\\.?|passaport[oi]|paspoort(?:en)?|passaportes?|paszport(?:u|y)?)(?:[ \\t_-]*(?:number|no\\.?|nr\\.?|num(?:ber|éro|ero)?|n[º°o]\\.?|#|id))?(?:nummer)?`;
// Whose it is ("Reisepassnummer von Marlene Zeller lautet …"), then "is", ":", a comma, "(old) number"
// ("the wrong passport number, 883919083", "her passport, number 527460524", "mój paszport to …").
const owner = `(?:[ \\t]+(?:von|of|for|de|di|du|van|da|do)(?:[ \\t]+\\p{Lu}[\\p{L}'’-]+){1,3})?`;
/**
 * Whose number comes first under a heading for several: "passports: mine is …", "my wife's: …",
 * "el mío es …", "le mien : …", "meiner ist …" (guard8 audit, F12).
 */
const firstOwner = `(?:mine|ours|his|hers|theirs|yours|(?:my|our|his|her|their)[ \\t]+[\\p{L}-]+['’]s|(?:el|la)[ \\t]+m[ií][oa]|le[ \\t]+mien|la[ \\t]+mienne|il[ \\t]+mio|meiner|meins|o[ \\t]+meu|de[ \\t]+mijne)`;
// The value may stand in brackets after the cue: "my passport (936001644)".
const joiner = `${owner}(?:["']?[ \\t]*(?:is|was|es|est|ist|lautet|è|é|to|:|=|#|-|,|(?:old|new|former|current)[ \\t]+(?:number|no\\.?)|number|no\\.|nummer|numero|número|numer|—|–|${firstOwner})){0,3}[ \\t]*["'(]?`;
/**
 * Another person's number right after one: "my passport (C01X00T47) and my wife's (C4J8K2L90)",
 * "…, her husband's: 913552107", "… and mine is YA4412874". Someone's (a possessive, or
 * his/hers/theirs/mine/ours/yours), then the number in brackets, after a colon or after "is".
 */
const nextOwner = /^\)?[ \t]*,?[ \t]*(?:and|&|or|plus|as well as)?[ \t]+(?:[\p{L}-]+[ \t]+){0,2}?(?:[\p{L}-]+['’]s|[\p{L}-]+s['’]|his|hers|theirs|mine|ours|yours)[ \t]*(?:\([ \t]*|:[ \t]*|is[ \t]+)([A-Z0-9]{6,9})(?![\p{L}\p{N}])/u;
/** The same in the languages that name the owner after "the one of": "y el de mi marido (…)", "et celui de ma femme : …", "e quello di mia moglie è …". */
const nextOwnerOfOne = /^\)?[ \t]*,?[ \t]*(?:y|e|et|und|en|o|ou|and)?[ \t]+(?:el|la|der|die|das|celui|celle|quello|quella|o|a)[ \t]+(?:de|di|do|da|del|du|van|von)[ \t]+(?:[\p{L}-]+[ \t]+)?[\p{L}-]+[ \t]*(?:\([ \t]*|:[ \t]*|(?:es|est|ist|è|é|is)[ \t]+)([A-Z0-9]{6,9})(?![\p{L}\p{N}])/u;

/** Passports named anywhere: the cue, a list's heading or a column. */
const passportWord = /pas|reisep/i;
const passportColumn = /^(?:passport|pasaporte|passeport|reisepass|paspoort|passaporto|passaporte)(?:[ _-]?(?:no|nr|number|num|id))?$/i;

/**
 * Letters and digits of a passport number: upper case, at least three digits (two in a number of
 * eight or nine characters: Dutch passports are mostly letters, "BNREDC1L2"), not one repeated character.
 */
export function passportShape(value: string): boolean {
  const digits = value.match(/\d/g)?.length ?? 0;
  return value === value.toUpperCase() && (digits >= 3 || (digits >= 2 && value.length >= 8)) && !/^(.)\1+$/.test(value);
}

/**
 * Passport numbers (label PASSPORT): 6-9 letters and digits right after a passport cue word in
 * English, German, French, Spanish, Italian, Dutch or Portuguese (also as a record key,
 * `"passport_no": "…"`), and list items ("- Name: N6167021") under a line that names passports. No check digit is printed in the
 * number itself (the MRZ has one), so the cue is what makes it a passport number.
 */
export function passportNumberDetector(): Detector {
  const cued = regexDetector({
    entity: 'passport_number',
    label: 'PASSPORT',
    specificity: 48,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])${cue}${joiner}([A-Z0-9]{6,9})(?![\\p{L}\\p{N}])`, 'giu'),
    mayContain: (text) => /pas|reisep/i.test(text),
    validate: passportShape,
  });
  // "Passport copies:\n- Rajiv Menon: N6167021": list items under a line that names passports.
  const listed = regexDetector({
    entity: 'passport_number',
    label: 'PASSPORT',
    specificity: 48,
    pattern: /^[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+[^:\n]{1,60}:[ \t]*([A-Z0-9]{6,9})[ \t]*$/gmu,
    validate(value, text, start) {
      const lineStart = text.lastIndexOf('\n', start) + 1;
      return passportShape(value) && /pass(?:port|eport|aporte?|aporto)|reisepass|paspoort/i.test(text.slice(Math.max(0, lineStart - 300), lineStart));
    },
  });
  return {
    entity: 'passport_number',
    label: 'PASSPORT',
    specificity: 48,
    find(text: string, found: Detection[], from = 0) {
      if (!wholeTextHas(text, passportWord)) return;
      const before = found.length;
      cued.find(text, found, from);
      for (let index = before; index < found.length; index++) {
        const after = text.slice(found[index].end, found[index].end + 80);
        const next = nextOwner.exec(after) ?? nextOwnerOfOne.exec(after);
        if (next === null || !passportShape(next[1])) continue;
        const start = found[index].end + next[0].length - next[1].length;
        found.push({ entity: 'passport_number', label: 'PASSPORT', start, end: start + next[1].length, specificity: 48 });
      }
      listed.find(text, found, from);
      // A CSV column of passport numbers ("Guest,Room,Passport").
      visitNamedColumns(
        text,
        passportColumn,
        (start, end) => {
          if (/^[A-Z0-9]{6,9}$/.test(text.slice(start, end)) && passportShape(text.slice(start, end))) found.push({ entity: 'passport_number', label: 'PASSPORT', start, end, specificity: 48 });
        },
        from,
      );
    },
  };
}
