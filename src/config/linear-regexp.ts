import { createRequire } from 'node:module';
import type { RE2JS as RE2JSClass } from 're2js';

/**
 * Regular expressions the gateway runs on text it does not control — a JSON Schema `pattern` a
 * client sends with its request, a content rule's pattern matched against a client's header —
 * compiled for RE2 (re2js, pure JavaScript): matching takes time linear in the text, whatever the
 * pattern. V8's own engine backtracks: `^(a+)+$` against `aaaa…a!` doubles its time with every
 * character and stalls the event loop, every other caller's request with it.
 *
 * Patterns are written as ECMA-262 patterns (as JSON Schema and JavaScript users know them), must
 * be valid ones (the `u` flag), and are translated to RE2's syntax keeping ECMA's meaning of `.`,
 * `\s`, `[^]` and escapes. What RE2 cannot do in linear time is refused with a reason, never run
 * by a backtracking engine instead: lookahead (`(?=`, `(?!`), backreferences (`\1`, `\k<name>`),
 * a lookbehind with a capturing group, repetition counts over 1000 and Unicode properties RE2
 * does not know (binary properties such as `\p{Alphabetic}`).
 */

/** A compiled pattern: `test` searches anywhere in the text (JSON Schema's `pattern`), `testWhole` matches all of it. */
export interface LinearRegExp {
  test(text: string): boolean;
  testWhole(text: string): boolean;
  readonly source: string;
}

/** A pattern the gateway cannot run in linear time, or that is not a valid ECMA-262 pattern; the message reads after "the pattern". */
export class RegExpProblem extends Error {}

/** Said with every refused pattern. */
export const linearMatchingNote = 'the gateway matches patterns in linear time with RE2 (no lookahead, no backreferences)';

// re2js (about 1 MB of Unicode tables in memory) is loaded with the first pattern, not at start.
let re2js: typeof RE2JSClass | undefined;
function engine(): typeof RE2JSClass {
  re2js ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JSClass }).RE2JS;
  return re2js;
}

/**
 * A bound on the compiled program (RE2's own measure of a pattern's cost: about one instruction
 * per character matched, `x{100}` is 100). Matching is linear in the text times this at worst;
 * real patterns have tens to hundreds.
 */
export const maxProgramSize = 20_000;

// ECMA-262's \s: its White_Space and line terminators (RE2's \s is only [\t\n\f\r ]).
const whiteSpace = '\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
// ECMA-262's `.` without the s flag: anything but a line terminator.
const anyButLineTerminator = '[^\\n\\r\\x{2028}\\x{2029}]';
const everything = '\\x{0}-\\x{10ffff}';

// ECMA's long Unicode property names RE2 knows by their short ones.
const propertyNames: Record<string, string> = {
  Letter: 'L', Cased_Letter: 'L', Uppercase_Letter: 'Lu', Lowercase_Letter: 'Ll', Titlecase_Letter: 'Lt', Modifier_Letter: 'Lm', Other_Letter: 'Lo',
  Mark: 'M', Nonspacing_Mark: 'Mn', Spacing_Mark: 'Mc', Enclosing_Mark: 'Me',
  Number: 'N', Decimal_Number: 'Nd', digit: 'Nd', Letter_Number: 'Nl', Other_Number: 'No',
  Punctuation: 'P', punct: 'P', Connector_Punctuation: 'Pc', Dash_Punctuation: 'Pd', Open_Punctuation: 'Ps', Close_Punctuation: 'Pe', Initial_Punctuation: 'Pi', Final_Punctuation: 'Pf', Other_Punctuation: 'Po',
  Symbol: 'S', Math_Symbol: 'Sm', Currency_Symbol: 'Sc', Modifier_Symbol: 'Sk', Other_Symbol: 'So',
  Separator: 'Z', Space_Separator: 'Zs', Line_Separator: 'Zl', Paragraph_Separator: 'Zp',
  Other: 'C', Control: 'Cc', cntrl: 'Cc', Format: 'Cf', Unassigned: 'Cn', Private_Use: 'Co', Surrogate: 'Cs',
};

function unicodeProperty(body: string): string {
  const equals = body.indexOf('=');
  if (equals === -1) return propertyNames[body] ?? body;
  const [name, value] = [body.slice(0, equals), body.slice(equals + 1)];
  if (name === 'General_Category' || name === 'gc') return propertyNames[value] ?? value;
  // Script_Extensions is near enough to Script for a validation pattern; RE2 knows only scripts.
  if (name === 'Script' || name === 'sc' || name === 'Script_Extensions' || name === 'scx') return value;
  throw new RegExpProblem(`uses the Unicode property \\p{${body}}, which RE2 does not know`);
}

function hex(code: number): string {
  return `\\x{${code.toString(16)}}`;
}

/** ECMA-262 (u flag) syntax to RE2's, for a pattern that `new RegExp(pattern, 'u')` accepted. */
export function toRe2Syntax(pattern: string): string {
  let out = '';
  let inClass = false;
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index];
    if (char === '\\') {
      const next = pattern[index + 1];
      index += 2;
      if (next === 's') out += inClass ? whiteSpace : `[${whiteSpace}]`;
      else if (next === 'S') out += inClass ? '\\S' : `[^${whiteSpace}]`;
      else if (next === 'b' && inClass) out += '\\x{8}';
      else if (next === 'k' || (next >= '1' && next <= '9')) throw new RegExpProblem('uses a backreference');
      else if (next === '0') out += '\\x{0}';
      else if (next === 'c') out += hex(pattern.charCodeAt(index++) % 32);
      else if (next === 'x') {
        out += hex(Number.parseInt(pattern.slice(index, index + 2), 16));
        index += 2;
      } else if (next === 'u') {
        if (pattern[index] === '{') {
          const end = pattern.indexOf('}', index);
          out += hex(Number.parseInt(pattern.slice(index + 1, end), 16));
          index = end + 1;
        } else {
          let code = Number.parseInt(pattern.slice(index, index + 4), 16);
          index += 4;
          // \uD83D\uDE00: one code point written as its two UTF-16 halves.
          if (code >= 0xd800 && code <= 0xdbff && pattern.startsWith('\\u', index) && /^[dD][c-fC-F][0-9a-fA-F]{2}$/.test(pattern.slice(index + 2, index + 6))) {
            code = 0x10000 + ((code - 0xd800) << 10) + (Number.parseInt(pattern.slice(index + 2, index + 6), 16) - 0xdc00);
            index += 6;
          }
          out += hex(code);
        }
      } else if (next === 'p' || next === 'P') {
        const end = pattern.indexOf('}', index);
        out += `\\${next}{${unicodeProperty(pattern.slice(index + 1, end))}}`;
        index = end + 1;
      } else out += `\\${next}`;
      continue;
    }
    index++;
    if (inClass) {
      if (char === ']') inClass = false;
      // RE2 reads [:alpha:] inside a class as a POSIX class; ECMA reads the [ literally.
      out += char === '[' ? '\\[' : char;
    } else if (char === '[') {
      if (pattern.startsWith(']', index)) {
        out += `[^${everything}]`;
        index += 1;
      } else if (pattern.startsWith('^]', index)) {
        out += `[${everything}]`;
        index += 2;
      } else {
        inClass = true;
        out += char;
        if (pattern[index] === '^') out += pattern[index++];
      }
    } else if (char === '.') out += anyButLineTerminator;
    else if (char === '(' && pattern[index] === '?') {
      const kind = pattern.slice(index, index + 3);
      if (kind.startsWith('?=') || kind.startsWith('?!')) throw new RegExpProblem('uses lookahead ((?= or (?!)');
      if (kind === '?<=' || kind === '?<!') out += '(';
      else if (kind.startsWith('?<')) {
        out += '(?P';
        index += 1;
      } else out += '(';
    } else out += char;
  }
  return out;
}

/** RE2 flags a pattern may carry beside its syntax (the JavaScript flags i and m). */
export interface Re2Options {
  ignoreCase?: boolean;
  multiline?: boolean;
  /** What an invalid ECMA-262 pattern is called in the problem (after "the pattern"). */
  invalid?: string;
}

/**
 * Compiles a valid ECMA-262 pattern (u-flag syntax) for RE2, translated by toRe2Syntax; throws
 * RegExpProblem saying why it cannot be: not valid, not one RE2 runs in linear time, or a program
 * over maxProgramSize. Shared by every place that matches a pattern it does not control.
 */
export function compileRe2(pattern: string, options: Re2Options = {}): RE2JSClass {
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    throw new RegExpProblem(`${options.invalid ?? 'is not a valid regular expression'}: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  const RE2JS = engine();
  let compiled: RE2JSClass;
  try {
    compiled = RE2JS.compile(toRe2Syntax(pattern), RE2JS.LOOKBEHINDS | (options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (options.multiline ? RE2JS.MULTILINE : 0));
  } catch (error) {
    if (error instanceof RegExpProblem) throw error;
    throw new RegExpProblem(`is not one RE2 can run: ${(error as Error).message.replace(/^error parsing regexp: /, '')}`);
  }
  if (compiled.programSize() > maxProgramSize) throw new RegExpProblem(`is too large (${compiled.programSize()} RE2 instructions, at most ${maxProgramSize})`);
  return compiled;
}

/** Compiles an ECMA-262 pattern for linear-time matching; throws RegExpProblem saying why it cannot be. */
export function compileLinearRegExp(pattern: string): LinearRegExp {
  const compiled = compileRe2(pattern);
  return {
    source: pattern,
    test: (text) => compiled.test(text),
    testWhole: (text) => compiled.testExact(text),
  };
}

/** Why `compile` refuses a pattern (for config validation), or null when it takes it. */
export function patternProblem(compile: () => unknown): string | null {
  try {
    compile();
    return null;
  } catch (error) {
    if (error instanceof RegExpProblem) return `${error.message}; ${linearMatchingNote}`;
    throw error;
  }
}

/** Why a pattern cannot be compiled (for config validation), or null when it can. */
export function linearRegExpProblem(pattern: string): string | null {
  return patternProblem(() => compileLinearRegExp(pattern));
}
