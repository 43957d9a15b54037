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
    if (secret.length >= 12 && /\*\*|…|\.\.\./.test(clean)) clean = clean.replace(maskedToken, (token, masked: string, end: string) => (isMaskOf(masked, secret) ? `[redacted]${end}` : token));
  }
  return clean;
}

/**
 * A token with a run of asterisks or an ellipsis inside: how a provider masks a key it quotes. An
 * opening bracket before it and closing punctuation after it are not part of it ("(sk-***abcd).").
 */
const maskedToken = /([^\s"',([]*(?:\*{2,}|…|\.{3})[^\s"',]*?)([.;:!?)\]]*)(?=[\s"',]|$)/g;

/** The mask runs inside a masked token. */
const maskRun = /\*{2,}|…|\.{3}/g;

/**
 * Whether a masked token quotes `secret`. Its visible end must be the key's: the last 4 characters
 * or more (OpenAI's `sk-***abcd`) suffice; a shorter end of 2 or 3 (xAI's `xa***99`) only when the
 * visible start is 2 or more of the key's first characters too, so that ordinary text with an
 * ellipsis ("wait...ok") does not lose words that happen to end like the key.
 */
function isMaskOf(masked: string, secret: string): boolean {
  if (masked.endsWith(secret.slice(-4))) return true;
  const runs = [...masked.matchAll(maskRun)];
  if (runs.length === 0) return false;
  const first = runs[0]!;
  const last = runs[runs.length - 1]!;
  const start = masked.slice(0, first.index);
  const end = masked.slice(last.index + last[0].length);
  return end.length >= 2 && secret.endsWith(end) && start.length >= 2 && secret.startsWith(start);
}

/** withoutSecrets for a provider whose only credential is its API key. */
export function withoutSecret(text: string, apiKey: string | undefined): string {
  return withoutSecrets(text, [apiKey]);
}

/** OpenAI's organization and project ids (`org-…`, `proj_…`), as its rate-limit messages name them. */
const accountIds = /\b(org-|proj_)[A-Za-z0-9]{8,}\b/g;

/**
 * Removes the operator's account ids from a provider's error text ("Rate limit reached for
 * gpt-4o in organization org-… on tokens per min"): the gateway keeps the account its key belongs
 * to from clients, as it drops the openai-organization and openai-project headers.
 */
export function withoutAccountIds(text: string): string {
  return text.replace(accountIds, '$1[redacted]');
}
