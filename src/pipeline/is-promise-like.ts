/**
 * Whether a hook answered with a promise. Hooks are awaited only then: most answer synchronously,
 * and awaiting a plain value still costs a promise and a microtask turn on every request.
 */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
