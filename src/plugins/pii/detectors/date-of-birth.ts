import type { Detection, Detector } from './detector.ts';
import { regexDetector } from './detector.ts';
import { tableHeaderOf, visitColumnCells } from './table-columns.ts';
import { sqlCells } from './sql-values.ts';
import { wholeTextHas } from './whole-text.ts';

/** Month names (EN, ES, FR, DE, IT, PT, NL, PL genitive) as a regex alternation; also read by the stream hold-back. */
export const months = [
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?',
  // es, fr, de, it, pt, nl (the English spellings above cover the rest)
  'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre',
  'janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre',
  'januar|jänner|februar|märz|juni|juli|oktober|dezember',
  'gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre',
  'janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro',
  'januari|februari|maart|mei|augustus',
  // pl (genitive, as dates are written)
  'stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia',
].join('|');
const numericDate = '\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})';
const date = `(?:${numericDate}|\\d{1,2}[-/ ](?:${months})[-/ ]\\d{4}|\\d{1,2}(?:st|nd|rd|th|er|\\.)?\\s+(?:of\\s+|de\\s+)?(?:${months})\\.?,?\\s+(?:de\\s+)?\\d{4}|(?:${months})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`;
/** Birth cues in prose and as record keys (`dob`, `birthDate`, `date_of_birth`), in the plugin's languages plus PL, SV, TR. */
const cues = [
  'date[\\s_]*of[\\s_]*birth|dateofbirth|birth[\\s_]*date|birthdate|birthday|d\\.?o\\.?b\\.?|born(?:\\s+on)?',
  'geburtsdatum|geb\\.|geboren(?:\\s+am)?|fecha[\\s_]+(?:de[\\s_]+)?nacimiento|nacimiento|nac(?:[ií](?:do|da)?|ió|io)(?:\\s+en\\s+\\p{Lu}\\p{L}+)?\\s+el|date[\\s_]+(?:de[\\s_]+)?naissance|n[ée]e?(?:\\s+à\\s+\\p{Lu}\\p{L}+)?\\s+le',
  'data[\\s_]+(?:di[\\s_]+)?nascita|(?:nat[oa]|nacqu[ei])(?:\\s+a\\s+\\p{Lu}\\p{L}+)?\\s+il|data[\\s_]+(?:de[\\s_]+)?nascimento|(?:nascid[oa]|nasci|nasceu)(?:\\s+(?:em|no|na)\\s+\\p{Lu}\\p{L}+)?\\s+(?:em|a)|geboortedatum|geboren\\s+op',
  'data[\\s_]+urodzenia|urodzon[ya](?:\\s+dnia)?|urodził(?:[ao]|em|am)?\\s+się(?:\\s+dnia)?|födelsedatum|född(?:\\s+den)?|doğum\\s+tarihi|seinengappi|生年月日|b-?day',
].join('|');
// What may stand between the cue and the date: "is", "was", "as", ":", "=", a comma, a JSON quote, an XML '>'.
const joiner = `["']?(?:\\s*(?:is|ist|es|est|è|é|was|as|:|：|-|=|>|,)){0,2}\\s*["']?`;

/**
 * German and Dutch put the participle last: "Ich bin am 23.01.1999 geboren", "Sie wurde am 4. Mai
 * 1980 in Graz geboren", "ik ben op 12-03-1985 geboren": a date between "am"/"op" and "geboren" (the
 * value ends the match, so what follows it is a look-ahead).
 */
const participleLast = `(?<![\\p{L}])(?:am|op)\\s+(${date})(?=(?:\\s+(?:in|im|te)\\s+\\p{Lu}[\\p{L}-]+)?\\s+geboren(?![\\p{L}]))`;

/** A plausible birth date: a real month/day and a year from 1900 to this year. */
function plausible(value: string): boolean {
  const year = value.match(/\d{4}/)?.[0];
  if (year !== undefined && (Number(year) < 1900 || Number(year) > new Date().getFullYear())) return false;
  const numbers = value.match(/\d+/g)?.map(Number) ?? [];
  if (/^\d{4}[-/.]/.test(value)) return numbers[1] >= 1 && numbers[1] <= 12 && numbers[2] >= 1 && numbers[2] <= 31;
  if (/^\d{1,2}[/.-]\d/.test(value)) return numbers[0] >= 1 && numbers[0] <= 31 && numbers[1] >= 1 && numbers[1] <= 31 && (numbers[0] <= 12 || numbers[1] <= 12);
  return numbers.some((number) => number >= 1 && number <= 31);
}

const cued = regexDetector({
  entity: 'date_of_birth',
  label: 'DATE_OF_BIRTH',
  specificity: 45,
  pattern: new RegExp(`(?<![\\p{L}])(?:${cues})${joiner}(${date})(?![\\p{L}\\p{N}])`, 'giu'),
  // The cue is part of the match: a stream's scan from just before new text still sees one that stands before it.
  lookBack: 64,
  // One cheap test for a fragment of every cue skips the big alternation on most texts.
  mayContain: (text) => /birth|d\.?o\.?b|born|geb|nac[ií]|naci[óo]|naiss|n[ée]e? (?:le|à)|nat[oa] (?:il|a)|nacqu|nasc|urodz|urodził|föd|doğum|seinengappi|生年月日|b-?day/i.test(text),
  validate: plausible,
});
/**
 * A date in brackets right after the cue, a few words before it: "date of birth (we have 5 July
 * 1992)", "DOB (on file: 1988-02-11)", "fecha de nacimiento (según el pasaporte 3 de mayo de 1990)"
 * (guard8 audit, F12). The bracket must close right after the date: the words are about it; an
 * example's ("(format: 1990-01-31)", "(e.g. 3 May 1990)") is no one's.
 */
const bracketed = regexDetector({
  entity: 'date_of_birth',
  label: 'DATE_OF_BIRTH',
  specificity: 45,
  pattern: new RegExp(`(?<![\\p{L}])(?:${cues})["']?[ \\t]*[(\\[](?![^)\\]\\n]{0,40}?(?<![\\p{L}])(?:format|formato|example|exemple|ejemplo|beispiel|e\\.g|eg|i\\.e|default|placeholder|such as|like|wie|como|comme)(?![\\p{L}]))[ \\t]*(?:[\\p{L}'’]+[ \\t]+){0,5}?(?:[\\p{L}'’]+[ \\t]*[:=-][ \\t]*)?(${date})(?=[ \\t]*[)\\]])`, 'giu'),
  lookBack: 96,
  mayContain: (text) => text.includes('(') || text.includes('['),
  validate: plausible,
});
const verbLast = regexDetector({
  entity: 'date_of_birth',
  label: 'DATE_OF_BIRTH',
  specificity: 45,
  pattern: new RegExp(participleLast, 'giu'),
  mayContain: (text) => /geboren/i.test(text),
  validate: plausible,
});
// A date said aloud, as a transcript writes it: "the fourteenth of february nineteen fifty two",
// "second of june eighty four", "march third two thousand and one".
const units = 'one|two|three|four|five|six|seven|eight|nine';
const tens = 'twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety';
const teens = 'ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen';
const ordinalUnits = 'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth';
const ordinalWords = `${ordinalUnits}|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth`;
const ordinal = `(?:${ordinalWords}|twenty[ -](?:${ordinalUnits})|thirty[ -]first|\\d{1,2}(?:st|nd|rd|th))`;
/** Every word of a date said aloud ("the fourteenth of february nineteen fifty two"), months aside; for the stream hold-back. */
export const spokenDateWords = `the|of|and|oh|thousand|${ordinalWords}|${units}|${tens}|${teens}`;
const twoDigits = `(?:(?:${tens})(?:[ -](?:${units}))?|${teens}|oh[ ](?:${units}))`;
const spokenYear = `(?:(?:nineteen|twenty)[ ]${twoDigits}|two thousand(?:[ ]and)?(?:[ ](?:${twoDigits}|${units}))?|${twoDigits})`;
const spokenDate = `(?:(?:the[ ]+)?${ordinal}[ ]+(?:of[ ]+)?(?:${months})|(?:${months})[ ]+(?:the[ ]+)?${ordinal}),?[ ]+${spokenYear}`;
const spoken = regexDetector({
  entity: 'date_of_birth',
  label: 'DATE_OF_BIRTH',
  specificity: 45,
  // A speaker label may stand between the cue and the answer ("date of birth caller: second of june …").
  pattern: new RegExp(`(?<![\\p{L}])(?:${cues})${joiner}(?:\\p{L}+:[ ]+(?:(?:yeah|yes|yep|sure|it['’]?s|its)[ ,]+)?)?(${spokenDate})(?![\\p{L}])`, 'giu'),
  mayContain: (text) => /birth|d\.?o\.?b|born|b-?day/i.test(text),
});
/** A date said aloud counts only in a text with no three-digit number in figures: a transcript's. */
const threeDigits = /\d\d\d/;
/** A sex (and age) with a date in brackets after a patient's name: "Okoro, Chinedu (M, 1971-01-19)". */
const sexTuple = regexDetector({
  entity: 'date_of_birth',
  label: 'DATE_OF_BIRTH',
  specificity: 45,
  pattern: new RegExp(`\\((?:M|F|X|male|female|m|w)[ \\t]*,[ \\t]*(?:\\d{1,3}[ \\t]*(?:y|yo|yrs|years)?[ \\t]*,[ \\t]*)?(${numericDate})(?=\\))`, 'gu'),
  mayContain: (text) => text.includes('('),
  validate: plausible,
});
/** A birth-date column, also with a prefix naming whose ("student_dob", "data_nascimento", 生年月日). */
const birthColumn = /^(?:\p{L}+[ _])?(?:dob|d\.o\.b\.?|date[ _]?of[ _]?birth|dateofbirth|birth[ _]?date|birthdate|birthday|born|geburtsdatum|fecha[ _](?:de[ _])?nacimiento|nacimiento|date[ _](?:de[ _])?naissance|data[ _](?:di[ _])?nascita|data[ _](?:de[ _])?nascimento|geboortedatum|data[ _]urodzenia|生年月日|seinengappi)$/iu;
const wholeDate = new RegExp(`^(?:${date})$`, 'iu');

/**
 * Dates of birth: a date right after a birth cue word or record key (EN, DE, ES, FR, IT, PT, NL,
 * PL, SV, TR), a date in a patient's "(M, 1971-01-19)", and the dates under a birth-date column
 * of a CSV-like record or an SQL INSERT.
 */
export function dateOfBirthDetector(): Detector {
  return {
    entity: 'date_of_birth',
    label: 'DATE_OF_BIRTH',
    specificity: 45,
    find(text: string, found: Detection[], from = 0) {
      if (!wholeTextHas(text, threeDigits)) spoken.find(text, found, from);
      if (!/\d/.test(from === 0 ? text : text.slice(from))) return;
      cued.find(text, found, from);
      bracketed.find(text, found, from);
      verbLast.find(text, found, from);
      sexTuple.find(text, found, from);
      for (const cell of sqlCells(text)) {
        if (cell.end <= from) continue;
        const value = text.slice(cell.start, cell.end);
        if (birthColumn.test(cell.column) && wholeDate.test(value) && plausible(value)) found.push({ entity: 'date_of_birth', label: 'DATE_OF_BIRTH', start: cell.start, end: cell.end, specificity: 45 });
      }
      const header = tableHeaderOf(text);
      if (header === undefined) return;
      const wanted = header.columns.map((column) => birthColumn.test(column));
      if (!wanted.includes(true)) return;
      visitColumnCells(
        text,
        header,
        wanted,
        (start, end) => {
          const value = text.slice(start, end);
          if (wholeDate.test(value) && plausible(value)) found.push({ entity: 'date_of_birth', label: 'DATE_OF_BIRTH', start, end, specificity: 45 });
        },
        from,
      );
    },
  };
}
