import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The environment variable that holds the master key for provider credentials stored in the database. */
export const masterKeyVariable = 'TOLLGATE_MASTER_KEY';

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

/**
 * The master key from `TOLLGATE_MASTER_KEY`: 32 bytes as 64 hex digits or as base64 (44
 * characters, url-safe alphabet accepted). Undefined when the variable is unset or empty; throws
 * MasterKeyError when it is set but is not a 32-byte key (a typo must not silently disable it).
 */
export function parseMasterKey(value: string | undefined): Buffer | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  throw new MasterKeyError(`${masterKeyVariable} must be 32 bytes, written as 64 hex digits or as base64 (e.g. the output of \`openssl rand -base64 32\`); the value set is neither.`);
}

const version = 'v1';

/**
 * AES-256-GCM for provider credentials at rest. Each value gets a fresh 96-bit nonce; the
 * provider's name is bound in as additional data, so a ciphertext copied to another provider's
 * row does not decrypt. Stored as `v1:<nonce>:<tag>:<ciphertext>` (base64url parts).
 */
export class CredentialCipher {
  readonly #key: Buffer;
  /** Names the master key without revealing it (first 8 hex digits of its SHA-256): says which key a row needs. */
  readonly keyId: string;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new MasterKeyError('the master key must be 32 bytes');
    this.#key = masterKey;
    this.keyId = createHash('sha256').update(masterKey).digest('hex').slice(0, 8);
  }

  encrypt(secret: string, providerName: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(Buffer.from(providerName, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [version, nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  /** Throws when the value was encrypted under another key, for another provider, or was altered. */
  decrypt(stored: string, providerName: string): string {
    const [format, nonce, tag, ciphertext] = stored.split(':');
    if (format !== version || nonce === undefined || tag === undefined || ciphertext === undefined) throw new Error('unknown credential format');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(providerName, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
