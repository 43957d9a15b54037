/**
 * A programming error, never a client's or a config's: a plugin or provider instance was asked
 * for before the code behind it was imported. The gateway awaits loadImplementations(config)
 * (src/gateway/load-implementations.ts) before it builds a Runtime, so this means a caller
 * skipped that step or it missed a place where the config names a plugin or provider type.
 */
export class ImplementationNotLoadedError extends Error {
  constructor(kind: 'plugin' | 'provider type', name: string) {
    super(`internal error: the code of the ${kind} "${name}" was not loaded before an instance was made; await loadImplementations(config) (src/gateway/load-implementations.ts) before building a Runtime`);
    this.name = 'ImplementationNotLoadedError';
  }
}
