/**
 * The `{{variable}}` syntax, compiled once at config load into literal text and placeholders.
 * Rendering is a single pass over those pieces: a value is inserted as plain text and never read
 * again as a template, so a value that contains `{{other}}` stays exactly that text (it cannot
 * inject template syntax or reach another variable).
 */

export type TemplatePiece = { kind: 'text'; text: string } | { kind: 'variable'; name: string };

const placeholder = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Splits a template into pieces; `{{` not followed by `name}}` is literal text. */
export function compileTemplateText(source: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let cursor = 0;
  for (const match of source.matchAll(placeholder)) {
    if (match.index > cursor) pieces.push({ kind: 'text', text: source.slice(cursor, match.index) });
    pieces.push({ kind: 'variable', name: match[1] });
    cursor = match.index + match[0].length;
  }
  if (cursor < source.length) pieces.push({ kind: 'text', text: source.slice(cursor) });
  return pieces;
}

/** The variable names a template uses, in order of first use. */
export function placeholderNames(source: string): string[] {
  return [...new Set([...source.matchAll(placeholder)].map((match) => match[1]))];
}

/** Joins the pieces with each variable's text (already converted to a string by the caller). */
export function renderPieces(pieces: readonly TemplatePiece[], values: ReadonlyMap<string, string>): string {
  let out = '';
  for (const piece of pieces) out += piece.kind === 'text' ? piece.text : (values.get(piece.name) ?? '');
  return out;
}
