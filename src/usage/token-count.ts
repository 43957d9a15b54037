/** A token count as reported by a provider: a positive finite number, else 0 (absent, null, negative, NaN). */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
