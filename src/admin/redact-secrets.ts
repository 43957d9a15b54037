import { redactUrlSecrets } from '../config/redact-url-secrets.ts';

/**
 * What the Admin API's read-only views of the YAML (GET /providers, /models, /routes, /plugins)
 * hide: values under secret-looking names, and the secrets a URL carries (a password in its
 * userinfo, credential-looking query or fragment parameters), anywhere in a string.
 */

const secretName = /^(key|keys?_?secret|api_?key|token|secret|password|authorization|credentials?)$|(_key|_secret|_token|_password)$/i;

/** A deep copy with every value under a secret-looking name replaced by "***", and every URL's secrets too. */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return redactUrlSecrets(value);
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, secretName.test(name) && inner !== '' && inner !== undefined ? '***' : redactSecrets(inner)]));
}
