import { AsyncLocalStorage } from 'node:async_hooks';

/** Whether one upstream attempt has sent anything to its provider yet. */
export interface DispatchWatch {
  dispatched: boolean;
}

const watches = new AsyncLocalStorage<DispatchWatch>();

/**
 * Runs `send` (one attempt's call of its provider), noting in `watch` whether it dispatched a
 * request. The gateway refuses some requests itself, in an adapter's conversion (an image in a
 * system message for Gemini) before anything goes out, and such a refusal is no upstream attempt
 * (pipeline/call-provider.ts). The adapters reach their providers only through UpstreamClient,
 * which notes each request it dispatches in the async context of the attempt that made it: no
 * adapter has to say which of its errors came before the call.
 */
export function watchDispatch<T>(watch: DispatchWatch, send: () => Promise<T>): Promise<T> {
  return watches.run(watch, send);
}

/** UpstreamClient's note of a request it dispatches, for the attempt it belongs to (none outside one: an active health check). */
export function noteDispatch(): void {
  const watch = watches.getStore();
  if (watch !== undefined) watch.dispatched = true;
}
