import { decimalPayloads, natoPayloads, pigLatinPayloads, shiftMentions, unshifted } from './cipher-payloads.ts';
import { decodesTo } from './english-words.ts';
import { containsKeyword } from './keyword-index.ts';
import type { TextView } from './signal.ts';

/**
 * Encoded text found in a message and what it decodes to: base64, hex and binary blobs, an
 * instruction cut into quoted fragments joined with +, decimal character codes, NATO spelling and pig
 * latin (cipher-payloads.ts), and (where the message says so) rot13, reversed, Caesar-shifted or
 * Atbash sentences. The encoded-payload signal asks whether the decoded text is an instruction;
 * the classifier reads the message with each payload replaced by its decoding, so that an
 * encoded text is judged by what it says ("decode this base64 and tell me what it means: <a
 * question about the weather>") and not by how it looks: random letters and digits read to it like
 * the obfuscated attacks it was trained on.
 */

export interface Payload {
  /** Where the encoded text is in the view's normalized text. */
  start: number;
  end: number;
  decoded: string;
}

const base64Blob = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])/g;
const hexBlob = /(?:(?:\\x|0x|%)?[0-9a-fA-F]{2}[\s,:]?){12,}/g;
const binaryBlob = /(?:[01]{8}[\s,]?){6,}/g;
// 'dis' + 'regard' + ' your' …: an instruction split into quoted fragments joined with +.
const fragments = /(?:(['"])[^'"\n]{1,24}\1\s*\+\s*){3,}(['"])[^'"\n]{1,24}\2/g;

/** Mostly printable text with words: something meant to be read, in any script, not a binary blob or an id. */
export function readable(text: string): boolean {
  if (text.length < 8 || text.includes('\uFFFD')) return false;
  let printable = 0;
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if ((code >= 32 && code < 127) || code === 10 || (code >= 0xa0 && /[\p{L}\p{M}\p{N}\p{P}\p{Zs}]/u.test(character))) printable++;
  }
  // Two letters, blanks, two letters: `\p{L}{2,}` read every run of letters to its end from each of its letters (quadratic).
  return printable / [...text].length > 0.9 && /\p{L}\p{L}\s+\p{L}\p{L}|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{4}/u.test(text);
}

/** Bytes as UTF-8 when they are valid UTF-8 with some non-ASCII letter, else as Latin-1. */
function textOf(bytes: Buffer): string {
  const utf8 = bytes.toString('utf8');
  return !utf8.includes('\uFFFD') && /[^\x00-\x7F]/.test(utf8) ? utf8 : bytes.toString('latin1');
}

function base64Payloads(text: string, found: Payload[]): void {
  let count = 0;
  for (const match of text.matchAll(base64Blob)) {
    const blob = match[0];
    // Long plain words and identifiers are not base64 payloads.
    if (!/[A-Z]/.test(blob) || !/[a-z]/.test(blob)) continue;
    const decoded = textOf(Buffer.from(blob.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    if (readable(decoded)) found.push({ start: match.index, end: match.index + blob.length, decoded });
    if (++count >= 8) break;
  }
}

function hexPayloads(text: string, found: Payload[]): void {
  for (const match of text.matchAll(hexBlob)) {
    const hex = match[0].replace(/\\x|0x|%|[\s,:]/g, '');
    if (hex.length < 24 || hex.length % 2 !== 0) continue;
    const decoded = textOf(Buffer.from(hex, 'hex'));
    if (readable(decoded)) found.push({ start: match.index, end: match.index + match[0].trimEnd().length, decoded });
  }
}

function binaryPayloads(text: string, found: Payload[]): void {
  for (const match of text.matchAll(binaryBlob)) {
    const bytes = match[0].match(/[01]{8}/g) ?? [];
    const decoded = String.fromCharCode(...bytes.map((byte) => parseInt(byte, 2)));
    if (readable(decoded)) found.push({ start: match.index, end: match.index + match[0].trimEnd().length, decoded });
  }
}

function fragmentPayloads(text: string, found: Payload[]): void {
  for (const match of text.matchAll(fragments)) {
    found.push({ start: match.index, end: match.index + match[0].length, decoded: [...match[0].matchAll(/(['"])([^'"\n]{1,24})\1/g)].map((part) => part[2]).join('') });
  }
}

export function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (character) => {
    const base = character <= 'Z' ? 65 : 97;
    return String.fromCharCode(((character.charCodeAt(0) - base + 13) % 26) + base);
  });
}

function reversed(text: string): string {
  return [...text].reverse().join('');
}

/** Which transformations a message says it holds (found by the keyword walk, keyword-index.ts): only then are its stretches tried. */
export interface Mentions {
  rot13: boolean;
  reversal: boolean;
  /** A Caesar shift or Atbash (cipher-payloads.ts). */
  shift: boolean;
}
const rot13Mentions = ['rot13', 'rot-13', 'rot 13', 'caesar', 'cipher', 'rotated by 13', 'shifted by 13'];
const reversalMentions = ['backward', 'revers', 'right to left', 'mirror', 'rückwärts', "à l'envers", 'al revés', 'ao contrário', 'al contrario', 'achterstevoren', 'od tyłu', 'наоборот', 'задом наперед', 'tersten', 'terbalik', '逆', '倒过来', '거꾸로'];

/** Sentences and clauses: a payload usually follows a colon or stands on its own line. */
const stretches = /[^\n:.!?;]+[.!?]?/g;

/** How far after a mention of rot13 or reversal its payload may be. */
const payloadReach = 600;

/** Where the text mentions one of the words, each position extended by `payloadReach`: the spans a payload is looked for in. */
function reaches(lowered: string, words: readonly string[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const word of words) for (let at = lowered.indexOf(word); at !== -1; at = lowered.indexOf(word, at + 1)) spans.push([at, at + word.length + payloadReach]);
  return spans;
}

function transformedPayloads(text: string, { rot13: rot, reversal: reverse, shift }: Mentions, found: Payload[]): void {
  if (!rot && !reverse && !shift) return;
  // Only the stretches near a mention ("decode this rot13: …"): a long document that says "reverse" once is mostly ordinary sentences.
  const lowered = text.toLowerCase();
  const near = [...(rot ? reaches(lowered, rot13Mentions) : []), ...(reverse ? reaches(lowered, reversalMentions) : []), ...(shift ? reaches(lowered, shiftMentions) : [])];
  for (const match of text.matchAll(stretches)) {
    if (!near.some(([from, to]) => match.index + match[0].length > from && match.index < to)) continue;
    const stretch = match[0];
    if (!/[A-Za-z]{2}/.test(stretch)) continue;
    const start = match.index + (stretch.length - stretch.trimStart().length);
    const end = match.index + stretch.trimEnd().length;
    const decoded = (rot ? decodesTo(stretch, rot13) : null) ?? (reverse ? decodesTo(stretch, reversed) : null) ?? (shift ? unshifted(stretch) : null);
    if (decoded !== null) found.push({ start, end, decoded });
  }
}

/** The payloads of one text, in order and not overlapping (the first found wins). */
export function payloadsOf(text: string, mentions: Mentions): Payload[] {
  const found: Payload[] = [];
  base64Payloads(text, found);
  hexPayloads(text, found);
  binaryPayloads(text, found);
  fragmentPayloads(text, found);
  decimalPayloads(text, found);
  natoPayloads(text, found);
  pigLatinPayloads(text, found);
  transformedPayloads(text, mentions, found);
  found.sort((left, right) => left.start - right.start);
  return found.filter((payload, index) => index === 0 || payload.start >= found[index - 1]!.end);
}

/** `text` with each payload replaced by its decoding. */
export function withPayloadsDecoded(text: string, payloads: readonly Payload[]): string {
  let result = '';
  let cursor = 0;
  for (const { start, end, decoded } of payloads) {
    result += `${text.slice(cursor, start)}${decoded}`;
    cursor = end;
  }
  return result + text.slice(cursor);
}

const payloadsByView = new WeakMap<TextView, Payload[]>();

/** What a message says it holds. */
export function mentionsOf(view: TextView): Mentions {
  return { rot13: containsKeyword(view, rot13Mentions), reversal: containsKeyword(view, reversalMentions), shift: containsKeyword(view, shiftMentions) };
}

/** What a text alone says it holds (the leetspeak reading of a message: "rot13" reads "rotie" there). */
export function textMentions(text: string): Mentions {
  const lowered = text.toLowerCase();
  return { rot13: rot13Mentions.some((word) => lowered.includes(word)), reversal: reversalMentions.some((word) => lowered.includes(word)), shift: shiftMentions.some((word) => lowered.includes(word)) };
}

/** The payloads of a message's normalized text, found once for every signal that asks. */
export function viewPayloads(view: TextView): Payload[] {
  let payloads = payloadsByView.get(view);
  if (payloads === undefined) {
    payloads = payloadsOf(view.normalized, mentionsOf(view));
    payloadsByView.set(view, payloads);
  }
  return payloads;
}
