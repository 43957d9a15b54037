import { compileRe2, patternProblem } from '../../config/linear-regexp.ts';

/**
 * A custom pattern from the config (`custom: [{ name, pattern, flags }]`) compiled for RE2
 * (re2js, as content-rules and output-validation run the operator's and the client's patterns,
 * src/config/linear-regexp.ts): it is matched against every text a client sends, and V8's
 * backtracking engine took seconds on 31 characters with `(\w+\s?)+X`, holding every other
 * request meanwhile. RE2's time is linear in the text whatever the pattern; what RE2 cannot run in
 * linear time (lookahead, backreferences, a lookbehind with a group, counts over 1000, a program of
 * more than 20,000 instructions) is a config problem, never run by V8 instead.
 *
 * Patterns are written as JavaScript patterns (with the config's flags i, m, s, u) and keep their
 * JavaScript meaning of `.`, `\s`, `[^]` and escapes; without the u flag, identity escapes (`\-`,
 * `\q`), `\p` and a `{` that starts no count stay literal, as JavaScript reads them.
 */

/** Where a pattern matched, by UTF-16 offsets of the text (as String.prototype.slice takes them). */
export interface PatternMatch {
  start: number;
  end: number;
  /** Group 1's span, or -1/-1 when the pattern has none or it did not take part. */
  groupStart: number;
  groupEnd: number;
}

export interface CustomPatternMatcher {
  readonly source: string;
  /** Calls `onMatch` for each non-empty match that starts at or after `from`, in text order, leftmost-first (as JavaScript's `exec` loop). */
  forEach(text: string, from: number, onMatch: (match: PatternMatch) => void): void;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

const knownEscapes = new Set('dDwWsSbBfnrtv0');
const syntaxCharacters = new Set('^$\\.*+?()[]{}|/');
/** Line terminators other than \n: JavaScript's `^` and `$` (m flag) stop at them, RE2's only at \n. */
const otherLineTerminators = /[\r\u2028\u2029]/g;
const countShape = /^\{\d+(?:,\d*)?\}/;

/**
 * The pattern in the u-flag syntax toRe2Syntax reads, with `.` written `[^]` under the s flag.
 * A pattern without the u flag is rewritten where its syntax means something else there.
 */
function asUnicodeSyntax(pattern: string, flags: string): string {
  const unicode = flags.includes('u');
  const dotAll = flags.includes('s');
  if (unicode && !dotAll) return pattern;
  const namedGroups = /\(\?<(?![=!])/.test(pattern);
  let out = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      index++;
      if (unicode || knownEscapes.has(next) || (next >= '1' && next <= '9') || (next === 'k' && namedGroups)) out += `\\${next}`;
      else if (next === 'c' && /[A-Za-z]/.test(pattern[index + 1] ?? '')) out += `\\c${pattern[++index]}`;
      else if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(pattern.slice(index + 1, index + 3))) out += '\\x';
      else if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(pattern.slice(index + 1, index + 5))) out += '\\u';
      // An identity escape: the character itself, escaped where the u flag wants it (syntax, `-` in a class).
      else if (syntaxCharacters.has(next) || (inClass && next === '-')) out += `\\${next}`;
      else out += next;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
    } else if (char === '[') {
      inClass = true;
      out += char;
      if (pattern[index + 1] === '^') out += pattern[++index];
      // `[]` and `[^]`: the `]` right after is no literal in JavaScript.
      if (pattern[index + 1] === ']') {
        out += ']';
        index++;
        inClass = false;
      }
    } else if (char === '.' && dotAll) out += '[^]';
    else if (!unicode && char === '{' && !countShape.test(pattern.slice(index))) out += '\\{';
    else if (!unicode && (char === '}' || char === ']')) {
      // A `}` that closes a count was copied with it below; a lone one is literal.
      out += `\\${char}`;
    } else if (!unicode && char === '{') {
      const count = countShape.exec(pattern.slice(index))![0];
      out += count;
      index += count.length - 1;
    } else out += char;
  }
  return out;
}

/**
 * Compiles a custom pattern for RE2; throws RegExpProblem saying why it cannot be. The pattern
 * must already be a valid JavaScript pattern with these flags (the config schema checks that).
 */
export function compileCustomPattern(pattern: string, flags = ''): CustomPatternMatcher {
  // The original is a valid JavaScript pattern: its rewriting failing the u syntax means RE2 cannot run it.
  const compiled = compileRe2(asUnicodeSyntax(pattern, flags), { ignoreCase: flags.includes('i'), multiline: flags.includes('m'), invalid: 'is not one RE2 can run' });
  const hasGroup = compiled.groupCount() > 0;
  // With the m flag, RE2 reads them as \n so `^`/`$` see a CRLF line end (same length: offsets hold).
  const multiline = flags.includes('m');
  return {
    source: pattern,
    forEach(text, from, onMatch) {
      if (from >= text.length) return;
      const matcher = compiled.matcher(multiline ? text.replace(otherLineTerminators, '\n') : text);
      // re2js reports UTF-16 offsets of a string input; the search sees the text before `from` (lookbehind, \b, ^).
      // A search begun inside a surrogate pair would match its low half alone: begin after the pair
      // (a JavaScript u regex backs up to the pair's start, before `from`, so reported nothing there).
      const insidePair = from > 0 && isLowSurrogate(text.charCodeAt(from)) && isHighSurrogate(text.charCodeAt(from - 1));
      let position = insidePair ? from + 1 : from;
      while (position <= text.length && matcher.find(position)) {
        const start = matcher.start();
        const end = matcher.end();
        if (end > start) onMatch({ start, end, groupStart: hasGroup ? matcher.start(1) : -1, groupEnd: hasGroup ? matcher.end(1) : -1 });
        // After an empty match, on by one character (both halves of a surrogate pair).
        position = end > start ? end : end + (end < text.length - 1 && isHighSurrogate(text.charCodeAt(end)) ? 2 : 1);
      }
    },
  };
}

/** Why a custom pattern cannot run (for config validation), or null when it can. */
export function customPatternProblem(pattern: string, flags = ''): string | null {
  return patternProblem(() => compileCustomPattern(pattern, flags));
}
