import type { IncomingHttpHeaders } from 'node:http';

/**
 * Three base64url segments: what a compact JWS (a signed JWT) looks like. Keys like tg-… or sk-…
 * never do. The signature may be empty, as an unsecured JWT's (`alg: none`) is: such a token is
 * presented, and refused as invalid_token rather than taken for no token at all.
 */
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * A JWT's header is base64url JSON, which begins `eyJ` (`{"`): a Bearer value that starts so but
 * is not three clean segments (cut short, a stray character, a space inside) is a damaged JWT,
 * refused as one (invalid_token, "not well-formed") rather than passed over as someone else's key.
 * It is refused before jose sees it: base64url decoding skips characters outside its alphabet, so
 * a token with a space or a stray `!` in its signature would otherwise verify.
 */
const jwtStart = /^eyJ/;

export function looksLikeJwt(value: string): boolean {
  return compactJws.test(value);
}

function single(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
}

/** What the request carries for jwt (readToken). */
export type PresentedCredential =
  /** A JWT to verify. */
  | { token: string }
  /** A damaged JWT (in the configured header, or in Authorization beginning like one, and not three base64url segments): refused as malformed. */
  | { malformed: true }
  /**
   * A credential where clients send them, but not a JWT (`Bearer tg-…`, `Bearer sk-…`, `Basic …`,
   * anything in `x-api-key` or `api-key`): another plugin's, or a mistake. The header's name.
   */
  | { unrecognized: string };

/** Headers a client's credential comes in besides Authorization (key-auth reads them; jwt does not). */
const otherCredentialHeaders = ['x-api-key', 'api-key'] as const;

/**
 * The token, from the configured header (with or without "Bearer ") or else from
 * `Authorization: Bearer` when it looks like a JWT (a damaged one is reported as malformed). A
 * credential that is no JWT in Authorization, x-api-key or api-key is reported as unrecognized: a
 * Tollgate key or a client's own provider key (BYOK) there is left to key-auth and byok, and yet
 * it is not "no credential" (the anonymous plugin must not let it in). Undefined when none of
 * these headers is present.
 */
export function readToken(headers: IncomingHttpHeaders, header: string | undefined): PresentedCredential | undefined {
  if (header !== undefined) {
    const value = single(headers[header]);
    if (value) {
      // Whatever is there is meant for jwt: a value that is no clean JWT is a malformed one.
      const token = value.replace(/^bearer\s+/i, '');
      return looksLikeJwt(token) ? { token } : { malformed: true };
    }
  }
  const authorization = single(headers.authorization);
  if (authorization) {
    const bearer = /^bearer\s+/i.test(authorization);
    const token = bearer ? authorization.replace(/^bearer\s+/i, '') : '';
    if (bearer && looksLikeJwt(token)) return { token };
    if (bearer && jwtStart.test(token)) return { malformed: true };
    return { unrecognized: 'authorization' };
  }
  for (const name of otherCredentialHeaders) if (single(headers[name])) return { unrecognized: name };
  return undefined;
}
