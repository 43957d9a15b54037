import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { adminErrors } from '../errors/admin-errors.ts';
import { GatewayError } from '../errors/gateway-error.ts';

/**
 * The dashboard's static files (the repository's `dashboard/` folder), served by the Admin
 * listener at /dashboard/. admin-listener.ts imports this module on the first /dashboard request
 * only, so a gateway whose dashboard nobody opens pays nothing for it.
 *
 * The folder is `dashboard/` beside this file in the bundle (scripts/build.ts copies it to
 * dist/cli/dashboard/) and two levels up from the sources (src/admin/ -> the repository root).
 */
const folder = [new URL('./dashboard/', import.meta.url), new URL('../../dashboard/', import.meta.url)].map((url) => fileURLToPath(url)).find((path) => existsSync(path));

const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};

/**
 * Nothing but the dashboard's own files (no inline script or style, no other origin); the API it
 * calls is this same origin. The page may not be framed, and forms never navigate (the script
 * sends them), so a token typed into one cannot end up in a URL.
 */
export const dashboardContentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

const securityHeaders = {
  'content-security-policy': dashboardContentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

function notInstalled(): GatewayError {
  return new GatewayError({ status: 404, type: 'not_found_error', code: 'dashboard_not_installed', message: "The dashboard's files are not installed: no dashboard/ folder beside the gateway's code (scripts/build.ts copies it into dist/cli/)." });
}

/** GET or HEAD /dashboard/<file>: the file, or the Admin API's 404 unknown_url. */
export async function serveDashboardFile(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  const name = path === '/dashboard/' ? 'index.html' : path.slice('/dashboard/'.length);
  const type = contentTypes[name.slice(name.lastIndexOf('.') + 1)];
  // One flat folder: a name with a slash, a backslash or a leading dot is never one of its files.
  const body = folder !== undefined && type !== undefined && /^[\w-]+(\.[\w-]+)*$/.test(name) ? await readFile(folder + name).catch(() => null) : null;
  if (body === null) {
    const error = folder === undefined ? notInstalled() : adminErrors.unknownUrl(request.method ?? 'GET', request.url ?? path);
    const text = JSON.stringify(error.toOpenAIBody());
    response.writeHead(error.status, { ...securityHeaders, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    return void response.end(request.method === 'HEAD' ? undefined : text);
  }
  response.writeHead(200, { ...securityHeaders, 'content-type': type, 'content-length': body.length });
  response.end(request.method === 'HEAD' ? undefined : body);
}
