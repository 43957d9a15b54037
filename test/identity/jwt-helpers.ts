import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import pino from 'pino';
import type { RequestContext } from '../../src/pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../src/pipeline/plugin.ts';
import { createJwtPlugin } from '../../src/plugins/jwt/index.ts';
import { jwtConfigSchema } from '../../src/plugins/jwt/jwt-config.ts';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';

/** What SignJWT signs with: a CryptoKey or an HMAC secret's bytes. */
type SigningKey = Parameters<SignJWT['sign']>[0];
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export const issuer = 'https://issuer.test';
export const audience = 'tollgate';
export const hsSecret = 'a-test-secret-that-is-at-least-32-bytes-long!';

/** Signs a token; `claims` may override iss/aud/exp/nbf (seconds since epoch). */
export async function sign(key: SigningKey, alg: string, claims: JWTPayload = {}, kid?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { sub: 'app1', iss: issuer, aud: audience, iat: now, exp: now + 300, ...claims };
  return new SignJWT(payload).setProtectedHeader(kid === undefined ? { alg } : { alg, kid }).sign(key);
}

export function hsKey(secret = hsSecret): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function rsaPair(): Promise<{ privateKey: PrivateKey; pem: string; jwk: Record<string, unknown> }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, pem: await exportSPKI(publicKey), jwk: (await exportJWK(publicKey)) as Record<string, unknown> };
}

export async function ecPair(): Promise<{ privateKey: PrivateKey; pem: string; jwk: Record<string, unknown> }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, pem: await exportSPKI(publicKey), jwk: (await exportJWK(publicKey)) as Record<string, unknown> };
}

export const silent = pino({ level: 'silent' });

/** A jwt plugin instance from a raw config (validated by its schema, as at config load). */
export function jwtPlugin(config: Record<string, unknown>, dependencies: Partial<PluginDependencies> = {}): Plugin {
  const parsed = jwtConfigSchema.parse(config);
  return createJwtPlugin(parsed, { logger: silent, metrics: new GatewayMetrics(), ...dependencies });
}

/** The few context fields an authentication plugin reads and writes. */
export function requestContext(headers: Record<string, string>): RequestContext {
  return { headers, caller: {}, state: new Map(), requestedModel: 'echo/test', clientIp: '127.0.0.1' } as unknown as RequestContext;
}

export async function refusalOf(promise: unknown): Promise<{ status: number; code: string; message: string; type: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; code: string; message: string; type: string };
  }
  throw new Error('expected a refusal');
}
