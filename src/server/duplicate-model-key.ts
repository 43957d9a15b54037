import { topLevelModelKeys } from '../formats/openai/rewrite-raw-body.ts';

/**
 * Whether a JSON body (one JSON.parse accepted) names the top-level `model` more than once.
 * JSON.parse keeps the last value, so the gateway checks, routes and prices that one; a provider
 * whose parser keeps the first, and gets the client's bytes as they came (a passthrough), would
 * serve the first — a model the key may not use, at a price nobody recorded. Such a body is
 * refused (errors.duplicateKey), as an upload form with two `model` parts is.
 *
 * Every JSON request pays for two native searches, for `"m` and for `"\u006`: ~1 µs for a 1.5 KB
 * body, ~15-25 µs for 100 KB (JSON.parse takes ~4 and ~90-160). A second key is either the text
 * `"model"` again or a spelling with an escaped letter, and m, o, d, e and l are 0x6d, 0x6f, 0x64,
 * 0x65 and 0x6c: JSON can only escape one as `\u006…`, which serializers never do (they escape
 * non-ASCII and control characters), and a string that starts with one starts `"\u006` or `"m`.
 * Only a body where one of these turns up (a second "model", say as a tool schema's property) is
 * walked to find its top-level keys (about half a JSON.parse).
 */
export function namesModelTwice(body: Buffer): boolean {
  let plain = 0;
  let suspect = false;
  for (let at = body.indexOf(quoteM); at !== -1 && !suspect; at = body.indexOf(quoteM, at + quoteM.length)) {
    const spelled = modelSpelling(body, at);
    suspect = spelled === 'escaped' || (spelled === 'plain' && ++plain > 1);
  }
  if (!suspect) suspect = body.indexOf(quoteEscapedLetter) !== -1;
  return suspect && topLevelModelKeys(body) > 1;
}

const quoteM = Buffer.from('"m');
const escapedLetter = Buffer.from('\\u006');
const quoteEscapedLetter = Buffer.from('"\\u006');
const modelLetters = [0x6d, 0x6f, 0x64, 0x65, 0x6c];
const quote = 0x22;
const backslash = 0x5c;

/** Whether the string opening at `at` (a quote, then m) reads "model" as written, may be "model" spelled with an escaped letter, or neither. */
function modelSpelling(body: Buffer, at: number): 'plain' | 'escaped' | null {
  let index = at + 1;
  for (const letter of modelLetters) {
    const code = body[index];
    if (code === backslash && index + escapedLetter.length <= body.length && body.compare(escapedLetter, 0, escapedLetter.length, index, index + escapedLetter.length) === 0) return 'escaped';
    if (code !== letter) return null;
    index++;
  }
  return body[index] === quote ? 'plain' : null;
}
