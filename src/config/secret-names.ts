/** Words that make a name secret wherever they stand in it, spelled without separators (`proxy-authorization`, `secretKey`, `x_password`). */
const secretWords = /secret|passw(?:or)?d|pwd|authorization|cookie|credential|signature|privatekey|sessionid/;

/**
 * Whether a field's name looks like it holds a secret: one of secretWords, or a name that ends in
 * `key(s)` or `token(s)` (`api_key`, `x-goog-api-key`, `Ocp-Apim-Subscription-Key`, `authToken`,
 * `x-auth-token`). The Admin API hides such values in its views of the YAML
 * (src/admin/redact-secrets.ts), and a config problem does not quote them (format-issues.ts).
 */
export function isSecretName(name: string): boolean {
  const spelled = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return secretWords.test(spelled) || spelled.endsWith('key') || spelled.endsWith('keys') || spelled.endsWith('token') || spelled.endsWith('tokens');
}
