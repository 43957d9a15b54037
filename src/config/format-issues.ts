import { closestName } from './closest-name.ts';
import { maskProblemSecrets } from './mask-problem-secrets.ts';
import { isSecretName } from './secret-names.ts';
import type { z } from 'zod';

/** Renders a path like providers.local.base_url or routes[1].match.model. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/** A union branch the value was plainly not meant for: its only complaint is the value's type. */
function wrongShape(branch: ReadonlyArray<z.core.$ZodIssue>): boolean {
  return branch.every((issue) => issue.code === 'invalid_type' && issue.path.length === 0);
}

/** What is said after a problem about the value at a path (where the value came from), or ''. */
export type ProblemNote = (path: ReadonlyArray<PropertyKey>) => string;

/**
 * What a config problem may say besides zod's issue, each by the problem's whole path (prefix
 * included): `note` (load-config.ts: the environment variable the value came from), `valueAt` (the
 * value as checked, so the problem can quote it: `got "ten"`; `found: false` where there is none)
 * and `knownFields` (the fields the object at a path takes, for an unknown field's "did you mean").
 */
export interface ProblemContext {
  note?: ProblemNote;
  valueAt?: (path: ReadonlyArray<PropertyKey>) => { found: boolean; value?: unknown };
  knownFields?: (path: ReadonlyArray<PropertyKey>) => string[] | null;
}

/** Longest value quoted in a problem; a longer one is cut (a pasted prompt, a whole PEM key). */
const longestQuoted = 80;

/** The value as a problem quotes it: `"ten"`, `-1`, `null (an empty value)`, `a list`. */
function quoted(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > longestQuoted ? `${value.slice(0, longestQuoted)}…` : value);
  if (value === null) return 'nothing (an empty value)';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list (- ...)';
  if (typeof value === 'object') return 'a mapping (name: value, ...)';
  return String(value);
}

/** zod's names of types, as the config's problems say them. */
const typeNames: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  object: 'a mapping (name: value, ...)',
  array: 'a list (- ...)',
  record: 'a mapping (name: value, ...)',
  literal: 'a fixed value',
};

/**
 * zod's own English for a problem (`Invalid input: expected number, received string`), recognised
 * so it can be said in the config's words with the value it got; a schema's own message (most of
 * the config's, which already quote what they need) is kept as written.
 */
const defaultMessages: Partial<Record<z.core.$ZodIssue['code'], RegExp>> = {
  invalid_type: /^Invalid input: expected /,
  invalid_value: /^Invalid (option|input): expected /,
  too_small: /^Too small: /,
  too_big: /^Too big: /,
  invalid_format: /^Invalid [a-zA-Z0-9 ]+(:|$)/,
};

/** `at least 1 item`, `at most 64 characters`, `>= 0`. */
function bound(issue: z.core.$ZodIssue & { code: 'too_small' | 'too_big' }): string {
  const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'string' || issue.origin === 'array' || issue.origin === 'set') {
    const count = issue.code === 'too_small' ? (inclusive ? limit : limit + 1) : inclusive ? limit : limit - 1;
    const unit = issue.origin === 'string' ? 'character' : 'item';
    return `${issue.code === 'too_small' ? 'at least' : 'at most'} ${count} ${unit}${count === 1 ? '' : 's'}`;
  }
  const sign = issue.code === 'too_small' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return `a number ${sign} ${limit}`;
}

/**
 * The problem in the config's words, with the value it got. `found`: the value's place could be
 * looked at (its value undefined: the field is missing); `secret`: the path names a secret, whose
 * value is not quoted.
 */
function plainMessage(issue: z.core.$ZodIssue, value: { found: boolean; value?: unknown; secret: boolean }): string {
  const missing = value.found && value.value === undefined;
  const got = !value.found || missing ? '' : value.secret ? ', got a value not quoted here (the field may hold a secret)' : `, got ${quoted(value.value)}`;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeNames[issue.expected] ?? issue.expected;
      return missing ? `missing: expected ${expected}` : `expected ${expected}${got}`;
    }
    case 'invalid_value': {
      const choices = issue.values.map((choice) => JSON.stringify(choice));
      const expected = choices.length === 1 ? choices[0] : `one of ${choices.join(', ')}`;
      if (missing) return `missing: expected ${expected}`;
      const meant = value.found && !value.secret && typeof value.value === 'string' ? closestName(value.value, issue.values.filter((choice): choice is string => typeof choice === 'string')) : null;
      return `expected ${expected}${got}${meant === null ? '' : ` (did you mean ${JSON.stringify(meant)}?)`}`;
    }
    case 'too_small':
    case 'too_big': {
      const size = Array.isArray(value.value) ? `, got ${value.value.length === 0 ? 'an empty list' : `${value.value.length} item${value.value.length === 1 ? '' : 's'}`}` : got;
      return `expected ${bound(issue)}${size}`;
    }
    default:
      return `${issue.message}${got}`;
  }
}

/** zod's own words for a type mismatch, where the config has plainer ones. */
function messageOf(issue: z.core.$ZodIssue, fullPath: ReadonlyArray<PropertyKey>, context: ProblemContext): string {
  // A record is what YAML calls a mapping; `providers:` written as a list was "expected record, received array".
  if (issue.code === 'invalid_type' && issue.expected === 'record') return /received array/.test(issue.message) ? 'expected a mapping (name: value, ...), got a list (- ...)' : 'expected a mapping (name: value, ...)';
  const zodWords = defaultMessages[issue.code];
  if (context.valueAt === undefined || zodWords === undefined || !zodWords.test(issue.message)) return issue.message;
  const secret = fullPath.some((part) => typeof part === 'string' && isSecretName(part));
  return plainMessage(issue, { ...context.valueAt(fullPath), secret });
}

/** `unknown field "hots" (did you mean "host"?)`, or the fields the object takes when none is close. */
function unknownFields(keys: ReadonlyArray<string>, path: string, known: string[] | null): string[] {
  if (known === null) return [`${path}: unknown field${keys.length > 1 ? 's' : ''} ${keys.map((key) => JSON.stringify(key)).join(', ')}`];
  return keys.map((key) => {
    const meant = closestName(key, known);
    return `${path}: unknown field ${JSON.stringify(key)} ${meant === null ? `(known: ${known.join(', ')})` : `(did you mean ${JSON.stringify(meant)}?)`}`;
  });
}

/**
 * One line per problem: `providers.local.base_url: expected a URL, got "localhost"`. When a
 * value fits none of a union's shapes but has the shape of exactly one (a list where a list or a
 * record is allowed), that shape's own problems are shown instead of zod's bare "Invalid input";
 * a refused record key gets its own problem rather than "Invalid key in record". With a
 * `context` (load-config.ts), zod's own English is said plainly with the value it got, an unknown
 * field gets a "did you mean" (or the known fields), and `note` adds what the value's path needs said.
 * `context` may be a ProblemNote alone, as earlier callers pass it.
 */
export function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>, prefix: ReadonlyArray<PropertyKey> = [], context: ProblemContext | ProblemNote = {}): string[] {
  const options: ProblemContext = typeof context === 'function' ? { note: context } : context;
  return issues.flatMap((issue) => {
    if (issue.code === 'invalid_union') {
      const meant = issue.errors.filter((branch) => !wrongShape(branch));
      if (meant.length === 1) return formatIssues(meant[0], [...prefix, ...issue.path], options);
    }
    const fullPath = [...prefix, ...issue.path];
    const path = formatPath(fullPath);
    if (issue.code === 'unrecognized_keys') return unknownFields(issue.keys, path, options.knownFields?.(fullPath) ?? null);
    if (issue.code === 'invalid_key') return `${path}: ${issue.issues.map((keyIssue) => keyIssue.message).join('; ')}`;
    return `${path}: ${messageOf(issue, fullPath, options)}${options.note?.(fullPath) ?? ''}`;
  });
}

/** A configuration that cannot be used; `problems` has one line per mistake. */
export class ConfigError extends Error {
  readonly problems: string[];
  /** `problems` as they are shown and logged: secrets a quoted value or line carries are masked (mask-problem-secrets.ts). */
  constructor(source: string, problems: string[]) {
    const masked = problems.map(maskProblemSecrets);
    super(`Invalid configuration in ${source}:\n  - ${masked.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = masked;
  }
}
