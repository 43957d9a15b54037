import { skipString } from '../formats/openai/rewrite-raw-body.ts';

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

const modelKey = Buffer.from('"model"');
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

/** How many keys of the top-level object are `model`, however spelled (a body JSON.parse accepted; 0 for any other top-level value). */
function topLevelModelKeys(body: Buffer): number {
  let depth = 0;
  let count = 0;
  // The next string at depth 1 is a key: after the top-level object's `{` or one of its commas.
  let keyNext = false;
  let index = 0;
  while (index < body.length) {
    const code = body[index];
    if (code === quote) {
      const end = skipString(body, index);
      if (end === -1) return count;
      if (keyNext && isModel(body, index, end)) count++;
      keyNext = false;
      index = end;
      continue;
    }
    if (code === 0x7b || code === 0x5b) {
      depth++;
      keyNext = depth === 1 && code === 0x7b;
      if (depth === 1 && code === 0x5b) return 0;
    } else if (code === 0x7d || code === 0x5d) depth--;
    else if (code === 0x2c && depth === 1) keyNext = true;
    index++;
  }
  return count;
}

/** Whether the JSON string from `start` (its opening quote) to `end` (past its closing one) is "model". */
function isModel(body: Buffer, start: number, end: number): boolean {
  if (end - start === modelKey.length) return body.compare(modelKey, 0, modelKey.length, start, end) === 0;
  if (body.subarray(start, end).indexOf(backslash) === -1) return false;
  try {
    return JSON.parse(body.toString('utf8', start, end)) === 'model';
  } catch {
    return false;
  }
}
