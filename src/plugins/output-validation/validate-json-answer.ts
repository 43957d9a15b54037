import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { GatewayError } from '../../errors/gateway-error.ts';

/**
 * JSON answers checked against a JSON Schema with ajv. Shared by the output-validation plugin
 * (schemas from a request's response_format) and prompt APIs (schemas from the config).
 */

// strict: false — OpenAI-style schemas carry keywords ajv does not know; they are ignored, not errors.
const ajv = new Ajv({ allErrors: false, strict: false });

/** 502 for an answer that is not the JSON that was asked for: the provider's reply is what failed. */
export function outputValidationFailed(detail: string): GatewayError {
  return new GatewayError({ status: 502, type: 'upstream_error', code: 'output_validation_failed', upstream: true, message: `The model's answer is not valid output: ${detail}.` });
}

/** Compiles a schema; throws ajv's error when the schema itself is invalid. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  return ajv.compile(schema);
}

/** Checks that a schema compiles; the problem text for config validation, else null. */
export function schemaProblem(schema: Record<string, unknown>): string | null {
  try {
    ajv.compile(schema);
    return null;
  } catch (error) {
    return `not a valid JSON Schema: ${(error as Error).message}`;
  }
}

/** Every property name a schema declares (`properties` at any depth), once per schema object. */
const declaredNamesBySchema = new WeakMap<object, Set<string>>();

function declaredNames(schema: unknown): Set<string> {
  if (schema === null || typeof schema !== 'object') return new Set();
  let names = declaredNamesBySchema.get(schema);
  if (names) return names;
  names = new Set();
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    const properties = (node as { properties?: unknown }).properties;
    if (properties !== null && typeof properties === 'object' && !Array.isArray(properties)) for (const name of Object.keys(properties)) names.add(name);
    pending.push(...Object.values(node));
  }
  declaredNamesBySchema.set(schema, names);
  return names;
}

/**
 * ajv's first error as `at /path: must be string` — the schema's words, never the data. The path
 * is the answer's, so a key the schema does not name (one `additionalProperties` or
 * `patternProperties` allowed: an e-mail address, a value pii had masked) shows as `*`.
 */
export function describeErrors(errors: ErrorObject[] | null | undefined, schema?: unknown): string {
  const first = errors?.[0];
  if (!first) return 'it does not match the schema';
  const names = declaredNames(schema);
  const path = first.instancePath
    .split('/')
    .slice(1)
    .map((segment) => (/^\d+$/.test(segment) || names.has(segment.replaceAll('~1', '/').replaceAll('~0', '~')) ? segment : '*'))
    .join('/');
  return `at '/${path}': ${first.message ?? 'does not match the schema'}`;
}

export type JsonAnswer = { ok: true; value: unknown } | { ok: false; problem: string };

export interface CheckOptions {
  /** Only a JSON object passes (response_format json_object). */
  mustBeObject?: boolean;
  /** Accept JSON wrapped in a ```json fence (when the gateway, not the client, parses the answer). */
  tolerateFence?: boolean;
}

/** Parses an answer and validates it (no validator: any JSON value passes). */
export function checkJsonAnswer(text: string, validate: ValidateFunction | null, options: CheckOptions = {}): JsonAnswer {
  let value: unknown;
  try {
    value = JSON.parse(options.tolerateFence ? stripCodeFence(text) : text);
  } catch {
    return { ok: false, problem: 'it is not JSON' };
  }
  if (options.mustBeObject && (value === null || typeof value !== 'object' || Array.isArray(value))) return { ok: false, problem: 'it is not a JSON object' };
  if (validate && !validate(value)) return { ok: false, problem: `it does not match the schema (${describeErrors(validate.errors, validate.schema)})` };
  return { ok: true, value };
}

/** Models often wrap JSON in a ```json fence even when asked not to; the fence is not the answer. */
function stripCodeFence(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(trimmed);
  return fenced ? fenced[1] : trimmed;
}

/**
 * Compiled validators for schemas that arrive with requests, by their JSON text. Bounded: the
 * oldest is dropped past `capacity`, so many distinct client schemas cannot grow memory.
 */
export class SchemaCache {
  readonly #capacity: number;
  readonly #validators = new Map<string, ValidateFunction | null>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The validator, or null when the schema does not compile (the caller then skips validation). */
  get(schema: Record<string, unknown>): ValidateFunction | null {
    const key = JSON.stringify(schema);
    let validator = this.#validators.get(key);
    if (validator === undefined) {
      try {
        // A fresh compile per distinct schema; ajv's own cache is keyed by object identity.
        validator = compileSchema(schema);
      } catch {
        validator = null;
      }
      if (this.#validators.size >= this.#capacity) this.#validators.delete(this.#validators.keys().next().value!);
      this.#validators.set(key, validator);
    }
    return validator;
  }
}
