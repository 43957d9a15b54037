/**
 * Reads the first item of a translated stream before the stream is handed to the gateway, and
 * gives back a stream that yields that item again and then the rest. A provider that reports
 * failures as its first stream event (a blocked prompt, quota, a model that failed to load, a
 * throttling exception) then fails the call as an ordinary HTTP error, so retries and fallbacks
 * still apply, instead of the error arriving in-stream after a 200. Costs nothing: the client
 * would wait for that first item anyway. A rejected first read rejects this promise.
 */
export async function readFirstItem<T>(items: AsyncIterableIterator<T>): Promise<AsyncIterableIterator<T>> {
  const first = await items.next();
  if (first.done) return items;
  // The first item again, then the rest straight from the mapped stream (no generator layer per item).
  let firstPending = true;
  const withFirst: AsyncIterableIterator<T> = {
    next: () => {
      if (!firstPending) return items.next();
      firstPending = false;
      return Promise.resolve(first);
    },
    return: () => items.return?.() ?? Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]: () => withFirst,
  };
  return withFirst;
}
