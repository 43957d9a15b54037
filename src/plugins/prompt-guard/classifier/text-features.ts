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

function addWord(word: string): number {
  let hash = wordSeed;
  for (let index = 0; index < word.length; index++) hash = step(hash, word.charCodeAt(index));
  add(finish(hash));
  // Character n-grams of " word ": positions -1 and word.length are the boundary mark.
  const last = word.length;
  for (let start = -1; start < last - 1; start++) {
    let gram = characterSeed;
    for (let position = start; position <= start + 4 && position <= last; position++) {
      gram = step(gram, position < 0 || position === last ? boundary : word.charCodeAt(position));
      if (position - start >= 2) add(finish(gram));
    }
  }
  return hash;
}

/** The features of `words[from, to)`, and of the message's role when it is not the user's. */
export function featuresOf(words: readonly string[], from = 0, to = words.length, role = 'user'): FeatureVector {
  touchedCount = 0;
  let previous = 0;
  for (let index = from; index < to; index++) {
    const hash = addWord(words[index]!);
    if (index > from) add(finish(Math.imul(previous ^ bigramSeed, 0x9e3779b1) ^ hash));
    previous = hash;
  }
  if (role !== 'user') {
    let hash = roleSeed;
    for (let index = 0; index < role.length; index++) hash = step(hash, role.charCodeAt(index));
    add(finish(hash));
  }
  const indices = touched.slice(0, touchedCount);
  const values = new Float32Array(touchedCount);
  let squares = 0;
  for (let index = 0; index < touchedCount; index++) {
    const value = 1 + Math.log(counts[indices[index]!]!);
    values[index] = value;
    squares += value * value;
    counts[indices[index]!] = 0;
  }
  const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
  for (let index = 0; index < touchedCount; index++) values[index]! *= scale;
  return { indices, values };
}
