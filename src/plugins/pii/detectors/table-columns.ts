/**
 * CSV/TSV-like records: a header line (on one of the first few lines, after a file name or a
 * title) and the cells under the columns a detector cares about ("id,first,last,email,dob").
 */

import { sqlCellAt, sqlCells } from './sql-values.ts';

const separators = [',', ';', '\t', '|'] as const;
const headerCell = /^[ \t]*["']?[\p{L}_][\p{L}\p{N}_ .\/-]{0,39}["']?[ \t]*$/u;
const headerLines = 4;

export interface TableHeader {
  separator: string;
  /** Where the first record line starts. */
  bodyStart: number;
  /** Column names, trimmed and lower case. */
  columns: string[];
}

/** The first line among the first four that reads as a header of at least two plain column names. */
export function findTableHeader(text: string): TableHeader | undefined {
  let lineStart = 0;
  for (let line = 0; line < headerLines && lineStart < text.length; line++) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) return undefined;
    if (lineEnd - lineStart <= 400) {
      const header = text.slice(lineStart, lineEnd);
      const separator = separators.find((candidate) => header.includes(candidate));
      if (separator !== undefined) {
        const cells = header.split(separator);
        if (cells.length >= 2 && cells.every((cell) => headerCell.test(cell))) {
          return { separator, bodyStart: lineEnd + 1, columns: cells.map((cell) => cell.trim().replace(/^["']|["']$/g, '').toLowerCase()) };
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

/** Calls `visit` with the trimmed cells under the wanted columns, record line by record line. */
export function visitColumnCells(text: string, header: TableHeader, wanted: readonly boolean[], visit: (start: number, end: number) => void): void {
  const { separator } = header;
  for (let lineStart = header.bodyStart; lineStart < text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let cellStart = lineStart;
    for (let column = 0; cellStart <= lineEnd; column++) {
      let cellEnd = text.indexOf(separator, cellStart);
      if (cellEnd === -1 || cellEnd > lineEnd) cellEnd = lineEnd;
      if (wanted[column]) {
        const raw = text.slice(cellStart, cellEnd);
        const value = raw.trim().replace(/^["']|["']$/g, '');
        if (value.length > 0) {
          const start = cellStart + raw.indexOf(value);
          visit(start, start + value.length);
        }
      }
      cellStart = cellEnd + 1;
    }
    lineStart = lineEnd + 1;
  }
}

// Detectors ask about the same text one after another: keep the last text's header.
let lastText: string | undefined;
let lastHeader: TableHeader | undefined;

/** The name of the column (lower case) whose cell holds `position` in a CSV-like record, if any. */
export function columnAt(text: string, position: number): string | undefined {
  const sql = sqlCellAt(text, position);
  if (sql !== undefined) return sql;
  if (text !== lastText) {
    lastText = text;
    lastHeader = findTableHeader(text);
  }
  const header = lastHeader;
  if (header === undefined || position < header.bodyStart) return undefined;
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  let column = 0;
  for (let at = text.indexOf(header.separator, lineStart); at !== -1 && at < position; at = text.indexOf(header.separator, at + 1)) column++;
  return header.columns[column];
}

/** Calls `visit` with the cells under the columns whose names match `column`, in a CSV-like record or an SQL INSERT's values. */
export function visitNamedColumns(text: string, column: RegExp, visit: (start: number, end: number) => void): void {
  for (const cell of sqlCells(text)) if (column.test(cell.column)) visit(cell.start, cell.end);
  const header = findTableHeader(text);
  if (header === undefined) return;
  const wanted = header.columns.map((name) => column.test(name));
  if (wanted.includes(true)) visitColumnCells(text, header, wanted, visit);
}
