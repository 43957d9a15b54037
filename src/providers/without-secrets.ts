/**
 * Removes credentials from text that reaches a client or a log, should the provider echo one in
 * an error message. Values under 4 characters are left alone: splitting on them would mangle the
 * message and such a value is no secret worth hiding.
 */
export function withoutSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let clean = text;
  for (const secret of secrets) if (secret && secret.length >= 4) clean = clean.split(secret).join('[redacted]');
  return clean;
}

/** withoutSecrets for a provider whose only credential is its API key. */
export function withoutSecret(text: string, apiKey: string | undefined): string {
  return withoutSecrets(text, [apiKey]);
}
