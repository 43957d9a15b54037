import { createHash, createHmac, createSecretKey, type Hash, type Hmac, type KeyObject } from 'node:crypto';

/** What SigV4's signer hashes and keys with: text, or bytes (its derived signing key). */
type SourceData = string | ArrayBuffer | ArrayBufferView;

/** The most string secrets kept as KeyObjects (a provider has one secret access key; rotations add more). */
const stringKeyLimit = 16;
const stringKeys = new Map<string, KeyObject>();
/** The day's derived signing keys, kept by the signer as the same byte array for every call. */
const byteKeys = new WeakMap<object, KeyObject>();

function bytesOf(data: ArrayBuffer | ArrayBufferView): Buffer {
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/**
 * The HMAC key for a secret, made once: Node turns raw key bytes into a KeyObject on every
 * createHmac, ~20 us of a ~23 us HMAC on this machine, and SigV4 keys two HMACs per request with
 * the same two secrets (the secret access key, for the signer's cache lookup, and the day's derived
 * signing key). Held only in memory, like the provider's options they come from.
 */
function keyOf(secret: SourceData): KeyObject {
  if (typeof secret === 'string') {
    let key = stringKeys.get(secret);
    if (key === undefined) {
      if (stringKeys.size >= stringKeyLimit) stringKeys.clear();
      key = createSecretKey(Buffer.from(secret, 'utf8'));
      stringKeys.set(secret, key);
    }
    return key;
  }
  let key = byteKeys.get(secret);
  if (key === undefined) {
    key = createSecretKey(bytesOf(secret));
    byteKeys.set(secret, key);
  }
  return key;
}

/**
 * SHA-256 and HMAC-SHA256 for @smithy/signature-v4 (its `sha256` option: a constructor taking an
 * optional secret), as its own node:crypto Hash does, but keying HMACs with cached KeyObjects
 * (keyOf). Signing a Converse call cost ~60-75 us with the library's Hash.
 */
export class Sha256ForSigning {
  readonly #secret: SourceData | undefined;
  #state: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#state = this.#fresh();
  }

  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', keyOf(this.#secret));
  }

  update(data: SourceData): void {
    this.#state.update(typeof data === 'string' ? data : bytesOf(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.#state.digest());
  }

  reset(): void {
    this.#state = this.#fresh();
  }
}
