import { indexAfter } from './detector.ts';
import { ambiguousGivenNames, givenNames } from './given-names.ts';
import { honorifics, nonPersonFollowers, notNameWords } from './name-words.ts';
import { capitalToken, listJoint, lowerNameToken, matchAt, nextWord, readName, upperToken, type NameSpan } from './person-name-reading.ts';
import { tableHeaderOf, visitColumnCells } from './table-columns.ts';
import { sqlCells } from './sql-values.ts';

/** Names in the shapes of records: tables, greetings, lists, signatures, fields, surname-first pairs (person-name.ts). */

/** Four or more words, three quarters of them capitalised: a heading or a title. */
export function titleCaseLine(line: string): boolean {
  // A line with a number or an address on it is a record ("Main entrance — Patrick Doyle 07700 900312"), not a heading.
  if (line.length > 300 || /[\d@]/.test(line)) return false;
  const wordsOnLine = line.match(/\p{L}+/gu) ?? [];
  if (wordsOnLine.length < 4) return false;
  const capitalised = wordsOnLine.filter((word) => /^\p{Lu}/u.test(word)).length;
  return capitalised / wordsOnLine.length >= 0.75;
}

const nameColumn = /^(?:(?:full|first|last|given|family|middle|sur|customer|contact|patient|employee|client|display|guest|student|guardian|driver|passenger|traveller|payee|holder)?[ _]?name|first|last|given|surname|forenames?|nombre|apellidos?|nom|prénom|naam|voornaam|achternaam|nome|cognome|vorname|nachname|imi[eę]|nazwisko|imi[eę] i nazwisko|guest|student|guardian|driver|passenger|traveller|payee|holder|氏名|名前|shimei|furigana|kana)$/iu;
const bareNameColumn = /^(?:name|nom|nombre|naam|nome|名前)$/u;
/** A name in a CJK script: a surname and a given name of one to five characters each ("松本 翼", "カトウ サクラ"). */
export const cjkName = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}ー]{1,5}(?:[ \u3000][\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}ー]{1,5})?$/u;
const cellName = /^\p{Lu}[\p{L}'’ .-]{0,60}$/u;

/** CSV-like records: the cells under a name column of a header on one of the first lines ("id,first_name,last_name"); an SQL INSERT's values under a name column (those that end after `from`). */
export function tableNames(text: string, push: (start: number, end: number) => void, from = 0): void {
  for (const cell of sqlCells(text)) {
    if (cell.end <= from) continue;
    const value = text.slice(cell.start, cell.end);
    // A bare "name" column holds products as often as people: it counts beside an email, phone or birth-date column.
    if (nameColumn.test(cell.column) && (cell.aboutPeople || !bareNameColumn.test(cell.column)) && (cellName.test(value) || cjkName.test(value))) push(cell.start, cell.end);
  }
  const header = tableHeaderOf(text);
  if (header === undefined) return;
  const wanted = header.columns.map((column) => nameColumn.test(column));
  if (!wanted.includes(true)) return;
  visitColumnCells(
    text,
    header,
    wanted,
    (start, end) => {
      const cell = text.slice(start, end);
      if (cellName.test(cell) || cjkName.test(cell)) push(start, end);
    },
    from,
  );
}

/** Greetings, one name or a list ("Hi Kofi and Abena,"): the names must end the salutation. */
export function greetingNames(text: string, at: number, push: (start: number, end: number) => void): void {
  const spans: NameSpan[] = [];
  for (let position = at; spans.length < 4; ) {
    const name = readName(text, position, { initials: true });
    if (!name) break;
    spans.push(name);
    const joint = matchAt(listJoint, text, name.end);
    if (joint === undefined) break;
    position = name.end + joint.length;
  }
  // Drop trailing items that do not end the salutation ("Hi Olivia, attached is…" keeps Olivia).
  while (spans.length > 0 && !/^[ \t]*(?:[,:;!\n—–]|$)/u.test(text.slice(spans[spans.length - 1].end, spans[spans.length - 1].end + 3))) spans.pop();
  for (const span of spans) push(span.start, span.end);
}

/** Read a surname-first pair at `at`: "Okeke, Ifeoma", "SAMUELS, LEROY" (the given name must be known). */
export function surnameFirst(text: string, at: number): number | undefined {
  const surname = matchAt(capitalToken, text, at) ?? matchAt(upperToken, text, at);
  if (surname === undefined || notNameWords.has(surname.toLowerCase()) || honorifics.has(surname.toLowerCase())) return undefined;
  const comma = at + surname.length;
  if (text[comma] !== ',' || text[comma + 1] !== ' ') return undefined;
  const given = matchAt(capitalToken, text, comma + 2) ?? matchAt(upperToken, text, comma + 2);
  if (given === undefined || !givenNames().has(given.toLowerCase()) || notNameWords.has(given.toLowerCase())) return undefined;
  // Both in the same case style: "Hollis, Wade" or "SAMUELS, LEROY", not "PARIS, Texas".
  if ((surname === surname.toUpperCase()) !== (given === given.toUpperCase())) return undefined;
  const end = comma + 2 + given.length;
  // The pair ends its field: a line end, a comma, a bracket, a dash or a run of spaces.
  return /^(?:[ \t]*(?:$|\n|,|\(|[—–-]|;)|[ \t]{2})/u.test(text.slice(end, end + 3)) ? end : undefined;
}

const surnameFirstPlace = /(?:^|\n|[:—–][ \t]*)(?=\p{Lu})/gu;
/** Surname-first names at a line start, after a field colon or a dash ("Pt: Hamilton, Rose", "checklist — Okeke, Ifeoma"). */
export function surnameFirstNames(text: string, push: (start: number, end: number) => void, from = 0): void {
  if (!text.includes(', ', from)) return;
  surnameFirstPlace.lastIndex = from;
  for (let match = surnameFirstPlace.exec(text); match !== null; match = surnameFirstPlace.exec(text)) {
    const at = match.index + match[0].length;
    if (match[0].length === 0) surnameFirstPlace.lastIndex = indexAfter(text, match.index);
    // "Hamilton, Rose" after "Pt: " needs the colon to end a field word, not a time ("09:02").
    if (/\d$/u.test(text.slice(Math.max(0, match.index - 1), match.index)) && match[0].startsWith(':')) continue;
    const end = surnameFirst(text, at);
    if (end !== undefined) push(at, end);
  }
}

const listItem = /^[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]+(?=\p{Lu})/gmu;
/** List items that start with a name and go on to a number or an address ("1. Marisol Vega — (213) 555-0174", "- Rajiv Menon: N6167021"). */
export function listLineNames(text: string, push: (start: number, end: number) => void, from = 0): void {
  if (!/^[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]/mu.test(from === 0 ? text : text.slice(text.lastIndexOf('\n', from - 1) + 1))) return;
  listItem.lastIndex = from;
  for (let match = listItem.exec(text); match !== null; match = listItem.exec(text)) {
    const at = match.index + match[0].length;
    const name = readName(text, at, { initials: true });
    if (!name || name.words.length < 2 || name.words.length > 3) continue;
    let lineEnd = text.indexOf('\n', name.end);
    if (lineEnd === -1) lineEnd = text.length;
    const rest = text.slice(name.end, lineEnd);
    if (/^[ \t]*(?:[—–:-]|[ \t]|\()/u.test(rest) && /[\d@]/.test(rest) && !nonPersonFollowers.has(nextWord(text, name.end))) push(name.start, name.end);
  }
}

/** A known given name (and a surname) alone on one of the last lines: a signature ("Omar", "Hannah (HR)", "Gloria — Front Desk"). */
export function signatureLines(text: string, push: (start: number, end: number) => void): void {
  const names = givenNames();
  let end = text.length;
  for (let line = 0; line < 3 && end > 0; line++) {
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    const start = text.lastIndexOf('\n', end - 1) + 1;
    if (start === 0) return;
    const name = readName(text, start, { initials: true });
    if (name && name.words.length <= 2 && names.has(name.words[0]) && !ambiguousGivenNames.has(name.words[0]) && /^(?:[ \t]*(?:\([^)\n]{1,30}\)|[—–-][^\n]{1,40}|,[^\n]{1,40}))?[ \t]*$/u.test(text.slice(name.end, end))) {
      push(name.start, name.end);
      return;
    }
    end = start;
  }
}

/** The names after a form field or record key, a list of them included ("cc: Maria Gonzalez, Tom Fischer"). */
export function fieldNames(text: string, at: number, push: (start: number, end: number) => void, nameField = false): void {
  const cjk = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}ー]{1,5}(?:[ \u3000][\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}ー]{1,5})?(?=$|[\s"',;])/u.exec(text.slice(at, at + 12));
  if (cjk !== null) return push(at, at + cjk[0].length);
  const pair = surnameFirst(text, at);
  if (pair !== undefined) return push(at, pair);
  const lower = nameField ? lowerCaseName(text, at) : undefined;
  if (lower !== undefined) return push(at, lower);
  for (let position = at; ; ) {
    const name = readName(text, position, { caps: true, initials: true });
    if (!name || nonPersonFollowers.has(nextWord(text, name.end))) return;
    push(name.start, name.end);
    const joint = matchAt(listJoint, text, name.end);
    if (joint === undefined) return;
    position = name.end + joint.length;
    // The next list item must look like a name, not the next field ("; IBAN:", ", DOB 04/22").
    const next = readName(text, position);
    if (!next || /^[ \t]*[:=]/u.test(text.slice(next.end, next.end + 2))) return;
  }
}

/** A lower-case name filling its field ("Full name: dimitrios papadopoulos"): up to four words, then the line or value ends. */
function lowerCaseName(text: string, at: number): number | undefined {
  let end = at;
  for (let words = 0; words < 4; words++) {
    const word = matchAt(lowerNameToken, text, end);
    if (word === undefined || notNameWords.has(word)) return undefined;
    end += word.length;
    if (/^[ \t]*(?:$|\n|,|["'])/u.test(text.slice(end, end + 2))) return words === 0 && !givenNames().has(word) ? undefined : end;
    if (text[end] !== ' ') return undefined;
    end++;
  }
  return undefined;
}
