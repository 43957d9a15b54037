/**
 * Base64 the model can decode, read as the text it encodes: `cHJvamVjdCBmYWxjb24=` is
 * `project falcon`. A token on its own (nothing of the base64 alphabets right before it, nor after
 * it and its padding: between spaces or quotes, after `=` or a data URL's `,`…) of at least 8
 * characters, in the standard or the URL-safe alphabet, with a capital after its first character,
 * that decodes to UTF-8 text with no control characters but tab and line breaks. Ordinary words
 * and names (`Something`, `getElementById`) decode to bytes that are not such text. One layer:
 * base64 inside the decoded text is not decoded again.
 */

import { isUtf8 } from 'node:buffer';

/** Where a token may be: a capital after another character of the alphabet (a look for one pair, about 1 µs a KB). */
const capitalInside = /[A-Za-z0-9+/_-][A-Z]/g;
const controlCharacter = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;
const minimumLength = 8;

/** True for a character of the standard or URL-safe base64 alphabet. */
function inAlphabet(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47 || code === 45 || code === 95;
}

function decodedText(candidate: string): string | null {
  if (candidate.length < minimumLength || candidate.length % 4 === 1) return null;
  const bytes = Buffer.from(candidate, 'base64');
  // isUtf8, not a fatal TextDecoder: most candidates are no UTF-8, and a thrown error costs microseconds.
  if (!isUtf8(bytes)) return null;
  const text = bytes.toString('utf8');
  return text.length >= 4 && !controlCharacter.test(text) ? text : null;
}

/** The texts the base64 tokens of a text decode to, one at a time (a search stops at the first with a term). */
export function* base64Texts(text: string): Generator<string> {
  let searchFrom = 0;
  while (searchFrom < text.length) {
    capitalInside.lastIndex = searchFrom;
    const hit = capitalInside.exec(text);
    if (hit === null) return;
    let start = hit.index;
    while (start > 0 && inAlphabet(text.charCodeAt(start - 1))) start--;
    let end = hit.index + 2;
    while (end < text.length && inAlphabet(text.charCodeAt(end))) end++;
    const candidate = text.slice(start, end);
    let padded = end;
    while (padded < text.length && padded < end + 2 && text.charCodeAt(padded) === 61) padded++;
    searchFrom = padded;
    // Padding longer than two `=`, or the alphabet again after it, is no token of its own.
    if (padded < text.length && (text.charCodeAt(padded) === 61 || inAlphabet(text.charCodeAt(padded)))) continue;
    const decoded = decodedText(candidate);
    if (decoded !== null) yield decoded;
  }
}
