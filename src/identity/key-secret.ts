import { createHash, randomBytes } from 'node:crypto';

/** Every gateway key starts with this, so BYOK and log scrubbing can tell ours from a provider's. */
export const keyPrefix = 'tg-';

/** A new virtual key: `tg-` and 32 random bytes (256 bits) in base64url. */
export function generateKeySecret(): string {
  return `${keyPrefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 of the key, hex. A fast hash is right here (unlike passwords): the secret has 256 bits
 * of entropy, so there is nothing to brute-force, and the hot path hashes every request.
 */
export function hashKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * The id of a key declared in a config file: `config-key-` and the first 12 hex digits of its
 * SHA-256, the same wherever it is declared (globally or on a route) and whatever its position,
 * so limits, budgets and the ledger follow the key; different keys never share one.
 */
export function declaredKeyId(secret: string): string {
  return `config-key-${hashKeySecret(secret).slice(0, 12)}`;
}

/** The parts of a key that may be shown: the first 4 characters after `tg-` and the last 4. */
export function keyDisplayParts(secret: string): { prefix: string; last4: string } {
  const body = secret.startsWith(keyPrefix) ? secret.slice(keyPrefix.length) : secret;
  return { prefix: `${keyPrefix}${body.slice(0, 4)}`, last4: secret.slice(-4) };
}

export function displayKey(prefix: string, last4: string): string {
  return `${prefix}…${last4}`;
}
