import { isIP } from 'node:net';
import { z } from 'zod';

/** A DNS name: labels of letters, digits and inner hyphens (RFC 1123), dot-separated. */
const hostName = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * A listener's bind address: an IP address or a host name. Anything else (`not a host`,
 * `http://0.0.0.0`, `[::1]`) used to pass validation and stop the start with getaddrinfo ENOTFOUND.
 */
export const listenHostSchema = z.string().refine((host) => isIP(host) !== 0 || hostName.test(host), {
  error: (issue) => {
    const host = String(issue.input);
    const hint = /^\[.*\]$/.test(host) ? `; write an IPv6 address without brackets (${host.slice(1, -1)})` : /:\/\//.test(host) ? '; no scheme or port here' : '';
    return `expected an IP address or a host name to listen on, such as 0.0.0.0 (every interface), 127.0.0.1 or ::, got ${JSON.stringify(host)}${hint}`;
  },
});

/** Addresses that take a port on every interface, so they collide with the same port on any address. */
const everyInterface = new Set(['0.0.0.0', '::']);

interface Listener {
  port: number;
  host: string;
}

/**
 * Why the Admin listener cannot share the data plane's port, or null. Two listeners may use the same
 * port only on two different specific IP addresses; the same host, an every-interface address or a
 * host name (which may resolve to the other) makes the second listen fail with EADDRINUSE, which
 * read as if another program held the port. Port 0 (any free port) never collides.
 */
export function sharedPortProblem(server: Listener, admin: Listener & { enabled: boolean }): string | null {
  if (!admin.enabled || admin.port === 0 || admin.port !== server.port) return null;
  const distinctAddresses = isIP(server.host) !== 0 && isIP(admin.host) !== 0 && server.host !== admin.host && !everyInterface.has(server.host) && !everyInterface.has(admin.host);
  if (distinctAddresses) return null;
  return `${admin.port} is server.port too: the Admin API needs a port of its own (default 8001), or admin.enabled: false`;
}
