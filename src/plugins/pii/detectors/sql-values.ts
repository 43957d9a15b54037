/**
 * SQL INSERT statements with a column list: the values under each named column
 * ("INSERT INTO clients (nom, courriel, tel) VALUES ('Gaëlle Le Goff', …, '+33 6 39 98 17 64')"),
 * read like the cells of a CSV column (table-columns.ts).
 */

import { streamState, wholeTextHas } from './whole-text.ts';

export interface SqlCell {
  /** Column name, lower case, quotes and brackets left out. */
  column: string;
  /** Another column of the statement names contact or identity data (email, phone, dob, iban…): the rows are people. */
  aboutPeople: boolean;
  start: number;
  end: number;
}

const insertWord = /insert/i;
const insertHead = /\binsert[ \t\r\n]+into[ \t\r\n]+[\p{L}\p{N}_."`\[\]]{1,128}[ \t\r\n]*\(([^()]{1,800})\)[ \t\r\n]*values[ \t\r\n]*/giu;
const space = /[ \t\r\n]/;
const personalColumn = /mail|courriel|correo|phone|tel|mobile|m[óo]vil|handy|dob|birth|geburt|nacimiento|naissance|nascita|iban|address|adres|direcci[óo]n|indirizzo|ssn|passport|dni|nif|bsn|pesel|kana|first|last|surname|apellido|cognome|nachname/i;

/** One INSERT statement read: where its head starts, its value cells, and whether it ended before the text did. */
interface SqlStatement {
  head: number;
  cells: SqlCell[];
  /** Something that is no tuple follows it: more text cannot change it. */
  closed: boolean;
}

/** The longest statement head, "INSERT INTO t (…) VALUES" with its column list. */
const headReach = 1024;

/** Every `INSERT INTO t (columns) VALUES (…), (…)` in `text` whose head starts at `startAt` or later, in text order. */
function readStatements(text: string, startAt: number): SqlStatement[] {
  const statements: SqlStatement[] = [];
  insertHead.lastIndex = startAt;
  for (let head = insertHead.exec(text); head !== null; head = insertHead.exec(text)) {
    const cells: SqlCell[] = [];
    const columns = head[1].split(',').map((column) => column.trim().replace(/^["'`\[]|["'`\]]$/g, '').toLowerCase());
    const aboutPeople = columns.some((column) => personalColumn.test(column));
    let at = head.index + head[0].length;
    // Tuples: "(v, v, …)" separated by commas; a value is a quoted string ('' escapes a quote) or a bare token.
    while (text[at] === '(') {
      at++;
      for (let column = 0; at < text.length; column++) {
        while (space.test(text[at] ?? '')) at++;
        if (text[at] === "'") {
          const start = at + 1;
          at = start;
          while (at < text.length && !(text[at] === "'" && text[at + 1] !== "'")) at += text[at] === "'" ? 2 : 1;
          if (column < columns.length && at > start) cells.push({ column: columns[column], aboutPeople, start, end: at });
          at++;
        } else {
          while (at < text.length && text[at] !== ',' && text[at] !== ')' && text[at] !== '\n') at++;
        }
        while (space.test(text[at] ?? '')) at++;
        if (text[at] !== ',') break;
        at++;
      }
      if (text[at] !== ')') break;
      at++;
      while (space.test(text[at] ?? '')) at++;
      if (text[at] !== ',') break;
      at++;
      while (space.test(text[at] ?? '')) at++;
    }
    insertHead.lastIndex = Math.max(insertHead.lastIndex, at);
    statements.push({ head: head.index, cells, closed: at < text.length });
  }
  return statements;
}

// Several detectors ask about the same text one after another: keep the last text's cells.
let lastText: string | undefined;
let lastCells: SqlCell[] = [];
/** A stream's statements read to their end, and where to read on from (whole-text.ts). */
const streamRead = {};

/** The cells of the SQL INSERT statements in `text` (none when it holds no "insert"). */
export function sqlCells(text: string): SqlCell[] {
  if (text !== lastText) {
    lastText = text;
    if (!wholeTextHas(text, insertWord)) lastCells = [];
    else {
      const state = streamState(streamRead, () => ({ resumeAt: 0, cells: [] as SqlCell[] }));
      const statements = readStatements(text, state?.resumeAt ?? 0);
      if (state === undefined) lastCells = statements.flatMap((statement) => statement.cells);
      else {
        // A stream keeps the statements more text cannot change (closed, with a head a later read
        // would not find again) and reads on from the first one it may still change.
        const reach = Math.max(state.resumeAt, text.length - headReach);
        let open = statements.findIndex((statement) => !statement.closed || statement.head >= reach);
        if (open === -1) open = statements.length;
        for (const statement of statements.slice(0, open)) state.cells.push(...statement.cells);
        state.resumeAt = open < statements.length ? statements[open].head : reach;
        lastCells = [...state.cells, ...statements.slice(open).flatMap((statement) => statement.cells)];
      }
    }
  }
  return lastCells;
}

/** The column of the SQL value cell holding `position`, if any (the cells are in text order: a binary search). */
export function sqlCellAt(text: string, position: number): string | undefined {
  const cells = sqlCells(text);
  let low = 0;
  let high = cells.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const cell = cells[middle];
    if (position < cell.start) high = middle - 1;
    else if (position >= cell.end) low = middle + 1;
    else return cell.column;
  }
  return undefined;
}
