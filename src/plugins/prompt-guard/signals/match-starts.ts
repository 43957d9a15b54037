/**
 * The literal texts one of which every match of a pattern begins with, read from its source:
 * "\b(?:ignore|disregard) (?:all|the)" begins with "ignore" or "disregard". With them a pattern is
 * tried only where one of them occurs (keyword-index.ts finds where, in one walk of the text),
 * instead of at every position of the text: in a long text most of the patterns' cost was
 * failing at positions where no match could begin (README, "Speed").
 *
 * The reading is conservative: a source whose start it cannot vouch for (a character class, a
 * wildcard, an optional group, an escape other than a punctuation mark) gives null, and the
 * pattern is searched as before. Zero-width assertions before the literal (\b, ^, look-arounds)
 * are stepped over: the match still begins at the literal.
 */

const syntax = new Set(['\\', '(', ')', '[', ']', '{', '}', '?', '*', '+', '|', '.', '^', '$']);

/** The index just after the group that opens at `open` (a '('), skipping escapes and classes. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  for (let index = open; index < source.length; index++) {
    const character = source[index];
    if (character === '\\') index++;
    else if (character === '[') {
      for (index++; index < source.length && source[index] !== ']'; index++) if (source[index] === '\\') index++;
    } else if (character === '(') depth++;
    else if (character === ')' && --depth === 0) return index + 1;
  }
  return -1;
}

/** Whether a quantifier at `index` may repeat what precedes it zero times. */
function optional(source: string, index: number): boolean {
  const next = source[index];
  return next === '?' || next === '*' || (next === '{' && /^\{0[,}]/.test(source.slice(index, index + 3)));
}

/** Where the alternative starting at `index` ends: the next top-level '|' or ')' (or the end). */
function alternativeEnd(source: string, index: number): number {
  for (let at = index; at < source.length; at++) {
    const character = source[at];
    if (character === '\\') at++;
    else if (character === '[') {
      for (at++; at < source.length && source[at] !== ']'; at++) if (source[at] === '\\') at++;
    } else if (character === '(') at = groupEnd(source, at) - 1;
    else if (character === '|' || character === ')') return at;
  }
  return source.length;
}

/** The literal starts of the alternatives from `index` to the group's end, or null. */
function alternationStarts(source: string, index: number): string[] | null {
  const starts: string[] = [];
  for (let at = index; ; ) {
    const found = sequenceStarts(source, at);
    if (found === null) return null;
    starts.push(...found);
    const end = alternativeEnd(source, at);
    if (end >= source.length || source[end] === ')') return starts;
    at = end + 1;
  }
}

/** The literal starts of the sequence at `index`, or null. */
function sequenceStarts(source: string, index: number): string[] | null {
  let at = index;
  for (;;) {
    if (source.startsWith('\\b', at) || source.startsWith('\\B', at)) {
      at += 2;
      continue;
    }
    if (source[at] === '^') {
      at++;
      continue;
    }
    if (/^\(\?<?[=!]/.test(source.slice(at, at + 4))) {
      const end = groupEnd(source, at);
      if (end === -1) return null;
      at = end;
      continue;
    }
    break;
  }
  if (source[at] === '(') {
    const end = groupEnd(source, at);
    if (end === -1) return null;
    const inner = /^\(\?(?:<[A-Za-z_$][\w$]*>|[a-z]*-?[a-z]*:)/.exec(source.slice(at, at + 40));
    const starts = alternationStarts(source, at + (inner === null ? 1 : inner[0].length));
    if (starts === null || !optional(source, end)) return starts;
    // "(?:the )?first": the group's starts or what follows it.
    const quantifier = /^(?:\?|\*|\{0(?:,\d*)?\})\??/.exec(source.slice(end, end + 12));
    const after = quantifier === null ? null : sequenceStarts(source, end + quantifier[0].length);
    return after === null ? null : [...starts, ...after];
  }
  let literal = '';
  while (at < source.length) {
    let character = source[at]!;
    let width = 1;
    if (character === '\\') {
      const escaped = source[at + 1] ?? '';
      // A punctuation mark escaped is itself; a letter or digit escaped is a class or a code.
      if (escaped === '' || /[\p{L}\p{N}]/u.test(escaped)) break;
      character = escaped;
      width = 2;
    } else if (syntax.has(character)) break;
    if (optional(source, at + width)) break;
    literal += character;
    at += width;
    if (source[at] === '+' || source[at] === '{') break;
  }
  return literal.length > 0 ? [literal.toLowerCase()] : null;
}

const known = new WeakMap<RegExp, readonly string[] | null>();

/** The lower-cased literals one of which every match of `pattern` begins with, or null when its source does not show them. */
export function matchStarts(pattern: RegExp): readonly string[] | null {
  let starts = known.get(pattern);
  if (starts === undefined) {
    const found = alternationStarts(pattern.source, 0);
    starts = found === null || found.some((start) => start.length === 0) ? null : [...new Set(found)];
    known.set(pattern, starts);
  }
  return starts;
}
