/**
 * CSV/TSV-like records: a header line (on one of the first few lines, after a file name or a
 * title) and the cells under the columns a detector cares about ("id,first,last,email,dob").
 */

import { sqlCellAt, sqlCells } from './sql-values.ts';
import { streamState } from './whole-text.ts';

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

/** Where each cell of the line [lineStart, lineEnd) starts and ends. */
function lineCells(text: string, lineStart: number, lineEnd: number, separator: string): Array<[number, number]> {
  const cells: Array<[number, number]> = [];
  for (let cellStart = lineStart; cellStart <= lineEnd; ) {
    let cellEnd = text.indexOf(separator, cellStart);
    if (cellEnd === -1 || cellEnd > lineEnd) cellEnd = lineEnd;
    cells.push([cellStart, cellEnd]);
    cellStart = cellEnd + 1;
  }
  return cells;
}

/**
 * Calls `visit` with the trimmed cells under the wanted columns, record line by record line (from
 * the line holding `from`). A line with more cells than the header has columns has a separator
 * inside a cell ("1,Ana Ruiz,July 19, 1950,943 476 5919", or a quoted "Ruiz, Ana"): which one is
 * unknown, so a column's value may be its cell counted from the left, from the right, or the cells
 * between them joined; each is visited, and the detector's own check decides.
 */
export function visitColumnCells(text: string, header: TableHeader, wanted: readonly boolean[], visit: (start: number, end: number) => void, from = 0): void {
  const visitTrimmed = (cellStart: number, cellEnd: number): void => {
    const raw = text.slice(cellStart, cellEnd);
    const value = raw.trim().replace(/^["']|["']$/g, '');
    if (value.length === 0) return;
    const start = cellStart + raw.indexOf(value);
    visit(start, start + value.length);
  };
  for (let lineStart = Math.max(header.bodyStart, text.lastIndexOf('\n', from - 1) + 1); lineStart < text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const cells = lineCells(text, lineStart, lineEnd, header.separator);
    const extra = cells.length - header.columns.length;
    for (let column = 0; column < cells.length && column < wanted.length; column++) {
      if (!wanted[column]) continue;
      visitTrimmed(cells[column][0], cells[column][1]);
      if (extra <= 0) continue;
      visitTrimmed(cells[column + extra][0], cells[column + extra][1]);
      visitTrimmed(cells[column][0], cells[column + extra][1]);
    }
    lineStart = lineEnd + 1;
  }
}

// Detectors ask about the same text one after another: keep the last text's header.
let lastText: string | undefined;
let lastHeader: TableHeader | undefined;

/** A stream's header once its first lines are whole (whole-text.ts). */
const streamHeader = {};

/** findTableHeader, remembered for the last text and, in a stream, once its first lines are whole. */
export function tableHeaderOf(text: string): TableHeader | undefined {
  if (text !== lastText) {
    lastText = text;
    const state = streamState(streamHeader, () => ({ final: false, header: undefined as TableHeader | undefined }));
    if (state?.final) lastHeader = state.header;
    else {
      lastHeader = findTableHeader(text);
      // Found, or the lines it may stand on are all whole: more text cannot change it.
      if (state !== undefined && (lastHeader !== undefined || firstLinesWhole(text))) (state.final = true), (state.header = lastHeader);
    }
  }
  return lastHeader;
}

/** The first `headerLines` lines of the text have all ended. */
function firstLinesWhole(text: string): boolean {
  let at = -1;
  for (let line = 0; line < headerLines; line++) if ((at = text.indexOf('\n', at + 1)) === -1) return false;
  return true;
}

/**
 * True when the value at [start, end) stands in a cell of comma-separated values: a comma on
 * both sides ("8812,4111111111111111,42.00") or a comma-separated header above it. A comma
 * between digits is otherwise as likely a decimal comma ("12,5", "0,4532…").
 */
export function inCommaSeparatedCell(text: string, start: number, end: number): boolean {
  if (text[start - 1] === ',' && text[end] === ',') return true;
  const header = tableHeaderOf(text);
  return header !== undefined && header.separator === ',' && start >= header.bodyStart;
}

/** The names of the text's CSV header and SQL INSERT columns (lower case), for a detector's cheap first test. */
export function columnNames(text: string): string[] {
  const names = new Set(tableHeaderOf(text)?.columns);
  for (const cell of sqlCells(text)) names.add(cell.column);
  return [...names];
}

/**
 * The names of the columns (lower case) whose cell holds `position` in a CSV-like record or an SQL
 * INSERT: one, or on a line with more cells than columns the one counted from the left and the one
 * counted from the right (visitColumnCells).
 */
export function columnsAt(text: string, position: number): string[] {
  const sql = sqlCellAt(text, position);
  if (sql !== undefined) return [sql];
  const header = tableHeaderOf(text);
  if (header === undefined || position < header.bodyStart) return [];
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  let lineEnd = text.indexOf('\n', position);
  if (lineEnd === -1) lineEnd = text.length;
  const cells = lineCells(text, lineStart, lineEnd, header.separator);
  const column = cells.findIndex(([, end]) => position <= end);
  const extra = cells.length - header.columns.length;
  const names = [header.columns[column]];
  if (extra > 0 && column - extra >= 0) names.push(header.columns[column - extra]);
  return names.filter((name) => name !== undefined);
}

/** Calls `visit` with the cells under the columns whose names match `column`, in a CSV-like record or an SQL INSERT's values (those that end after `from`). */
export function visitNamedColumns(text: string, column: RegExp, visit: (start: number, end: number) => void, from = 0): void {
  for (const cell of sqlCells(text)) if (cell.end > from && column.test(cell.column)) visit(cell.start, cell.end);
  const header = tableHeaderOf(text);
  if (header === undefined) return;
  const wanted = header.columns.map((name) => column.test(name));
  if (wanted.includes(true)) visitColumnCells(text, header, wanted, visit, from);
}
