/** The port Ollama listens on by default, assumed when OLLAMA_HOST names none. */
const defaultPort = '11434';

/** `host[:port][/path]` as an http URL, the way Ollama's CLI reads an OLLAMA_HOST without a scheme. */
function withScheme(text: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  const slash = text.indexOf('/');
  const authority = slash === -1 ? text : text.slice(0, slash);
  const path = slash === -1 ? '' : text.slice(slash);
  const port = /:(\d+)$/.exec(authority);
  const host = port ? authority.slice(0, port.index) : authority;
  return `http://${host || '127.0.0.1'}:${port ? port[1] : defaultPort}${path}`;
}

/**
 * The server's root URL from a base URL or an OLLAMA_HOST value. OLLAMA_HOST may lack a scheme
 * (`127.0.0.1:11434`, `gpu-box`): then `http://` and port 11434 are assumed. `0.0.0.0` and `[::]`
 * are the server's bind-all addresses, which a client reaches on loopback. A trailing `/` and a
 * trailing `/api` (the endpoints' own prefix) are dropped; any other path (a reverse proxy's) is kept.
 */
export function ollamaRootUrl(baseUrl: string): string {
  const url = new URL(withScheme(baseUrl.trim()));
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  else if (url.hostname === '[::]') url.hostname = '[::1]';
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  return `${url.protocol}//${url.host}${path}`;
}
