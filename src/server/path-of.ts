import type { IncomingMessage } from 'node:http';

/** The path of a request's URL, without its query string. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

const schemeAndAuthority = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i;

/**
 * A request target in absolute form (`POST http://gateway/v1/chat/completions HTTP/1.1`, as some
 * proxies and HTTP clients send it; RFC 9112 §3.2.2: a server must accept it) as the origin form
 * the routes are written in (`/v1/chat/completions`). Origin forms and anything else (`*`) are
 * returned unchanged.
 */
export function originFormOf(url: string): string {
  if (url.charCodeAt(0) === 47 /* '/' */) return url;
  const authority = schemeAndAuthority.exec(url);
  if (authority === null) return url;
  const rest = url.slice(authority[0].length);
  return rest.charCodeAt(0) === 47 ? rest : `/${rest}`;
}

/** Rewrites `request.url` to its origin form when the client sent the absolute form. */
export function useOriginForm(request: IncomingMessage): void {
  if (request.url !== undefined && request.url.charCodeAt(0) !== 47 /* '/' */) request.url = originFormOf(request.url);
}
