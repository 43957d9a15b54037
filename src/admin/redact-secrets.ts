import { redactUrlSecrets } from '../config/redact-url-secrets.ts';
import { isSecretName } from '../config/secret-names.ts';

/**
 * What the Admin API's read-only views of the YAML (GET /providers, /models, /routes, /plugins)
 * hide, to a viewer token as to an admin one: text values under secret-looking names, every value
 * of a `headers` map (a header's value is a credential more often than not: `x-api-key`,
 * `x-honeycomb-team`, `dd-api-key`; the names stay readable, as GET /providers shows a provider's
 * headers), and the secrets a URL carries (a password in its userinfo, credential-looking query or
 * fragment parameters), anywhere in a string.
 */

/**
 * What is hidden under a secret-looking name: text (not empty) and a whole object (a credentials
 * file's fields). Numbers and booleans are no secrets (a limit's `tokens`), and a list is read
 * entry by entry (key-auth's `keys`, each entry's `key` hidden).
 */
function hidden(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A deep copy with every secret-looking text replaced by "***", and every URL's secrets too. */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return redactUrlSecrets(value);
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, inner]) => {
      if (name.toLowerCase() === 'headers' && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) return [name, Object.fromEntries(Object.keys(inner).map((header) => [header, '***']))];
      return [name, isSecretName(name) && hidden(inner) ? '***' : redactSecrets(inner)];
    }),
  );
}
