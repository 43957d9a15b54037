import { errors } from '../../errors/catalogue.ts';

/** Small checks shared by the Responses request parsers; errors name the field as OpenAI does (`input[2].call_id`). */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Absent and null are the same to the Responses API (the SDKs send null for "not set"). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function requireString(object: JsonObject, field: string, param: string): string {
  const value = object[field];
  if (value === undefined || value === null) throw errors.missingField(param);
  if (typeof value !== 'string') throw errors.invalidField(param, 'a string');
  return value;
}

export function optionalString(object: JsonObject, field: string, param: string): void {
  const value = object[field];
  if (isSet(value) && typeof value !== 'string') throw errors.invalidField(param, 'a string');
}

export function optionalBoolean(object: JsonObject, field: string, param: string): void {
  const value = object[field];
  if (isSet(value) && typeof value !== 'boolean') throw errors.invalidField(param, 'a boolean');
}

export function optionalNumber(object: JsonObject, field: string, param: string): void {
  const value = object[field];
  if (isSet(value) && (typeof value !== 'number' || !Number.isFinite(value))) throw errors.invalidField(param, 'a number');
}

export function optionalInteger(object: JsonObject, field: string, param: string, minimum: number, maximum = Number.MAX_SAFE_INTEGER): void {
  const value = object[field];
  if (!isSet(value)) return;
  if (!Number.isInteger(value) || (value as number) < minimum || (value as number) > maximum) {
    throw errors.invalidField(param, maximum === Number.MAX_SAFE_INTEGER ? `an integer of at least ${minimum}` : `an integer from ${minimum} to ${maximum}`);
  }
}

/** One of a few strings (or absent); `expected` lists them for the message. */
export function optionalOneOf(object: JsonObject, field: string, param: string, allowed: ReadonlySet<string>): void {
  const value = object[field];
  if (!isSet(value)) return;
  if (typeof value !== 'string' || !allowed.has(value)) throw errors.invalidField(param, `one of ${[...allowed].map((item) => `'${item}'`).join(', ')}`);
}
