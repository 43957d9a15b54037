import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JwtAlgorithm } from './jwt-config.ts';

export interface StaticKey {
  key: KeyObject | Uint8Array;
  algorithms: JwtAlgorithm[];
}

function parsePublicKey(value: string | Record<string, unknown>): KeyObject {
  if (typeof value === 'object') return createPublicKey({ key: value as never, format: 'jwk' });
  const text = value.trim();
  if (text.startsWith('{')) return createPublicKey({ key: JSON.parse(text) as never, format: 'jwk' });
  return createPublicKey(text);
}

/** The algorithm a public key can verify: RS256 for RSA, ES256 for EC P-256. */
function algorithmOf(key: KeyObject): JwtAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`public_key: a ${key.asymmetricKeyType} key${key.asymmetricKeyDetails?.namedCurve ? ` on ${key.asymmetricKeyDetails.namedCurve}` : ''} verifies neither RS256 nor ES256 (use an RSA key or an EC P-256 key)`);
}

/**
 * The key of `secret` or `public_key`, parsed once when the plugin starts. Throws with the field's
 * name when it does not parse (the config is then refused, with the path).
 */
export function staticKey(secret: string | undefined, publicKey: string | Record<string, unknown> | undefined, algorithms: JwtAlgorithm[] | undefined): StaticKey {
  if (secret !== undefined) return { key: new TextEncoder().encode(secret), algorithms: ['HS256'] };
  let key: KeyObject;
  try {
    key = parsePublicKey(publicKey!);
  } catch (error) {
    throw new Error(`public_key: not a PEM public key or a JWK (${(error as Error).message})`);
  }
  if (key.type !== 'public') throw new Error('public_key: expected a public key');
  const own = algorithmOf(key);
  if (algorithms && !algorithms.includes(own)) throw new Error(`public_key: this key verifies ${own}, which algorithms does not list`);
  return { key, algorithms: [own] };
}
