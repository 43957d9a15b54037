/**
 * The classifier's view of a text: hashed word unigrams, word bigrams and character 3- to 5-grams
 * inside words (with a boundary mark at each end), counted, log-scaled (1 + ln count) and scaled to
 * unit length. Hashing keeps the model a fixed-size array of weights, whatever the vocabulary.
 */

/** 2^18 weights: fewer collide the n-grams of the training texts; more gain nothing measurable. */
export const featureBits = 18;
const featureMask = (1 << featureBits) - 1;

/** One text's features: the hashed indices that occur and their values (unit length overall). */
export interface FeatureVector {
  indices: Int32Array;
  values: Float32Array;
}

const wordPattern = /[\p{L}\p{N}]+/gu;

/** The words of a text, lower-cased: runs of letters and digits (a Chinese sentence is one run). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(wordPattern) ?? [];
}

const wordSeed = 0x811c9dc5;
const characterSeed = 0x2f6b1d3d;
const bigramSeed = 0x5bd1e995;
const roleSeed = 0x27d4eb2f;
const boundary = 0x20;

function step(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193) >>> 0;
}

/** MurmurHash3's finalizer: spreads FNV's weak low bits before the mask. */
function finish(hash: number): number {
  let mixed = hash ^ (hash >>> 16);
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) & featureMask;
}

// One accumulator for every call (the process is single-threaded): counts by index, and the
// indices touched, so a call clears only what it set.
const counts = new Float32Array(1 << featureBits);
let touched = new Int32Array(4096);
let touchedCount = 0;

function add(index: number): void {
  if (counts[index] === 0) {
    if (touchedCount === touched.length) {
      const grown = new Int32Array(touched.length * 2);
      grown.set(touched);
      touched = grown;
    }
    touched[touchedCount++] = index;
  }
  counts[index]! += 1;
}

/**
 * A text's words with their hashed features, worked out once for every window read from it (the
 * classifier reads a long text whole and in overlapping windows: hashing each word again per
 * window was most of its cost). For word i: its own and its character n-grams' indices are
 * `grams[gramStarts[i], gramStarts[i + 1])`, and `bigrams[i]` pairs it with word i - 1.
 */
export interface PreparedWords {
  readonly length: number;
  readonly grams: Int32Array;
  readonly gramStarts: Int32Array;
  readonly bigrams: Int32Array;
}

let gramBuffer = new Int32Array(1 << 14);

/** Hashes every word of `words` once (see PreparedWords). */
export function prepareWords(words: readonly string[]): PreparedWords {
  const gramStarts = new Int32Array(words.length + 1);
  const bigrams = new Int32Array(words.length);
  let count = 0;
  let previous = 0;
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    // The word and its n-grams of " word ": at most 1 + 3 per position.
    if (count + 3 * word.length + 8 > gramBuffer.length) {
      const grown = new Int32Array(Math.max(gramBuffer.length * 2, count + 3 * word.length + 8));
      grown.set(gramBuffer.subarray(0, count));
      gramBuffer = grown;
    }
    gramStarts[index] = count;
    let hash = wordSeed;
    for (let at = 0; at < word.length; at++) hash = step(hash, word.charCodeAt(at));
    gramBuffer[count++] = finish(hash);
    // Character n-grams of " word ": positions -1 and word.length are the boundary mark.
    const last = word.length;
    for (let start = -1; start < last - 1; start++) {
      let gram = characterSeed;
      for (let position = start; position <= start + 4 && position <= last; position++) {
        gram = step(gram, position < 0 || position === last ? boundary : word.charCodeAt(position));
        if (position - start >= 2) gramBuffer[count++] = finish(gram);
      }
    }
    if (index > 0) bigrams[index] = finish(Math.imul(previous ^ bigramSeed, 0x9e3779b1) ^ hash);
    previous = hash;
  }
  gramStarts[words.length] = count;
  return { length: words.length, grams: gramBuffer.slice(0, count), gramStarts, bigrams };
}

/** The features of `words[from, to)`, and of the message's role when it is not the user's. */
export function featuresOf(words: readonly string[], from = 0, to = words.length, role = 'user'): FeatureVector {
  return windowFeatures(prepareWords(words.slice(from, to)), 0, to - from, role);
}

/** Counts the features of the prepared words `[from, to)` (and the role's) into `counts`, their indices into `touched`. */
function countWindow(prepared: PreparedWords, from: number, to: number, role: string): void {
  touchedCount = 0;
  const { grams, gramStarts, bigrams } = prepared;
  for (let index = from; index < to; index++) {
    for (let at = gramStarts[index]!; at < gramStarts[index + 1]!; at++) add(grams[at]!);
    if (index > from) add(bigrams[index]!);
  }
  if (role !== 'user') {
    let hash = roleSeed;
    for (let index = 0; index < role.length; index++) hash = step(hash, role.charCodeAt(index));
    add(finish(hash));
  }
}

// 1 + ln(count) for the counts most features have: a table lookup, the same number.
const logTable = Float64Array.from({ length: 256 }, (_, count) => (count === 0 ? 0 : 1 + Math.log(count)));

function logScaled(count: number): number {
  return count < 256 ? logTable[count]! : 1 + Math.log(count);
}

/** The features of the prepared words `[from, to)`, as `featuresOf` gives them for those words. */
export function windowFeatures(prepared: PreparedWords, from = 0, to = prepared.length, role = 'user'): FeatureVector {
  countWindow(prepared, from, to, role);
  const indices = touched.slice(0, touchedCount);
  const values = new Float32Array(touchedCount);
  let squares = 0;
  for (let index = 0; index < touchedCount; index++) {
    const value = logScaled(counts[indices[index]!]!);
    values[index] = value;
    squares += value * value;
    counts[indices[index]!] = 0;
  }
  const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
  for (let index = 0; index < touchedCount; index++) values[index]! *= scale;
  return { indices, values };
}

/** A role adapter's weights (linear-model.ts): 2^16, indexed by a second hash of each feature. */
export const adapterBits = 16;

/** Where feature `index` (0 to 2^18 - 1) sits in a role adapter's weights: the top bits of a multiplicative hash. */
export function adapterIndex(index: number): number {
  return Math.imul(index + 1, 0x9e3779b1) >>> (32 - adapterBits);
}

/**
 * Σ weights[i] · value_i over the features of the prepared words `[from, to)`: the sum a linear
 * model takes of `windowFeatures(…)`, to the last bit (the same values, rounded to 32 bits as
 * the vector stores them, added in the same order), without building the vector: the classifier
 * reads a long text in many windows, and a vector for each was garbage to collect. With
 * `adapter`, the same values are also summed over its weights, into `adapter.sum`.
 */
export function weightedSum(prepared: PreparedWords, from: number, to: number, role: string, weights: Int8Array, adapter?: { weights: Int8Array; sum: number }): number {
  countWindow(prepared, from, to, role);
  let squares = 0;
  for (let index = 0; index < touchedCount; index++) {
    const value = logScaled(counts[touched[index]!]!);
    squares += value * value;
  }
  const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
  let sum = 0;
  let adapted = 0;
  for (let index = 0; index < touchedCount; index++) {
    const feature = touched[index]!;
    const value = Math.fround(Math.fround(logScaled(counts[feature]!)) * scale);
    sum += weights[feature]! * value;
    if (adapter !== undefined) adapted += adapter.weights[adapterIndex(feature)]! * value;
    counts[feature] = 0;
  }
  if (adapter !== undefined) adapter.sum = adapted;
  return sum;
}
