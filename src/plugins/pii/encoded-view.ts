/**
 * Escapes and character references as the detectors read them. A user who pastes a JSON document,
 * a log line or a page's source sends `{"card":"\u0034111 1111 1111 1111"}`,
 * `john\u002edoe\u0040example.com` or `4&#49;11 1111 1111 1111` as literal text; the model reads
 * the value, so the detectors must too. The scanner reads a view of the text with the recognised
 * sequences decoded and maps each detection back to the original span: the whole sequence
 * (`\u0034`, `&#x34;`) is inside what gets replaced, and mask restoration puts it back as it was.
 *
 * Recognised (one layer; what a sequence decodes to is not decoded again; the table is shared with
 * content-rules: src/canonical/escape-sequences.ts):
 * - backslash escapes of JSON, JavaScript, Python, Java, C: `\uXXXX` (a surrogate pair as two),
 *   `\u{X…}`, `\UXXXXXXXX`, `\xHH` and JSON's `\/`, after any number of backslashes (`\\u0034` in
 *   JSON inside a JSON string reads as `4` too);
 * - HTML character references: decimal `&#NNN;` and hexadecimal `&#xHH;` (the `;` optional, as
 *   browsers read them), and the named ones of escape-sequences.ts (with their `;`); `&amp;`
 *   before either (`&amp;#64;`, escaped twice) is read through.
 * - URL percent-escapes of the punctuation that writes or separates a value (`percentEscapes`,
 *   there: `john%40example.com`, `john%2Edoe`, `%2B34 612…`, `4111%201111…`): a value in a query
 *   string, or encoded by hand to get past a filter. Not of letters and digits, which no encoder
 *   escapes: decoding them would change a password that holds such a sequence (`Saffron%50`); nor
 *   of other bytes (`%0A`, the UTF-8 of `%C3%A9`).
 * Other text, and a sequence that names no character (`&#0;`, `\u{110000}`, an unknown name), is
 * left as it is.
 */
import { forEachEscape, mayHoldEscapes } from '../../canonical/escape-sequences.ts';
import { ViewBuilder, type TextView } from './text-view.ts';

/**
 * The text with every recognised escape and character reference from `from` on decoded (the text
 * before `from` is left as it is: a stream's scan searches no earlier, whole-text.ts). Null when
 * nothing is decoded; the sequences, and the cheap look that finds a text has none, are shared with
 * content-rules (canonical/escape-sequences.ts), so both read a text the same way.
 */
export function encodedView(original: string, from = 0): TextView | null {
  if (!mayHoldEscapes(original, from)) return null;
  const view = new ViewBuilder(original);
  forEachEscape(original, from, (index, width, decoded) => view.replace(index, width, decoded));
  return view.finish();
}
