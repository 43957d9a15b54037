import { isIP } from 'node:net';
import { isLoopbackHost } from './loopback-host.ts';

/**
 * Which `Host` headers a listener answers: the defence against DNS rebinding. A web page on
 * `http://evil.example:8000` can re-point `evil.example` at 127.0.0.1; its requests then reach a
 * loopback listener as same-origin requests, and the page reads the answers. They still carry
 * `Host: evil.example:8000`, which is what gives them away (Vite, webpack-dev-server and Jupyter
 * refuse such hosts the same way).
 *
 * Always answered: an IP address (DNS cannot rebind one), `localhost` and `*.localhost` (resolved
 * to loopback by browsers and resolvers, RFC 6761), and a request without Host (HTTP/1.0: no
 * browser sends one). Other names: those `allowed_hosts` lists. The check is on when the listener
 * is bound to a loopback address, or whatever its address once `allowed_hosts` lists a name; a
 * listener on 0.0.0.0 with an empty list answers any Host, since the names it is reached by
 * (a Service, a load balancer, a compose service) are not known here.
 */
export interface AllowedHosts {
  /** Whether a Host header (with or without its port) is answered. */
  allows(host: string | undefined): boolean;
}

const anyHost: AllowedHosts = { allows: () => true };

/** The policy of a listener bound to `bindAddress` with the configured `entries` (`*`: any host; `*.example.com`: any subdomain). */
export function compileAllowedHosts(bindAddress: string, entries: readonly string[]): AllowedHosts {
  if (entries.includes('*') || (entries.length === 0 && !isLoopbackHost(bindAddress))) return anyHost;
  const exact = new Set<string>();
  const suffixes: string[] = ['.localhost'];
  for (const entry of entries) {
    const name = entry.toLowerCase();
    if (name.startsWith('*.')) suffixes.push(name.slice(1));
    else exact.add(name);
  }
  return {
    allows(host) {
      if (host === undefined) return true;
      const name = hostnameOf(host);
      if (name === 'localhost' || exact.has(name) || isIP(name) !== 0) return true;
      for (const suffix of suffixes) if (name.length > suffix.length && name.endsWith(suffix)) return true;
      return false;
    },
  };
}

/** The host of a Host header, lower-cased, without its port or an IPv6 address's brackets. */
function hostnameOf(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) {
    const close = lower.indexOf(']');
    return close === -1 ? lower : lower.slice(1, close);
  }
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}
