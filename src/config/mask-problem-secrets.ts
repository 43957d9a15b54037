import { redactParameters, redactUrlSecrets } from './redact-url-secrets.ts';

/** `user:password@` where the scheme is missing or misspelt (`redis:/:pw@host`, `admin:pw@db:5432`): the password part. */
const bareUserinfo = /([\w.~%!$&'()*+,;=-]*):([^\s/?#@"'`]+)@/g;

/** A query string in text that is no well-formed URL (`127.0.0.1:9/v1?api_key=sk-...`). */
const bareQuery = /\?([^\s"'`#]+)/g;

/** A YAML or JSON line that names a credential (`api_key: sk-...`, `"token": "..."`), as a YAML syntax error quotes it. */
const namedSecret = /\b(api[_-]?key|access[_-]?key(?:[_-]id)?|secret(?:[_-]access[_-]key)?|token|password|authorization|credentials?)(["']?\s*[:=]\s*["']?)([^\s"',}\]]{4,})/gi;

/**
 * A config problem as it may be shown and logged: values the config took from the environment are
 * quoted in problems (`redis: ... got "redis:/:<password>@host"`), and a YAML error quotes the
 * line, so the secrets such a value or line carries are replaced by ***: a URL's password and
 * credential-looking query parameters, also in URLs too malformed to parse, and the value after a
 * credential-looking name. The rest stays as written, so the problem can still be found.
 */
export function maskProblemSecrets(problem: string): string {
  const masked = redactUrlSecrets(problem)
    .replace(bareUserinfo, (whole, user: string, password: string) => (password === '***' ? whole : `${user}:***@`))
    .replace(bareQuery, (_whole, query: string) => `?${redactParameters(query)}`);
  // Only a YAML error quotes the file's own text; elsewhere `plugins.jwt.secret: expected ...` is a path and a message.
  if (!masked.startsWith('YAML:')) return masked;
  return masked.replace(namedSecret, (whole, name: string, separator: string, value: string) => (value === '***' || value.startsWith('${') ? whole : `${name}${separator}***`));
}
