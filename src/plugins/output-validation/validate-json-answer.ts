import type { ErrorObject } from 'ajv';
import { GatewayError } from '../../errors/gateway-error.ts';
import { CheckStopped, compileJsonSchema, SchemaProblem, type CompiledSchema, type SchemaLimits } from './compile-json-schema.ts';

/**
 * JSON answers checked against a JSON Schema (compile-json-schema.ts). Shared by the
 * output-validation plugin (schemas from a request's response_format) and prompt APIs (schemas
 * from the config).
 */

/** 502 for an answer that is not the JSON that was asked for: the provider's reply is what failed. */
export function outputValidationFailed(detail: string): GatewayError {
  return new GatewayError({ status: 502, type: 'upstream_error', code: 'output_validation_failed', upstream: true, message: `The model's answer is not valid output: ${detail}.` });
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

/** Parses an answer and validates it (no schema: any JSON value passes). */
export function checkJsonAnswer(text: string, schema: CompiledSchema | null, options: CheckOptions = {}): JsonAnswer {
  let value: unknown;
  try {
    value = JSON.parse(options.tolerateFence ? stripCodeFence(text) : text);
  } catch {
    return { ok: false, problem: 'it is not JSON' };
  }
  if (options.mustBeObject && (value === null || typeof value !== 'object' || Array.isArray(value))) return { ok: false, problem: 'it is not a JSON object' };
  if (!schema) return { ok: true, value };
  let errors: ErrorObject[] | null;
  try {
    errors = schema.errorsFor(value);
  } catch (error) {
    // Unchecked is not valid: the answer fails, saying why (the schema's cost, never the answer).
    if (error instanceof CheckStopped) return { ok: false, problem: `it could not be checked against the schema (${error.message})` };
    throw error;
  }
  if (errors) return { ok: false, problem: `it does not match the schema (${describeErrors(errors, schema.schema)})` };
  return { ok: true, value };
}

/** Models often wrap JSON in a ```json fence even when asked not to; the fence is not the answer. */
function stripCodeFence(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(trimmed);
  return fenced ? fenced[1] : trimmed;
}

/**
 * Compiled schemas that arrive with requests, by their JSON text, or why one is not compiled (a
 * SchemaProblem, kept too so it is not tried again). Bounded: the oldest is dropped past
 * `capacity`, so many distinct client schemas cannot grow memory (each has its own ajv instance,
 * dropped with it).
 */
export class SchemaCache {
  readonly #capacity: number;
  readonly #limits: SchemaLimits;
  readonly #entries = new Map<string, CompiledSchema | SchemaProblem>();

  constructor(capacity: number, limits: SchemaLimits) {
    this.#capacity = capacity;
    this.#limits = limits;
  }

  /** The compiled schema or its problem; `fresh` is true when it was compiled (or refused) just now. */
  get(schema: Record<string, unknown>, key = JSON.stringify(schema)): { entry: CompiledSchema | SchemaProblem; fresh: boolean } {
    const known = this.#entries.get(key);
    if (known !== undefined) return { entry: known, fresh: false };
    let entry: CompiledSchema | SchemaProblem;
    try {
      entry = compileJsonSchema(schema, this.#limits);
    } catch (error) {
      if (!(error instanceof SchemaProblem)) throw error;
      entry = error;
    }
    if (this.#entries.size >= this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, entry);
    return { entry, fresh: true };
  }
}
