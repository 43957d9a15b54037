import type { JWTPayload } from 'jose';
import type { JwtClaimsConfig } from './jwt-config.ts';

/** A claim by name or dotted path; strings and numbers only (anything else is treated as absent). */
export function claimValue(payload: JWTPayload, path: string): string | undefined {
  let value: unknown = payload[path];
  if (value === undefined && path.includes('.')) {
    value = payload;
    for (const part of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export interface MappedClaims {
  consumer: string | undefined;
  team: string | undefined;
  metadata: Record<string, string>;
}

/** What the token says about the caller, by the configured claim names. */
export function mapClaims(payload: JWTPayload, claims: JwtClaimsConfig): MappedClaims {
  const metadata: Record<string, string> = {};
  for (const [name, path] of Object.entries(claims.metadata)) {
    const value = claimValue(payload, path);
    if (value !== undefined) metadata[name] = value;
  }
  if (claims.tier !== undefined) {
    const tier = claimValue(payload, claims.tier);
    if (tier !== undefined) metadata.tier = tier;
  }
  return {
    consumer: claimValue(payload, claims.consumer),
    team: claims.team === undefined ? undefined : claimValue(payload, claims.team),
    metadata,
  };
}
