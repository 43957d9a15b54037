/**
 * Removes credentials from text that reaches a client or a log, should the provider echo one in
 * an error message. Values under 4 characters are left alone: splitting on them would mangle the
 * message and such a value is no secret worth hiding.
 */
export function withoutSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let clean = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    clean = clean.split(secret).join('[redacted]');
    // The key as providers mask it when they quote it ("Incorrect API key provided: sk-***abcd"):
    // its last characters are still the operator's key's, and the client is not the key's holder.
    if (secret.length >= 12 && /\*\*|…|\.\.\./.test(clean)) clean = clean.replace(maskedToken, (token, masked: string, end: string) => (masked.endsWith(secret.slice(-4)) ? `[redacted]${end}` : token));
  }
  return clean;
}

/** A token with a run of asterisks or an ellipsis inside: how a provider masks a key it quotes. */
const maskedToken = /([^\s"',]*(?:\*{2,}|…|\.{3})[^\s"',]*?)([.;:!?)]*)(?=[\s"',]|$)/g;

/** withoutSecrets for a provider whose only credential is its API key. */
export function withoutSecret(text: string, apiKey: string | undefined): string {
  return withoutSecrets(text, [apiKey]);
}
