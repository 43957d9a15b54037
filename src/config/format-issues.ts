import { maskProblemSecrets } from './mask-problem-secrets.ts';
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

/** zod's own words for a type mismatch, where the config has plainer ones. */
function messageOf(issue: z.core.$ZodIssue): string {
  // A record is what YAML calls a mapping; `providers:` written as a list was "expected record, received array".
  if (issue.code === 'invalid_type' && issue.expected === 'record') return /received array/.test(issue.message) ? 'expected a mapping (name: value, ...), got a list (- ...)' : 'expected a mapping (name: value, ...)';
  return issue.message;
}

/**
 * One line per problem: `providers.local.base_url: expected a URL, got "localhost"`. When a
 * value fits none of a union's shapes but has the shape of exactly one (a list where a list or a
 * record is allowed), that shape's own problems are shown instead of zod's bare "Invalid input";
 * a refused record key gets its own problem rather than "Invalid key in record". `note` adds what
 * the value at a path needs said (load-config.ts: the environment variable it came from).
 */
export function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>, prefix: ReadonlyArray<PropertyKey> = [], note?: ProblemNote): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'invalid_union') {
      const meant = issue.errors.filter((branch) => !wrongShape(branch));
      if (meant.length === 1) return formatIssues(meant[0], [...prefix, ...issue.path], note);
    }
    const fullPath = [...prefix, ...issue.path];
    const path = formatPath(fullPath);
    if (issue.code === 'unrecognized_keys') return `${path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    if (issue.code === 'invalid_key') return `${path}: ${issue.issues.map((keyIssue) => keyIssue.message).join('; ')}`;
    return `${path}: ${messageOf(issue)}${note?.(fullPath) ?? ''}`;
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
