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

/** Where the top-level `"model": "value"` of a body is: the key's opening quote, the value's, and just past the value. */
interface ModelMember {
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * Finds the top-level "model" member. Only a plain string value without escapes is found; anything
 * unusual returns null. So does a body naming the top-level "model" twice (JSON.parse, and so
 * routing, takes the last, while an edit would change the first; the data plane refuses such a body
 * before, server/duplicate-model-key.ts). A later `"model"` in the body (a tool's property) has the
 * body's top-level keys counted (topLevelModelKeys) only when one turns up (one native search over
 * the rest).
 */
function findTopLevelModel(body: Buffer): ModelMember | null {
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
        if (body.indexOf(modelKey, valueEnd) !== -1 && topLevelModelKeys(body) > 1) return null;
        return { keyStart: index, valueStart, valueEnd };
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

/** How many keys of the top-level object are `model`, however spelled (a body JSON.parse accepted; 0 for any other top-level value). */
function topLevelModelKeys(body: Buffer): number {
  let count = 0;
  forEachTopLevelKey(body, (start, end) => {
    if (isModel(body, start, end)) count++;
    return false;
  });
  return count;
}

/** The first of `names` the top-level object names twice, however spelled (a body JSON.parse accepted); null when none is. */
export function repeatedTopLevelKey(body: Buffer, names: ReadonlySet<string>): string | null {
  const seen = new Set<string>();
  let repeated: string | null = null;
  forEachTopLevelKey(body, (start, end) => {
    const name = keyText(body, start, end);
    if (name === null || !names.has(name)) return false;
    if (seen.has(name)) repeated = name;
    seen.add(name);
    return repeated !== null;
  });
  return repeated;
}

/**
 * Calls `visit` with the bounds (opening quote, just past the closing one) of each key of the
 * top-level object, in order, until it returns true. Nothing for a top-level array or scalar.
 */
function forEachTopLevelKey(body: Buffer, visit: (start: number, end: number) => boolean): void {
  let depth = 0;
  // The next string at depth 1 is a key: after the top-level object's `{` or one of its commas.
  let keyNext = false;
  let index = 0;
  while (index < body.length) {
    const code = body[index];
    if (code === quote) {
      const end = skipString(body, index);
      if (end === -1) return;
      if (keyNext && visit(index, end)) return;
      keyNext = false;
      index = end;
      continue;
    }
    if (code === 0x7b || code === 0x5b) {
      depth++;
      keyNext = depth === 1 && code === 0x7b;
      if (depth === 1 && code === 0x5b) return;
    } else if (code === 0x7d || code === 0x5d) depth--;
    else if (code === 0x2c && depth === 1) keyNext = true;
    index++;
  }
}

/** The text of the JSON string from `start` (its opening quote) to `end` (past its closing one); null if it does not decode. */
function keyText(body: Buffer, start: number, end: number): string | null {
  if (body.subarray(start, end).indexOf(backslash) === -1) return body.toString('utf8', start + 1, end - 1);
  try {
    return JSON.parse(body.toString('utf8', start, end)) as string;
  } catch {
    return null;
  }
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

/**
 * Replaces the value of the top-level "model" key, keeping every other byte (numbers beyond a
 * double's precision included, which a parse and serialize would round). Null when it cannot be
 * sure of the edit (findTopLevelModel).
 */
export function rewriteTopLevelModel(body: Buffer, model: string): Buffer | null {
  const member = findTopLevelModel(body);
  if (member === null) return null;
  return joined([body.subarray(0, member.valueStart), Buffer.from(JSON.stringify(model)), body.subarray(member.valueEnd)]);
}

/** Removes the top-level "model" member and the comma that joined it to the next (or the previous) one; null when it cannot be sure of the edit. */
export function removeTopLevelModel(body: Buffer): Buffer | null {
  const member = findTopLevelModel(body);
  if (member === null) return null;
  const after = skipSpace(body, member.valueEnd);
  if (body[after] === 0x2c) return joined([body.subarray(0, member.keyStart), body.subarray(skipSpace(body, after + 1))]);
  // The last member: the comma before it goes (none when it was the only one).
  let before = member.keyStart - 1;
  while (before > 0 && (body[before] === 0x20 || body[before] === 0x0a || body[before] === 0x0d || body[before] === 0x09)) before--;
  if (body[before] === 0x2c) return joined([body.subarray(0, before), body.subarray(member.valueEnd)]);
  return joined([body.subarray(0, member.keyStart), body.subarray(member.valueEnd)]);
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
