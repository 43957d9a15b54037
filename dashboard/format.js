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

/** The same, one `key=value` a line, for a textarea. */
export const metadataLines = (metadata) => Object.entries(metadata ?? {}).map(([name, value]) => `${name}=${value}`).join('\n');

/** Lines of `key=value` (blank lines skipped) -> an object; throws an Error naming the first line that is not one. */
export function parseMetadata(text) {
  const metadata = {};
  const lines = String(text ?? '').split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`metadata, line ${index + 1}: write key=value ("${line.trim()}")`);
    metadata[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  });
  return metadata;
}

/** "a, b ,c" -> ["a", "b", "c"] (empty items dropped). */
export const parseList = (text) => String(text ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
