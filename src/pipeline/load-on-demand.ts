import { ImplementationNotLoadedError } from '../errors/implementation-not-loaded-error.ts';

/** A module's function that is imported on the first `load()` and called through `get()`. */
export interface OnDemand<Function> {
  /** Imports the module once; a failed import is tried again on the next call. */
  load(): Promise<void>;
  /** The loaded function; throws ImplementationNotLoadedError before `load()` has finished. */
  get(): Function;
}

/**
 * The loading shared by plugin and provider definitions (define-plugin.ts,
 * providers/define-provider.ts): `kind` and `name` only name the missing implementation in the
 * error, which is a programming error (a Runtime built before loadImplementations).
 */
export function loadOnDemand<Function>(kind: 'plugin' | 'provider type', name: string, implementation: () => Promise<Function>): OnDemand<Function> {
  let loaded: Function | undefined;
  let loading: Promise<void> | undefined;
  return {
    load() {
      loading ??= implementation().then(
        (value) => {
          loaded = value;
        },
        (error: unknown) => {
          // A failed import may succeed on the next reload (a file restored, a descriptor freed).
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
    get() {
      if (loaded === undefined) throw new ImplementationNotLoadedError(kind, name);
      return loaded;
    },
  };
}
