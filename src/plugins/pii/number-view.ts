import { ViewBuilder, type TextView } from './text-view.ts';

/**
 * Numbers as the detectors read them. The detectors' patterns know ASCII digits and separators;
 * a card, phone, SSN, IBAN or IP address written with other decimal digits (full-width ４１１１,
 * Arabic-Indic ٤١١١, Persian ۴۱۱۱, Devanagari ४१११…) or grouped with no-break, narrow or thin
 * spaces and Unicode dashes would pass them unseen. The scanner reads a view of the text with those
 * mapped to ASCII and maps each detection back to the span of the original text.
 *
 * Invisible characters are left out of the view wherever they stand: a model reads
 * `jane.d\u200Boe@exa\u200Bmple.com` or `4\uFE0F1\uFE0F1\uFE0F1\uFE0F …` as the plain value, so the
 * detectors must too. They are the format characters (Unicode Cf: zero-width space, joiners, word
 * joiner, BOM, soft hyphen, bidi marks and isolates, invisible operators, tags…) and the other
 * default-ignorable code points (variation selectors, combining grapheme joiner, Mongolian vowel
 * separator and free variation selectors, Hangul fillers). One inside a value is inside the
 * original span that gets replaced.
 */

/**
 * The zero of every run of ten decimal digits (Unicode category Nd) outside ASCII, as of Unicode 17
 * (Node 24). Each script's digits are encoded as a run from zero to nine, so a digit's value is its
 * distance from its zero. test/pii/unicode-numbers.test.ts checks it against the engine's `\p{Nd}`.
 */
const digitZeros: readonly number[] = [
  0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0,
  0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
  0x104a0, 0x10d30, 0x10d40, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x116d0, 0x116da, 0x11730,
  0x118e0, 0x11950, 0x11bf0, 0x11c50, 0x11d50, 0x11da0, 0x11de0, 0x11f50, 0x16130, 0x16a60, 0x16ac0, 0x16b50, 0x16d70, 0x1ccf0, 0x1d7ce,
  0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e5f1, 0x1e950, 0x1fbf0,
];

// What a code unit is to the view.
const unchanged = 0;
/** A BMP digit. */
const digitUnit = 1;
/** U+FF01-FF5E but the digits: full-width ASCII. */
const fullWidth = 2;
const space = 3;
const dash = 4;
const invisible = 5;
/** The high surrogate of an astral digit or invisible character (the pair decides). */
const astral = 6;

/**
 * Invisible characters outside the BMP (Unicode 17): \p{Cf} and \p{Default_Ignorable_Code_Point},
 * as [first, last] pairs; those in the BMP are in `kinds`. test/pii/invisible-characters.test.ts
 * checks both against the engine.
 */
const astralInvisibles: readonly number[] = [0x110bd, 0x110bd, 0x110cd, 0x110cd, 0x13430, 0x1343f, 0x1bca0, 0x1bca3, 0x1d173, 0x1d17a, 0xe0000, 0xe0fff];

/** True for an invisible character (see above): format characters and default-ignorable code points. */
export function isInvisible(code: number): boolean {
  if (code < 0x10000) return code >= 0x80 && kinds[code] === invisible;
  for (let index = 0; index < astralInvisibles.length; index += 2) if (code >= astralInvisibles[index] && code <= astralInvisibles[index + 1]) return true;
  return false;
}

/** What each UTF-16 code unit is to the view: one lookup per character outside ASCII. */
const kinds = new Uint8Array(0x10000);
for (const zero of digitZeros) {
  if (zero < 0x10000) kinds.fill(digitUnit, zero, zero + 10);
  else kinds[String.fromCodePoint(zero).charCodeAt(0)] = astral;
}
kinds.fill(fullWidth, 0xff01, 0xff10);
kinds.fill(fullWidth, 0xff1a, 0xff5f);
// No-break, Ogham, en/em…hair, narrow no-break, medium mathematical and ideographic spaces.
for (const code of [0xa0, 0x1680, 0x202f, 0x205f, 0x3000]) kinds[code] = space;
kinds.fill(space, 0x2000, 0x200b);
// Hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal bar; minus sign, small hyphen-minus and em dash.
kinds.fill(dash, 0x2010, 0x2016);
for (const code of [0x2212, 0xfe58, 0xfe63]) kinds[code] = dash;
// Invisible: \p{Cf} and \p{Default_Ignorable_Code_Point} in the BMP, as [first, last] pairs (soft
// hyphen, combining grapheme joiner, Arabic number signs and letter mark, Hangul fillers, Khmer
// inherent vowels, Mongolian free variation selectors and vowel separator, zero-width space,
// non-joiner and joiner, bidi marks, embeddings and isolates, word joiner, invisible operators,
// variation selectors, zero-width no-break space, interlinear annotation).
const bmpInvisibles = [
  0xad, 0xad, 0x34f, 0x34f, 0x600, 0x605, 0x61c, 0x61c, 0x6dd, 0x6dd, 0x70f, 0x70f, 0x890, 0x891, 0x8e2, 0x8e2, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180f,
  0x200b, 0x200f, 0x202a, 0x202e, 0x2060, 0x206f, 0x3164, 0x3164, 0xfe00, 0xfe0f, 0xfeff, 0xfeff, 0xffa0, 0xffa0, 0xfff0, 0xfffb,
];
for (let index = 0; index < bmpInvisibles.length; index += 2) kinds.fill(invisible, bmpInvisibles[index], bmpInvisibles[index + 1] + 1);
for (let index = 0; index < astralInvisibles.length; index += 2) {
  for (let code = astralInvisibles[index]; code <= astralInvisibles[index + 1]; code += 0x400) kinds[String.fromCodePoint(code).charCodeAt(0)] = astral;
  kinds[String.fromCodePoint(astralInvisibles[index + 1]).charCodeAt(0)] = astral;
}

/** 0-9 for a decimal digit of any script, -1 for anything else. */
export function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code < 0x660 || (code < 0x10000 && kinds[code] !== digitUnit)) return -1;
  let low = 0;
  let high = digitZeros.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (digitZeros[middle] <= code) low = middle + 1;
    else high = middle;
  }
  const value = low === 0 ? -1 : code - digitZeros[low - 1];
  return value <= 9 ? value : -1;
}

/** The code point that ends at `index` (both halves of a surrogate pair), -1 at the start. */
export function codePointBefore(text: string, index: number): number {
  if (index === 0) return -1;
  const code = text.charCodeAt(index - 1);
  if (code < 0xdc00 || code > 0xdfff || index < 2) return code;
  const before = text.charCodeAt(index - 2);
  return before >= 0xd800 && before <= 0xdbff ? text.codePointAt(index - 2)! : code;
}

/** True when a digit stands before `index`, past any invisible characters. */
function digitBefore(text: string, index: number): boolean {
  for (let code = codePointBefore(text, index); code !== -1; code = codePointBefore(text, index)) {
    if (!isInvisible(code)) return digitValue(code) !== -1;
    index -= code > 0xffff ? 2 : 1;
  }
  return false;
}

/** True when a digit stands at `index` or after it, past any invisible characters. */
function digitFrom(text: string, index: number): boolean {
  for (let code = text.codePointAt(index); code !== undefined; code = text.codePointAt(index)) {
    if (!isInvisible(code)) return digitValue(code) !== -1;
    index += code > 0xffff ? 2 : 1;
  }
  return false;
}

/** True when some character of a text with non-ASCII characters, from `from` on, may change in its view. */
function mayChange(text: string, from: number): boolean {
  for (let index = from; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80 && kinds[code] !== unchanged) return true;
  }
  return false;
}

/** A text the detectors read and the way back to the original's offsets; `endOf` reaches past the invisible characters after a character. */
export type NumberView = TextView;

/**
 * The text with every decimal digit in ASCII, full-width ASCII (０-９, Ａ-Ｚ, ＋, －, （…) in ASCII,
 * Unicode spaces and dashes beside a digit turned into ' ' and '-', and invisible characters
 * removed. Only separators beside a digit change: an em dash or a no-break space in prose is left
 * as it is, so the name and address detectors read prose as before (less what no one sees). Null when nothing
 * changes; plain ASCII text learns that from its UTF-8 length, without a look at its characters.
 * Only the text from `from` on is read (a stream's scan searches no earlier, whole-text.ts).
 */
export function numberView(original: string, from = 0): NumberView | null {
  const tail = from === 0 ? original : original.slice(from);
  if (Buffer.byteLength(tail, 'utf8') === tail.length || !mayChange(original, from)) return null;
  const view = new ViewBuilder(original);
  for (let index = from; index < original.length; index++) {
    const unit = original.charCodeAt(index);
    const kind = unit < 0x80 ? unchanged : kinds[unit];
    if (kind === unchanged) continue;
    let replacement: string;
    let width = 1;
    if (kind === digitUnit || kind === astral) {
      const code = original.codePointAt(index)!;
      const digit = digitValue(code);
      width = code > 0xffff ? 2 : 1;
      if (digit !== -1) replacement = String.fromCharCode(48 + digit);
      else if (kind === astral && isInvisible(code)) replacement = '';
      else continue;
    } else if (kind === fullWidth) {
      replacement = String.fromCharCode(unit - 0xfee0);
    } else if (kind === invisible) {
      replacement = '';
    } else {
      // A space or dash counts as a number's separator beside a digit, invisible characters between them or not.
      if (!digitBefore(original, index) && !digitFrom(original, index + 1)) continue;
      replacement = kind === space ? ' ' : '-';
    }
    view.replace(index, width, replacement);
    index += width - 1;
  }
  // endOf: past the invisible characters that follow (removed from the view, so nothing else
  // stands between): `4\uFE0F…1\uFE0F` is replaced whole, not with its last variation selector left over.
  return view.finish();
}
