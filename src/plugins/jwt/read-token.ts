import type { IncomingHttpHeaders } from 'node:http';

/**
 * Three base64url segments: what a compact JWS (a signed JWT) looks like. Keys like tg-… or sk-…
 * never do. The signature may be empty, as an unsecured JWT's (`alg: none`) is: such a token is
 * presented, and refused as invalid_token rather than taken for no token at all.
 */
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function looksLikeJwt(value: string): boolean {
  return compactJws.test(value);
}

function single(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
}

export interface PresentedToken {
  token: string;
}

/**
 * The token, from the configured header (with or without "Bearer ") or else from
 * `Authorization: Bearer` — the latter only when it looks like a JWT, so a Tollgate key or a
 * client's own provider key (BYOK) in the same header is left to key-auth and byok.
 */
export function readToken(headers: IncomingHttpHeaders, header: string | undefined): PresentedToken | undefined {
  if (header !== undefined) {
    const value = single(headers[header]);
    if (value) return { token: value.replace(/^bearer\s+/i, '') };
  }
  const authorization = single(headers.authorization);
  if (authorization && /^bearer\s+/i.test(authorization)) {
    const token = authorization.replace(/^bearer\s+/i, '');
    if (looksLikeJwt(token)) return { token };
  }
  return undefined;
}
