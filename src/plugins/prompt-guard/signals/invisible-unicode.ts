import type { Signal, TextView } from './signal.ts';

// Zero-width and other invisible formatting characters (ZWJ/ZWNJ are checked apart: emoji and scripts use them).
const invisible = /[\u200B\u2060-\u2064\u180E\u00AD\u034F\u115F\u1160\u3164\uFFA0]|(?<!^)\uFEFF/gu;
const joiners = /[\u200C\u200D]/gu;
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/u;
const tagCharacters = /[\u{E0000}-\u{E007F}]/u;
// One variation selector picks the glyph of the emoji or ideograph before it; two or more in a row
// pick nothing and carry bytes ("emoji smuggling": VS1-16 are 0-15, VS17-256 are 16-255).
const variationSelectorRuns = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]{2,}/gu;

/** ZWJ/ZWNJ between two Latin letters hides a word split; next to emoji or in Persian/Indic text they are normal. */
function suspiciousJoiners(text: string): number {
  let count = 0;
  for (const match of text.matchAll(joiners)) {
    const before = text[match.index - 1] ?? '';
    const after = text[match.index + 1] ?? '';
    if (/[A-Za-z]/.test(before) && /[A-Za-z]/.test(after)) count++;
  }
  return count;
}

const greekOrCyrillic = /[\u0370-\u03FF\u0400-\u04FF]/;
const longWords = /\p{L}{3,}/gu;

/** Words that mix Latin letters with Cyrillic or Greek look-alikes ("рassword" with a Cyrillic р). */
function mixedScriptWords(text: string): number {
  // Most texts have no Greek or Cyrillic letter at all; the rest are read word by word, a code unit at a time.
  if (!greekOrCyrillic.test(text)) return 0;
  let count = 0;
  for (const [word] of text.matchAll(longWords)) {
    let latin = false;
    let other = false;
    for (let index = 0; index < word.length && !(latin && other); index++) {
      const code = word.charCodeAt(index);
      if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin = true;
      else if (code >= 0x370 && code <= 0x4ff) other = true;
    }
    if (latin && other) count++;
  }
  return count;
}

/** Invisible characters, Unicode tag smuggling, bidi overrides and confusable mixed-script words. */
export const invisibleUnicode: Signal = {
  name: 'invisible_unicode',
  strength(view: TextView) {
    const text = view.original;
    // Plain ASCII cannot carry any of these.
    if (!/[^\x00-\x7F]/.test(text)) return 0;
    if (tagCharacters.test(text)) return 0.9;
    const hidden = (text.match(invisible)?.length ?? 0) + suspiciousJoiners(text) + (text.match(variationSelectorRuns)?.length ?? 0) * 3;
    const mixed = mixedScriptWords(text);
    // Evidence of hiding, not of intent: the other signals read the text with these removed, so an
    // attack hidden this way is found by what it says, and a harmless sentence spelled with a
    // zero-width space between its letters is not blocked for the spelling.
    let strength = hidden > 0 ? 0.3 : 0;
    if (bidiControls.test(text)) strength = Math.max(strength, 0.4);
    if (mixed >= 2) strength = Math.max(strength, 0.45);
    else if (mixed === 1) strength = Math.max(strength, 0.25);
    return strength;
  },
};

/** ASCII hidden in Unicode tag characters (U+E0020-E007E mirror printable ASCII). */
export function decodeTagCharacters(text: string): string {
  let decoded = '';
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (code >= 0xe0020 && code <= 0xe007e) decoded += String.fromCharCode(code - 0xe0000);
  }
  return decoded;
}

/** The bytes hidden in runs of variation selectors, read as UTF-8 (runs joined by spaces); '' when there are none. */
export function decodeVariationSelectors(text: string): string {
  if (!/[\uFE00-\uFE0F\uDB40]/.test(text)) return '';
  const decoded: string[] = [];
  for (const [run] of text.matchAll(variationSelectorRuns)) {
    const bytes: number[] = [];
    for (const character of run) {
      const code = character.codePointAt(0)!;
      bytes.push(code <= 0xfe0f ? code - 0xfe00 : code - 0xe0100 + 16);
    }
    decoded.push(Buffer.from(bytes).toString('utf8'));
  }
  return decoded.join(' ');
}
