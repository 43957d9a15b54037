/**
 * `work` for each item, at most `limit` at a time, the results in the items' order. The first
 * failure fails the whole: the calls still running are aborted through the signal each gets
 * (which also follows `signal`, the client's), none is started after it, and that first error is
 * what this rejects with, not the aborts it caused.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, signal: AbortSignal, work: (item: T, signal: AbortSignal) => Promise<R>): Promise<R[]> {
  if (items.length === 1) return [await work(items[0], signal)];
  const stop = new AbortController();
  const each = AbortSignal.any([signal, stop.signal]);
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && !each.aborted && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index], each);
      } catch (error) {
        if (failure === undefined) {
          failure = { error };
          stop.abort(error);
        }
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  // The client went away between two calls: nothing failed, but not every item was done.
  signal.throwIfAborted();
  return results;
}
