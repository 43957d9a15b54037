import type { IncomingMessage, ServerResponse } from 'node:http';
import { toMilliseconds } from '../config/units.ts';

export interface CorsConfig {
  allow_origins: string[];
  max_age: string | number;
}

/** Which browser origins may call the data plane, compiled once per configuration. */
export interface CorsPolicy {
  allows(origin: string): boolean;
  /** `allow_origins: ["*"]`: any origin, answered with `*`. */
  anyOrigin: boolean;
  maxAgeSeconds: number;
}

const methods = 'GET, HEAD, POST, OPTIONS';

function originPattern(entry: string): RegExp {
  // `https://*.example.com`: any subdomain of example.com over https; everything else literally.
  const escaped = entry.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[a-z0-9-]+(?:\\.[a-z0-9-]+)*');
  return new RegExp(`^${escaped}$`);
}

/** The policy of `server.cors`, or null when no origin is allowed (no CORS headers at all). */
export function compileCors(config: CorsConfig): CorsPolicy | null {
  if (config.allow_origins.length === 0) return null;
  const anyOrigin = config.allow_origins.includes('*');
  const patterns = config.allow_origins.filter((entry) => entry !== '*').map(originPattern);
  return {
    anyOrigin,
    maxAgeSeconds: Math.round(toMilliseconds(config.max_age) / 1000),
    allows: (origin) => anyOrigin || patterns.some((pattern) => pattern.test(origin.toLowerCase())),
  };
}

/**
 * Adds the CORS headers for a request from an allowed browser origin, and answers its preflight
 * (OPTIONS with Access-Control-Request-Method) with 204. True when the request is answered. A
 * browser may read every response header (`Access-Control-Expose-Headers: *`: x-request-id,
 * x-tollgate-*, rate limits), errors included; credentials mode (cookies) is not offered, so a
 * page sends its key in the Authorization header.
 */
export function applyCors(policy: CorsPolicy, request: IncomingMessage, response: ServerResponse, origin: string): boolean {
  if (!policy.allows(origin)) return false;
  response.setHeader('access-control-allow-origin', policy.anyOrigin ? '*' : origin);
  if (!policy.anyOrigin) response.setHeader('vary', 'Origin');
  if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
    const asked = request.headers['access-control-request-headers'];
    response.writeHead(204, {
      'access-control-allow-methods': methods,
      ...(asked ? { 'access-control-allow-headers': asked } : {}),
      'access-control-max-age': String(policy.maxAgeSeconds),
      'content-length': '0',
    });
    response.end();
    return true;
  }
  response.setHeader('access-control-expose-headers', '*');
  return false;
}
