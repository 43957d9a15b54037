/**
 * Escapes and character references as the model reads them, for the guardrails that read a text
 * the way the model does (pii's encoded view, content-rules' decoded view): a user who pastes a
 * JSON document, a log line, a URL or a page's source sends `project \u0066alcon`,
 * `john\u002edoe\u0040example.com`, `project%20falcon` or `4&#49;11 1111` as literal text, and
 * the model reads what they stand for.
 *
 * Recognised (one layer; what a sequence decodes to is not decoded again):
 * - backslash escapes of JSON, JavaScript, Python, Java, C: `\uXXXX` (a surrogate pair as two),
 *   `\u{X…}`, `\UXXXXXXXX`, `\xHH` and JSON's `\/`, after any number of backslashes (`\\u0034` in
 *   JSON inside a JSON string reads as `4` too);
 * - HTML character references: decimal `&#NNN;` and hexadecimal `&#xHH;` (the `;` optional, as
 *   browsers read them), and the named ones below (with their `;`); `&amp;` before either (`&amp;#64;`,
 *   escaped twice) is read through.
 * - URL percent-escapes of the punctuation that writes or separates a value or a word
 *   (`percentEscapes` below: `john%40example.com`, `john%2Edoe`, `%2B34 612…`, `project%20falcon`,
 *   `project%2Dfalcon`): a value in a query string or a path, or encoded by hand to get past a
 *   filter. Not of letters and digits, which no encoder escapes: decoding them would change a
 *   password that holds such a sequence (`Saffron%50`); nor of other bytes (`%0A`, the UTF-8 of `%C3%A9`).
 * Other text, and a sequence that names no character (`&#0;`, `\u{110000}`, an unknown name), is
 * left as it is.
 */

/**
 * The named references (HTML 5 names, case as the standard has them) of the characters that write
 * or separate a value: punctuation of e-mail addresses, numbers and key/value text, brackets and
 * quotes around them, spaces and dashes and invisible characters. Letters and digits have no named reference.
 */
const namedReferences = new Map<string, string>([
  ['amp', '&'], ['AMP', '&'], ['commat', '@'], ['period', '.'], ['plus', '+'], ['lowbar', '_'], ['UnderBar', '_'],
  ['sol', '/'], ['bsol', '\\'], ['colon', ':'], ['semi', ';'], ['comma', ','], ['num', '#'], ['excl', '!'], ['quest', '?'],
  ['equals', '='], ['quot', '"'], ['QUOT', '"'], ['apos', "'"], ['lpar', '('], ['rpar', ')'], ['lsqb', '['], ['lbrack', '['],
  ['rsqb', ']'], ['rbrack', ']'], ['lcub', '{'], ['lbrace', '{'], ['rcub', '}'], ['rbrace', '}'], ['lt', '<'], ['LT', '<'],
  ['gt', '>'], ['GT', '>'], ['dollar', '$'], ['percnt', '%'], ['ast', '*'], ['midast', '*'], ['verbar', '|'], ['vert', '|'],
  ['hyphen', '\u2010'], ['dash', '\u2010'], ['minus', '\u2212'], ['ndash', '\u2013'], ['mdash', '\u2014'],
  ['nbsp', '\u00a0'], ['NonBreakingSpace', '\u00a0'], ['ensp', '\u2002'], ['emsp', '\u2003'], ['numsp', '\u2007'],
  ['puncsp', '\u2008'], ['thinsp', '\u2009'], ['ThinSpace', '\u2009'], ['hairsp', '\u200a'], ['VeryThinSpace', '\u200a'],
  ['shy', '\u00ad'], ['ZeroWidthSpace', '\u200b'], ['zwnj', '\u200c'], ['zwj', '\u200d'], ['lrm', '\u200e'], ['rlm', '\u200f'],
  ['NoBreak', '\u2060'],
]);

/** The percent-escapes decoded (either case): space, `#`, `(`, `)`, `+`, `,`, `-`, `.`, `/`, `:`, `=`, `@`, `_`. */
const percentEscapes = new Map<string, string>();
for (const character of ' #()+,-./:=@_') {
  const hex = character.charCodeAt(0).toString(16).toUpperCase();
  percentEscapes.set(hex, character);
  percentEscapes.set(hex.toLowerCase(), character);
}

/*
 * One sequence. A run of backslashes is matched from its first one only (the lookbehind, after it
 * so that V8 tests it at backslashes only), so a long run with no escape after it is read once, not
 * once per backslash. Groups: 1 \u{…}, 2 \uXXXX,
 * 3 \UXXXXXXXX, 4 \xHH, 5 \/, 6 &#x…, 7 &#…, 8 a reference's name, 9 %HH (decoded only when in `percentEscapes`).
 */
const sequence =
  /\\(?<!\\\\)\\*(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2})|(\/))|&(?:amp;)*(?:#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?|([A-Za-z][A-Za-z0-9]{1,31});)|%([2-5][0-9A-Fa-f])/g;

/** The character a code point names, or '' when it names none a text can hold. */
function character(code: number, html: boolean): string {
  if (code > 0x10ffff || (html && (code === 0 || (code >= 0xd800 && code <= 0xdfff)))) return '';
  return String.fromCodePoint(code);
}

/** What a match decodes to, '' for nothing (left as it is). */
function decode(match: RegExpExecArray): string {
  const [, braced, four, eight, two, slash, hex, decimal, name, percent] = match;
  if (percent !== undefined) return percentEscapes.get(percent) ?? '';
  if (four !== undefined) return String.fromCharCode(parseInt(four, 16));
  if (name !== undefined) return namedReferences.get(name) ?? '';
  if (decimal !== undefined) return decimal.length > 7 ? '' : character(Number(decimal), true);
  if (hex !== undefined) return hex.length > 6 ? '' : character(parseInt(hex, 16), true);
  if (two !== undefined) return String.fromCharCode(parseInt(two, 16));
  if (braced !== undefined) return character(parseInt(braced, 16), false);
  if (eight !== undefined) return character(parseInt(eight, 16), false);
  return slash ?? '';
}

/** True when a `%` from `from` on starts one of the percent-escapes decoded ("8.4% of" starts none). */
function percentEscape(text: string, from: number): boolean {
  for (let at = text.indexOf('%', from); at !== -1; at = text.indexOf('%', at + 1)) {
    if (percentEscapes.has(text.slice(at + 1, at + 3))) return true;
  }
  return false;
}

/**
 * False when the text from `from` on holds no sequence: a text with no backslash, no `&` and no
 * `%` learns that from three `indexOf`s, one whose `%`s are percent signs (`8.4%`) from a look at
 * the two characters after each.
 */
export function mayHoldEscapes(text: string, from = 0): boolean {
  return text.indexOf('\\', from) !== -1 || text.indexOf('&', from) !== -1 || percentEscape(text, from);
}

/** Calls `visit` with each recognised sequence from `from` on, left to right: where it is, how wide, and what it decodes to. */
export function forEachEscape(text: string, from: number, visit: (index: number, width: number, decoded: string) => void): void {
  sequence.lastIndex = from;
  for (let match = sequence.exec(text); match !== null; match = sequence.exec(text)) {
    const decoded = decode(match);
    if (decoded !== '') visit(match.index, match[0].length, decoded);
  }
}

/** The text with every recognised sequence decoded (one layer), or null when it holds none. */
export function decodeEscapes(text: string): string | null {
  if (!mayHoldEscapes(text)) return null;
  let decodedText = '';
  let copiedTo = 0;
  forEachEscape(text, 0, (index, width, decoded) => {
    decodedText += text.slice(copiedTo, index) + decoded;
    copiedTo = index + width;
  });
  return copiedTo === 0 ? null : decodedText + text.slice(copiedTo);
}
