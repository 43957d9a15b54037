import type { IncomingHttpHeaders } from 'node:http';
import { errors } from '../errors/catalogue.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { CorsPolicy } from './cors.ts';

/**
 * Why a request a web page sent is refused, or null: the defence against a page making the
 * gateway spend its provider keys (cross-site request forgery). Without an authentication plugin
 * a browser can send a "simple" cross-origin POST (a JSON body as text/plain, a form, no content
 * type) without a CORS preflight, and the gateway would call the provider even though the page
 * cannot read the answer.
 *
 * Browsers mark what a page sends, and a page cannot forge the marks: every cross-origin request
 * and every POST carries `Origin` (`null` from a sandboxed frame or a file), and a request without
 * one that another site caused (an image, a script, a link) carries `Sec-Fetch-Site: cross-site`
 * or `same-site`. Such a request is served only from an origin `server.cors.allow_origins` lists,
 * the same list that lets a page read answers. SDKs, curl and servers send neither header, so
 * they are unaffected whatever their content type; typing a URL in the address bar sends
 * `Sec-Fetch-Site: none` and is served too. (A page on the gateway's own origin exists only
 * through DNS rebinding, which allowed-hosts.ts refuses, or a proxy that serves an app and the
 * gateway under one origin: that origin is listed like any other.)
 */
export function browserOriginRefusal(headers: IncomingHttpHeaders, cors: CorsPolicy | null | undefined): GatewayError | null {
  const origin = headers.origin;
  if (origin !== undefined) return cors?.allows(origin) ? null : errors.originNotAllowed(origin);
  const site = headers['sec-fetch-site'];
  if ((site === 'cross-site' || site === 'same-site') && cors?.anyOrigin !== true) return errors.originNotAllowed(null);
  return null;
}
