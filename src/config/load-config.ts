import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseDocument, type YAMLError } from 'yaml';
import { configSchema, type TollgateConfig } from './schema.ts';
import { substituteEnv } from './substitute-env.ts';
import { ConfigError, formatIssues } from './format-issues.ts';
import { environmentNote } from './environment-note.ts';
import { fieldsAt } from './known-fields.ts';
import { pluginSettingsProblems } from './plugin-settings-problems.ts';
import { valueAt } from './value-at.ts';
import { providerEntryProblems, type ProviderEntryFields } from '../providers/provider-entry-problems.ts';
import { providerDefinitions } from '../providers/registry.ts';
import { pluginDefinitions } from '../plugins/registry.ts';

export interface LoadedConfig {
  config: TollgateConfig;
  /** Where it came from: a file path, or "(embedded defaults)". */
  source: string;
  /** Environment variables referenced without a value or default. */
  missingEnv: string[];
}

/** An unquoted `${...}` (env reference) on a line: a plain scalar in block style, but a syntax error inside `{ }` or `[ ]`. */
const unquotedEnvReference = /(^|[\s{[,:])\$\{[A-Za-z_]/;

/** `key: value` in block style whose plain value has a colon in it (`storage: sqlite::memory:`): YAML reads a second mapping. */
const unquotedColonValue = /^(\s*(?:-\s+)?)([A-Za-z0-9_.-]+):\s+([^\s"'{[|>&*!#%@`][^#]*)$/;

/**
 * One YAML syntax error, as a person needs it: the first one (the parser's later errors are
 * nearly always its confusion after the first: one unquoted `${PORT}` in a flow map gave 400
 * lines), with the line and a caret under the spot, and the usual cause when it is an env
 * reference or a value with a colon that must be quoted.
 */
function yamlProblem(text: string, errors: ReadonlyArray<YAMLError>): string {
  const first = errors[0];
  const [headline, ...context] = first.message.split('\n');
  const lineNumber = first.linePos?.[0].line;
  const line = lineNumber === undefined ? '' : (text.split(/\r?\n/)[lineNumber - 1] ?? '');
  const shown = context.filter((part) => part.trim() !== '').map((part) => `      ${part}`);
  let problem = `YAML: ${headline.replace(/:$/, '')}`;
  if (shown.length > 0) problem += `\n${shown.join('\n')}`;
  if (unquotedEnvReference.test(line) && /[{[]/.test(line)) {
    const reference = /\$\{[^}]*\}/.exec(line)?.[0] ?? '${PORT:-8000}';
    problem += `\n    An environment reference inside { } or [ ] must be quoted: write "${reference}", not ${reference}.`;
  }
  const colonValue = unquotedColonValue.exec(line);
  if (colonValue !== null && /:(\s|$)/.test(colonValue[3].trimEnd())) {
    problem += `\n    A value that holds ": " or ends with ":" must be quoted: write ${colonValue[2]}: "${colonValue[3].trimEnd()}".`;
  }
  if (errors.length > 1) problem += `\n    (${errors.length - 1} more YAML error${errors.length > 2 ? 's' : ''} after this one, most likely caused by it: fix it first.)`;
  return problem;
}

/**
 * What the provider registry says of the `providers:` entries (an unknown type, options the type
 * does not read, a missing required base_url): reported with the schema's problems rather than
 * only once those are fixed, and before anything is built, so a mistyped `type: antropic` is
 * its one problem, not the first of a "no provider named anthropic" for every model group, route
 * and fallback that names the provider. planProviders checks the same when providers are built.
 */
function providerEntriesProblems(document: unknown): string[] {
  const providers = (document as { providers?: unknown } | null)?.providers;
  if (providers === null || typeof providers !== 'object' || Array.isArray(providers)) return [];
  return Object.entries(providers as Record<string, unknown>).flatMap(([name, entry]) => {
    const fields = entry as Partial<Record<keyof ProviderEntryFields, unknown>> | null;
    if (fields === null || typeof fields !== 'object' || typeof fields.type !== 'string' || fields.type === '') return [];
    const options = fields.options !== null && typeof fields.options === 'object' ? (fields.options as Record<string, unknown>) : undefined;
    // A base_url of the wrong type is the schema's problem; here only whether one is there.
    const baseUrl = fields.base_url === undefined ? undefined : String(fields.base_url);
    return providerEntryProblems(name, { type: fields.type, base_url: baseUrl, options }, providerDefinitions);
  });
}

/**
 * A config file with nothing in it (empty, blank or only comments) is refused: it is far more
 * often a write caught half-way (`tool > tollgate.yaml` that failed, a truncating copy) than a
 * wish for the defaults, and taking it on a reload would drop key-auth and turn zero-config back
 * on. `{}` asks for the defaults.
 */
const emptyFileProblem = '(root): the file is empty (or holds only comments); write {} to run on the defaults';

/**
 * Parses and validates configuration text; throws ConfigError naming every problem.
 * `refuseEmpty`: text with no content is a problem (config files) rather than the defaults.
 */
export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env, options: { refuseEmpty?: boolean } = {}): LoadedConfig {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw new ConfigError(source, [yamlProblem(text, document.errors)]);
  const content = document.toJS();
  if (options.refuseEmpty && (content === null || content === undefined)) throw new ConfigError(source, [emptyFileProblem]);
  const raw = content ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(source, ['(root): expected a mapping of sections (server, providers, models, ...)']);
  const missingEnv: string[] = [];
  const substituted = substituteEnv(raw, env, missingEnv);
  const result = configSchema.safeParse(substituted);
  const note = environmentNote(raw, env);
  const schemaProblems = result.success ? [] : formatIssues(result.error.issues, [], { note, valueAt: (path) => valueAt(substituted, path), knownFields: (path) => fieldsAt(configSchema, path) });
  // Checked with the schema, so one pass reports them all; what needs a valid file (references between sections, credentials) follows once it is.
  const problems = [...schemaProblems, ...providerEntriesProblems(substituted), ...pluginSettingsProblems(substituted, pluginDefinitions, note)];
  if (!result.success || problems.length > 0) throw new ConfigError(source, problems);
  return { config: result.data, source, missingEnv: [...new Set(missingEnv)] };
}

/** What a file that cannot be read is, in words (`no such file: /etc/tollgate/tollgate.yaml`) rather than an errno. */
function unreadable(path: string, error: NodeJS.ErrnoException): string {
  const where = resolve(path);
  if (error.code === 'ENOENT') return `no such file: ${where}`;
  if (error.code === 'EISDIR') return `${where} is a folder, not a config file`;
  if (error.code === 'EACCES' || error.code === 'EPERM') return `cannot read ${where}: permission denied`;
  return `cannot read ${where}: ${error.code ?? error.message}`;
}

/** Reads, parses and validates a YAML config file. */
export async function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [unreadable(path, error as NodeJS.ErrnoException)]);
  }
  return parseConfig(text, path, env, { refuseEmpty: true });
}
