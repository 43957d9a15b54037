import { modelOnly, repeatedGuardedKey } from './duplicate-guarded-keys.ts';

/**
 * Whether a JSON body (one JSON.parse accepted) names the top-level `model` more than once,
 * however spelled: the check every endpoint's body gets with its guarded keys
 * (duplicate-guarded-keys.ts), for `model` alone.
 */
export function namesModelTwice(body: Buffer): boolean {
  return repeatedGuardedKey(body, modelOnly) !== null;
}
