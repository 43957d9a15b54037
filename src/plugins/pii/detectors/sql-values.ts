/**
 * SQL INSERT statements with a column list: the values under each named column
 * ("INSERT INTO clients (nom, courriel, tel) VALUES ('Gaëlle Le Goff', …, '+33 6 39 98 17 64')"),
 * read like the cells of a CSV column (table-columns.ts).
 */

export interface SqlCell {
  /** Column name, lower case, quotes and brackets left out. */
  column: string;
  /** Another column of the statement names contact or identity data (email, phone, dob, iban…): the rows are people. */
  aboutPeople: boolean;
  start: number;
  end: number;
}

const insertHead = /\binsert[ \t\r\n]+into[ \t\r\n]+[\p{L}\p{N}_."`\[\]]{1,128}[ \t\r\n]*\(([^()]{1,800})\)[ \t\r\n]*values[ \t\r\n]*/giu;
const space = /[ \t\r\n]/;
const personalColumn = /mail|courriel|correo|phone|tel|mobile|m[óo]vil|handy|dob|birth|geburt|nacimiento|naissance|nascita|iban|address|adres|direcci[óo]n|indirizzo|ssn|passport|dni|nif|bsn|pesel|kana|first|last|surname|apellido|cognome|nachname/i;

/** The value cells of every `INSERT INTO t (columns) VALUES (…), (…)` in `text`, in text order. */
function readSqlCells(text: string): SqlCell[] {
  const cells: SqlCell[] = [];
  insertHead.lastIndex = 0;
  for (let head = insertHead.exec(text); head !== null; head = insertHead.exec(text)) {
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
  }
  return cells;
}

// Several detectors ask about the same text one after another: keep the last text's cells.
let lastText: string | undefined;
let lastCells: SqlCell[] = [];

/** The cells of the SQL INSERT statements in `text` (none when it holds no "insert"). */
export function sqlCells(text: string): SqlCell[] {
  if (text !== lastText) {
    lastText = text;
    lastCells = /insert/i.test(text) ? readSqlCells(text) : [];
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
