import { copyWithOwnMemory } from '../../upstream/own-memory.ts';

/**
 * Byte-level edits of a client's JSON body, so a passthrough can forward the client's own bytes
 * instead of re-serializing the parsed object. Each function returns null when it cannot be sure
 * of the edit; the caller then serializes the parsed request instead.
 */

const quote = 0x22;
const backslash = 0x5c;

/** Index just past the string that starts at `start` (a quote), or -1 if it never ends. */
export function skipString(body: Buffer, start: number): number {
  let index = start + 1;
  for (;;) {
    const next = body.indexOf(quote, index);
    if (next === -1) return -1;
    let slashes = 0;
    for (let back = next - 1; back > start && body[back] === backslash; back--) slashes++;
    if (slashes % 2 === 0) return next + 1;
    index = next + 1;
  }
}

function skipSpace(body: Buffer, index: number): number {
  while (index < body.length) {
    const code = body[index];
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
    index++;
  }
  return index;
}

const modelKey = Buffer.from('"model"');

/**
 * Replaces the value of the top-level "model" key. Only a plain string value without escapes is
 * replaced; anything unusual returns null. So does a body with `"model"` again after that key
 * (one native search over the rest): it may be a second top-level "model", which JSON.parse (and
 * so routing) takes as the value while this edit would change the first.
 */
export function rewriteTopLevelModel(body: Buffer, model: string): Buffer | null {
  let depth = 0;
  let index = 0;
  while (index < body.length) {
    const code = body[index];
    if (code === quote) {
      const end = skipString(body, index);
      if (end === -1) return null;
      if (depth === 1 && end - index === modelKey.length && body.compare(modelKey, 0, modelKey.length, index, end) === 0) {
        const colon = skipSpace(body, end);
        if (body[colon] !== 0x3a) return null;
        const valueStart = skipSpace(body, colon + 1);
        if (body[valueStart] !== quote) return null;
        const valueEnd = skipString(body, valueStart);
        if (valueEnd === -1 || body.subarray(valueStart, valueEnd).includes(backslash)) return null;
        if (body.indexOf(modelKey, valueEnd) !== -1) return null;
        return joined([body.subarray(0, valueStart), Buffer.from(JSON.stringify(model)), body.subarray(valueEnd)]);
      }
      index = end;
      continue;
    }
    if (code === 0x7b || code === 0x5b) depth++;
    else if (code === 0x7d || code === 0x5d) depth--;
    index++;
  }
  return null;
}

/** Adds `"key":value` as the first member of the top-level object (the key must be absent). */
export function prependTopLevelField(body: Buffer, key: string, value: unknown): Buffer | null {
  const open = skipSpace(body, 0);
  if (body[open] !== 0x7b) return null;
  const afterOpen = skipSpace(body, open + 1);
  const empty = body[afterOpen] === 0x7d;
  const field = `${JSON.stringify(key)}:${JSON.stringify(value)}${empty ? '' : ','}`;
  return joined([body.subarray(0, open + 1), Buffer.from(field), body.subarray(open + 1)]);
}

/**
 * The edited body, in memory of its own: it is sent upstream and held until the answer is read
 * (seconds to minutes), and a Buffer.concat of a few hundred bytes would be a slice of Node's
 * shared 64 KiB pool, keeping all of it (src/upstream/own-memory.ts).
 */
function joined(parts: readonly Buffer[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  return copyWithOwnMemory(parts, length);
}
