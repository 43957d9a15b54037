// How numbers, times and metadata read on the page, and the few text fields the forms parse.

const integer = new Intl.NumberFormat('en-US');
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });

export const formatCount = (value) => integer.format(value ?? 0);
export const formatCost = (value) => dollars.format(value ?? 0);
export const orNone = (value) => (value === null || value === undefined || value === '' ? '—' : String(value));
export const plural = (count, word) => `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;

/** A time in UTC, to the minute; through Date, so a time written with an offset is shown in UTC too. */
export function formatTime(value) {
  const time = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? orNone(value) : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A key's state as the list and the key's details show it. */
export function keyStatus(key) {
  if (!key.enabled) return 'disabled';
  if (key.expires_at && Date.parse(key.expires_at) <= Date.now()) return 'expired';
  return 'active';
}

/** {"tier": "gold"} -> "tier=gold" (several joined by ", "); "—" when empty. */
export function formatMetadata(metadata) {
  const entries = Object.entries(metadata ?? {});
  return entries.length === 0 ? '—' : entries.map(([name, value]) => `${name}=${value}`).join(', ');
}

/** A mistake in what the operator typed, found before anything is sent: its message says what to fix. */
export class InputError extends Error {
  /** `control`: the id of the field at fault, marked aria-invalid where the error is shown. */
  constructor(message, control = null) {
    super(message);
    this.control = control;
  }
}

const example = '{"owner": "ops", "cost_center": "42"}';

/**
 * Metadata as the text of its textarea: JSON, so that any string the API accepts (a name with "=",
 * spaces at either end, a newline in a value) reads back exactly; empty for none.
 */
export const metadataText = (metadata) => (Object.keys(metadata ?? {}).length === 0 ? '' : JSON.stringify(metadata, null, 2));

/** The textarea's JSON -> metadata ({} when empty); an InputError names what is wrong. */
export function parseMetadata(text, { what = 'Metadata', control = null } = {}) {
  if (String(text ?? '').trim() === '') return {};
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} is not valid JSON (${error.message}). Write an object of strings, such as ${example}.`, control);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${what} must be a JSON object of strings, such as ${example}; this is ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}.`, control);
  }
  const notText = Object.entries(value).find(([, entry]) => typeof entry !== 'string');
  if (notText) throw new InputError(`${what}: the value of ${JSON.stringify(notText[0])} must be a string, in quotes (${JSON.stringify(String(JSON.stringify(notText[1])))} rather than ${JSON.stringify(notText[1])}).`, control);
  return value;
}

/** Whether two metadata objects hold the same entries, whatever their order. */
export function sameMetadata(one, other) {
  const sorted = (metadata) => JSON.stringify(Object.entries(metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return sorted(one) === sorted(other);
}

/** "a, b ,c" -> ["a", "b", "c"] (empty items dropped). */
export const parseList = (text) => String(text ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
