import { decodeEscapes } from '../../canonical/escape-sequences.ts';
import { mapLookAlikes, type TurnedTextMinimum } from '../prompt-guard/look-alike-letters.ts';
import { base64Texts } from './base64-texts.ts';

// Zero-width and formatting characters that split a word without showing: soft hyphen, bidi
// controls, variation selectors, Mongolian free variation selectors, Hangul fillers (blank letters), tag characters.
const invisible = '[\\u200B-\\u200F\\u2060-\\u2064\\u180B-\\u180F\\u00AD\\u034F\\uFEFF\\u202A-\\u202E\\u2066-\\u2069\\uFE00-\\uFE0F\\u115F\\u1160\\u3164\\uFFA0]|[\\u{E0000}-\\u{E007F}\\u{E0100}-\\u{E01EF}]';

// Dashes and minus signs that read as a hyphen: U+2010 hyphen and U+2011 non-breaking hyphen
// (NFKD maps U+2011 to U+2010, not to '-'), figure, en and em dashes, U+2212 minus and the rest of
// Unicode's dash punctuation (full-width and small hyphen-minus already decompose to '-').
const dash = '[\\p{Pd}\\u2212\\u2043\\u02D7\\u2796]';

/**
 * Dashes (captured: they become '-'), combining marks and invisible characters (dropped), in one
 * pass. The lookahead skips at once the characters none of them can be (ASCII, Latin-1 but the
 * soft hyphen, Latin extended): testing each against the Unicode classes took 130 µs a class on
 * 20 KB of text with one curly quote (a two-byte string).
 */
const foldable = new RegExp(`(?=[^\\x00-\\xAC\\xAE-\\u02D6])(?:(${dash})|\\p{M}|${invisible})`, 'gu');

/**
 * Stands where markup was, and between text parts the model reads in a row: a blocked term's
 * letters match across it (`proj**ect`), and it is no letter, so a word ends at it. U+001F, a
 * control character: invisible like the others, which are skipped the same way (markupCharacters),
 * and ASCII, so the text stays one byte a character for the regular expressions.
 */
export const markupMark = '\x1F';

/**
 * Skipped inside a word: markdown's emphasis, strike-through and code characters (`fal**con`,
 * `` `fal`con ``) and control characters other than white space (the markup mark among them).
 */
export const markupCharacters = '*_~`\\u{0}-\\u{8}\\u{E}-\\u{1F}\\u{7F}';

/**
 * Compatibility decomposition (full-width and ligatures become plain letters), accents and other
 * combining marks dropped, invisible characters removed, dashes as '-'. Case is kept: look-alike
 * letters are told apart in it (a Greek capital eta is an H, its small letter an n).
 */
function foldForTerms(text: string): string {
  return text.normalize('NFKD').replace(foldable, (_match, dashFound: string | undefined) => (dashFound === undefined ? '' : '-'));
}

// Runs of white space to collapse: two or more characters, or one that is not a plain space (most texts have neither: no copy).
const spaceRun = /\s{2,}|[^\S ]/gu;

function lowerAndCollapse(text: string): string {
  return text.toLowerCase().replace(spaceRun, ' ');
}

/**
 * The form both terms and prompts are compared in: folded (foldForTerms), lower case, runs of
 * white space (any Unicode space) as one space.
 */
function normalizeForTerms(text: string): string {
  return lowerAndCollapse(foldForTerms(text));
}

/**
 * What look-alike-letters.ts acts on: a Greek, Cyrillic or Armenian letter beside a Latin one or
 * Greek beside Cyrillic (it maps look-alikes only in a text with such a mixed word), or a letter of
 * the blocks its small capitals and upside-down letters come from (Latin extended, IPA, phonetic,
 * letter-like and math symbols, box drawing). Text without (nearly all, Russian and Greek prose
 * too) skips the mapping's scans, about 1 ms on 20 KB; `anyLookAlikeBlock` first, in one cheap pass.
 */
const anyLookAlikeBlock = /[\u0180-\u058F\u1D00-\u1D7F\u2100-\u214F\u2200-\u22FF\u2500-\u257F\uA700-\uA7FF]/;
const mayHaveLookAlikes = /[a-zA-Z][\u0370-\u058F]|[\u0370-\u058F][a-zA-Z]|[\u0370-\u03FF][\u0400-\u052F]|[\u0400-\u052F][\u0370-\u03FF]|[\u0180-\u02FF\u1D00-\u1D7F\u2100-\u214F\u2200-\u22FF\u2500-\u257F\uA700-\uA7FF]/;

// An HTML tag (the view is in lower case): `<b>`, `</span>`, `<br/>`, `<font color="red">`.
const htmlTag = /<\/?[a-z][^<>]{0,200}>/g;
// Character references that stand for a space, a hyphen or nothing; numeric ones for any character.
const entity = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,8}));/g;
const namedEntities: Record<string, string> = { nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ', shy: '', zwsp: '', zwj: '', zwnj: '', wj: '', hyphen: '-', dash: '-', ndash: '-', mdash: '-', minus: '-', amp: '&', lowbar: '_', ast: '*' };

function decodeEntity(reference: string, decimal?: string, hex?: string, name?: string): string {
  if (name !== undefined) return namedEntities[name] ?? reference;
  const code = Number.parseInt(decimal ?? hex ?? '', decimal !== undefined ? 10 : 16);
  return code > 0 && code <= 0x10ffff ? normalizeForTerms(String.fromCodePoint(code)) : reference;
}

/** The view with HTML tags as the markup mark and character references decoded; the same string when it has neither. */
function withoutMarkup(view: string): string {
  if (!view.includes('<') && !view.includes('&')) return view;
  return view.replace(htmlTag, markupMark).replace(entity, decodeEntity);
}

/**
 * Upside-down text is read from one turned-only letter on (`pɹıqǝnlq`, with ǝ and ɹ, is
 * `bluebird`), not from prompt-guard's three different ones: this view is searched for the
 * blocked terms only, and what turning a stretch of phonetic symbols makes is no term.
 */
const anyTurnedText: TurnedTextMinimum = { inText: 1, distinctInRun: 1 };

/**
 * The readings of one text: the normalized text; with look-alike letters read as the Latin ones
 * (a Cyrillic о inside a Latin word, small capitals, upside-down text: look-alike-letters.ts),
 * when there are any; with HTML tags as markup and character references decoded
 * (`project <b>falcon</b>`, `project&nbsp;falcon`), when there are any. The first stays: real
 * Cyrillic or Greek words that a look-alike reading would turn Latin still match a term written
 * in them, and a tag's own text (`<span title="…">`) is still read.
 */
function* readings(text: string): Generator<string> {
  const folded = foldForTerms(text);
  const normalized = lowerAndCollapse(folded);
  yield normalized;
  let view = normalized;
  if (anyLookAlikeBlock.test(folded) && mayHaveLookAlikes.test(folded)) {
    const mapped = mapLookAlikes(folded, anyTurnedText);
    if (mapped !== folded) {
      view = lowerAndCollapse(mapped);
      if (view !== normalized) yield view;
    }
  }
  const bare = withoutMarkup(view);
  if (bare !== view) yield bare;
}

/**
 * The views of a text a blocked term is looked for in, produced one at a time so the search stops
 * at the first that has one: the text's readings; the readings of the text with escapes and
 * character references decoded (`project \u0066alcon`, `project%20falcon`, `project&#32;falcon`:
 * the sequences pii's encoded view decodes, canonical/escape-sequences.ts), when it has any; and
 * the readings of what each base64 token decodes to (`cHJvamVjdCBmYWxjb24=`: base64-texts.ts).
 */
export function* termViews(text: string): Generator<string> {
  yield* readings(text);
  const decoded = decodeEscapes(text);
  if (decoded !== null) yield* readings(decoded);
  for (const plain of base64Texts(text)) yield* readings(plain);
}

/** A term in the form texts are compared in (look-alike letters read as Latin ones, as in a text's second view). */
export function normalizeTerm(term: string): string {
  return lowerAndCollapse(mapLookAlikes(foldForTerms(term), anyTurnedText)).trim();
}
