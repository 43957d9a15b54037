import { decodeEscapes } from '../../canonical/escape-sequences.ts';

/*
 * JSON's own escapes of a line break, tab and quote. Read only in a text that had other sequences
 * decoded (a serialised document): "…instrucciones.\nIgnora…" would otherwise glue "n" to the next
 * word. A run of backslashes is matched from its first one only (as in escape-sequences.ts), so a
 * long run is read once.
 */
const jsonWhitespace = /\\(?<!\\\\)\\*([nrt"])/g;

/**
 * The text as the model reads it when it is serialised or marked up: JSON, JavaScript and Python
 * escapes (`\u0418\u0433…`, what Python's `json.dumps` writes for every non-ASCII letter) and HTML
 * character references (`&#73;&#103;`, `&#x49;`, `&amp;`) decoded, the table pii and content-rules
 * read (canonical/escape-sequences.ts). Null when the text has none: it is then read as written only.
 */
export function unescapedText(text: string): string | null {
  const decoded = decodeEscapes(text);
  if (decoded === null) return null;
  return decoded.replace(jsonWhitespace, (_, letter: string) => (letter === '"' ? '"' : letter === 't' ? '\t' : '\n'));
}
