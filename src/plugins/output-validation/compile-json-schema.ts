import { createRequire } from 'node:module';
import type { Ajv, CodeOptions, ErrorObject, Options, ValidateFunction } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';
import { compileLinearRegExp, linearMatchingNote, RegExpProblem } from '../../config/linear-regexp.ts';
import { DeadlineExceeded, runWithDeadline } from './run-with-deadline.ts';

/**
 * JSON Schemas compiled with ajv so that neither the schema nor the data can take the gateway's
 * thread for long: a request's `response_format` schema is the client's, and the answer it is
 * checked against is the model's (which a client steers). Three things make that hold:
 *
 * - every `pattern` and `patternProperties` runs in RE2 (src/config/linear-regexp.ts), never in
 *   V8's backtracking engine; a pattern RE2 cannot run is a SchemaProblem naming where it is;
 * - compiling and checking run with a time limit (run-with-deadline.ts): ajv's compile time grows
 *   with the square of a schema's properties, and combinators over `$ref`s (`anyOf` of two refs to
 *   the next level, twenty levels) take exponential time on an answer as short as `1`;
 * - each schema has an ajv instance of its own, dropped with it: one shared instance keeps every
 *   schema it compiled (and their `$id`s, which one client could then `$ref` in another's schema)
 *   for the life of the process. `inlineRefs` is bounded, so a large definition referenced a
 *   thousand times is one function, not a thousand copies (unbounded, that runs out of memory).
 *
 * The draft is the schema's `$schema` (draft-07, 2019-09 or 2020-12; another is a SchemaProblem),
 * else 2020-12 — or draft-07 when the schema uses what only draft-07 has (`items` as an array,
 * `additionalItems`, `dependencies`), so older schemas keep their meaning. Formats are ajv-formats'
 * (email, date-time, uri, uuid, ipv4, …); an unknown format, like any keyword ajv does not know
 * (OpenAI's extras), is ignored, as JSON Schema says of unknown keywords.
 */

/** Why a schema is not compiled: `unsupported` (a pattern RE2 cannot run), `invalid`, or `too-costly` (compiling it took too long). */
export class SchemaProblem extends Error {
  readonly kind: 'unsupported' | 'invalid' | 'too-costly';

  constructor(kind: SchemaProblem['kind'], message: string) {
    super(message);
    this.kind = kind;
  }
}

/** A check that could not finish: it ran out of time, or the answer nests too deeply for the validator. */
export class CheckStopped extends Error {}

export interface SchemaLimits {
  /** Most milliseconds compiling one schema may take. */
  compileMs: number;
  /** Most milliseconds checking one value may take. */
  checkMs: number;
  /** Fill in `default`s while checking (a prompt API's input). */
  useDefaults?: boolean;
}

/** A compiled schema. */
export interface CompiledSchema {
  readonly schema: Record<string, unknown>;
  /** null when the value matches, else ajv's errors; throws CheckStopped past the time limit. */
  errorsFor(value: unknown): ErrorObject[] | null;
}

type Draft = 'draft-07' | '2019-09' | '2020-12';
type RegExpEngine = NonNullable<CodeOptions['regExp']>;
type AjvClass = new (options: Options) => Ajv;

const load = createRequire(import.meta.url);
// ajv, its drafts and ajv-formats are loaded with the first schema, not at start: most gateways
// compile none (output-validation off, no prompt APIs).
const classes: Partial<Record<Draft, AjvClass>> = {};
const classModules: Record<Draft, [string, string]> = { 'draft-07': ['ajv', 'Ajv'], '2019-09': ['ajv/dist/2019', 'Ajv2019'], '2020-12': ['ajv/dist/2020', 'Ajv2020'] };
let addFormats: FormatsPlugin | undefined;

function ajvClass(draft: Draft): AjvClass {
  const [module, name] = classModules[draft];
  classes[draft] ??= (load(module) as Record<string, AjvClass>)[name];
  return classes[draft]!;
}

/** ajv's RegExp engine hook: every pattern in RE2. The schema walk has compiled each one already. */
const linearEngine: RegExpEngine = Object.assign(
  (pattern: string) => {
    const compiled = compileLinearRegExp(pattern);
    return { test: compiled.test, toString: () => `/${pattern}/` };
  },
  { code: 'linearRegExp' },
);

function newAjv(draft: Draft, options: Options): Ajv {
  // ownProperties: a property is the answer's own, never Object.prototype's (`constructor`,
  // `toString`, `__proto__` are field names too: without it a required one always "exists", and an
  // optional one is checked against the inherited function).
  const ajv = new (ajvClass(draft))({ strict: false, allErrors: false, logger: false, inlineRefs: 16, ownProperties: true, code: { regExp: linearEngine, optimize: false }, ...options });
  addFormats ??= (load('ajv-formats') as { default: FormatsPlugin }).default;
  addFormats(ajv);
  return ajv;
}

// One instance per draft checks schemas against the draft's meta-schema (compiled once; checking retains nothing).
const metaCheckers = new Map<Draft, Ajv>();
function metaChecker(draft: Draft): Ajv {
  let ajv = metaCheckers.get(draft);
  if (!ajv) metaCheckers.set(draft, (ajv = newAjv(draft, {})));
  return ajv;
}

const drafts: Array<[RegExp, Draft]> = [
  [/^https?:\/\/json-schema\.org\/draft-07\/schema#?$/, 'draft-07'],
  [/^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/, '2019-09'],
  [/^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/, '2020-12'],
];

// Keywords whose value is a schema, an array of schemas, or an object of schemas by name.
const schemaKeywords = new Set(['additionalProperties', 'additionalItems', 'unevaluatedItems', 'unevaluatedProperties', 'contains', 'propertyNames', 'not', 'if', 'then', 'else', 'items', 'contentSchema']);
const schemaArrayKeywords = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const schemaMapKeywords = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);

function pointerSegment(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Walks the schema's subschemas (not the values of `enum`, `const`, `default`, `examples`, which
 * are data): every regular expression must compile in RE2 (the first one that does not is named
 * by its JSON pointer), and whether it uses draft-07's own forms.
 */
function walkSchema(schema: Record<string, unknown>): { draft07Forms: boolean } {
  let draft07Forms = false;
  const pending: Array<[unknown, string]> = [[schema, '']];
  while (pending.length > 0) {
    const [node, pointer] = pending.pop()!;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    const keywords = node as Record<string, unknown>;
    const patterns: Array<[string, string]> = [];
    if (typeof keywords.pattern === 'string') patterns.push([keywords.pattern, `${pointer}/pattern`]);
    const patternProperties = keywords.patternProperties;
    if (patternProperties !== null && typeof patternProperties === 'object') for (const name of Object.keys(patternProperties)) patterns.push([name, `${pointer}/patternProperties/${pointerSegment(name)}`]);
    for (const [pattern, where] of patterns) {
      try {
        compileLinearRegExp(pattern);
      } catch (error) {
        if (error instanceof RegExpProblem) throw new SchemaProblem('unsupported', `the pattern at '${where}' ${error.message}; ${linearMatchingNote}`);
        throw error;
      }
    }
    if (Array.isArray(keywords.items) || Object.hasOwn(keywords, 'additionalItems') || (keywords.dependencies !== null && typeof keywords.dependencies === 'object')) draft07Forms = true;
    for (const [keyword, value] of Object.entries(keywords)) {
      const at = `${pointer}/${pointerSegment(keyword)}`;
      if (schemaArrayKeywords.has(keyword) && Array.isArray(value)) value.forEach((item, index) => pending.push([item, `${at}/${index}`]));
      else if (schemaKeywords.has(keyword)) pending.push([value, at]);
      else if (schemaMapKeywords.has(keyword) && value !== null && typeof value === 'object') for (const [name, item] of Object.entries(value)) pending.push([item, `${at}/${pointerSegment(name)}`]);
    }
  }
  return { draft07Forms };
}

function draftOf(schema: Record<string, unknown>, draft07Forms: boolean): Draft {
  const declared = schema.$schema;
  if (declared === undefined) return draft07Forms ? 'draft-07' : '2020-12';
  const known = typeof declared === 'string' ? drafts.find(([uri]) => uri.test(declared)) : undefined;
  if (!known) throw new SchemaProblem('invalid', `$schema ${JSON.stringify(declared)} is not a draft the gateway checks (draft-07, 2019-09 or 2020-12)`);
  return known[1];
}

function stopped(error: unknown, what: string): Error {
  if (error instanceof DeadlineExceeded) return new CheckStopped(`${what} ${error.message}`);
  // ajv's validators recurse with the data: an answer nested thousands deep overflows the stack.
  if (error instanceof RangeError) return new CheckStopped(`${what} nests too deeply to check`);
  return error as Error;
}

/** Compiles a JSON Schema (see above); throws SchemaProblem when it cannot be. */
export function compileJsonSchema(schema: Record<string, unknown>, limits: SchemaLimits): CompiledSchema {
  const { draft07Forms } = walkSchema(schema);
  const draft = draftOf(schema, draft07Forms);
  // The root's $schema chose the class; ajv need not look it up (`…/schema` and `…/schema#` alike).
  const { $schema: _declared, ...body } = schema;
  if (!metaChecker(draft).validateSchema(body)) throw new SchemaProblem('invalid', `not a valid JSON Schema: ${metaChecker(draft).errorsText()}`);
  const build = (): ValidateFunction => {
    try {
      return runWithDeadline(limits.compileMs, () => {
        const validate = newAjv(draft, { validateSchema: false, useDefaults: limits.useDefaults ?? false }).compile(body);
        // V8 compiles the generated function on its first call (tens of ms for a few hundred
        // properties): that is compiling, not checking an answer, so it happens here. A schema
        // whose check of `{}` alone runs out of this time (`anyOf` over `$ref`s, twenty levels)
        // is too costly to use at all.
        validate({});
        return validate;
      });
    } catch (error) {
      if (error instanceof DeadlineExceeded) throw new SchemaProblem('too-costly', `compiling it ${error.message}`);
      if (error instanceof SchemaProblem) throw error;
      throw new SchemaProblem('invalid', `not a valid JSON Schema: ${(error as Error).message}`);
    }
  };
  let validate: ValidateFunction | null = build();
  return {
    schema,
    errorsFor(value) {
      try {
        validate ??= build();
        const current = validate;
        return runWithDeadline(limits.checkMs, () => (current(value) ? null : (current.errors ?? [])));
      } catch (error) {
        // A validator stopped half-way may hold half-made state (re2js's lazy DFA caches): made anew next time.
        validate = null;
        if (error instanceof SchemaProblem) throw new CheckStopped(error.message);
        throw stopped(error, 'checking it');
      }
    },
  };
}

/**
 * Loads ajv and ajv-formats and compiles a small schema once, outside any time limit: the first
 * compile in a process (modules read, the meta-schema compiled, ajv's code cold) takes a few
 * hundred milliseconds, which must not count against the first client schema's `max_compile_ms`.
 */
let warmedUp = false;
export function warmUpSchemaCompiler(): void {
  if (warmedUp) return;
  warmedUp = true;
  compileJsonSchema({ type: 'object', properties: { name: { type: 'string', pattern: '^[a-z]', format: 'email' }, count: { type: 'integer' } }, required: ['name'] }, { compileMs: 60_000, checkMs: 60_000 }).errorsFor({ name: 'a@example.com', count: 1 });
}

/** Why a schema from the config would not compile (for config validation), or null. */
export function schemaProblem(schema: Record<string, unknown>, limits: SchemaLimits): string | null {
  try {
    compileJsonSchema(schema, limits);
    return null;
  } catch (error) {
    if (error instanceof SchemaProblem) return error.kind === 'invalid' && error.message.startsWith('not a valid') ? error.message : `not usable: ${error.message}`;
    throw error;
  }
}
