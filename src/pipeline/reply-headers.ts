const rateLimitPrefix = 'x-ratelimit-';
const upstreamRateLimitPrefix = 'x-upstream-ratelimit-';

function setsRateLimit(headers: Readonly<Record<string, string>> | undefined): boolean {
  if (headers === undefined) return false;
  for (const name in headers) if (name.startsWith(rateLimitPrefix)) return true;
  return false;
}

/**
 * A reply's headers: the provider's passed-on headers (OpenAI's `x-ratelimit-*`, `openai-*`, ...)
 * under the gateway's own, later maps winning. When the gateway limits this caller itself (the
 * rate-limit plugin's `x-ratelimit-*` trios), the provider's `x-ratelimit-*`, which describe the
 * operator's account, move to `x-upstream-ratelimit-*`: a client never reads a requests trio from
 * one and a tokens trio from the other. `content-type` is left out when the caller writes its own
 * (event streams). An Anthropic provider's `request-id` stays over the gateway's (which an
 * Anthropic-format client gets when no provider sent one).
 */
export function replyHeaders(
  provider: Readonly<Record<string, string>> | undefined,
  gateway: Readonly<Record<string, string>> | undefined,
  later?: Readonly<Record<string, string>>,
  options: { contentType: boolean } = { contentType: true },
): Record<string, string> {
  const renameRateLimits = setsRateLimit(gateway) || setsRateLimit(later);
  const headers: Record<string, string> = {};
  if (provider !== undefined) {
    for (const name in provider) {
      if (!options.contentType && name === 'content-type') continue;
      const value = provider[name];
      if (renameRateLimits && name.startsWith(rateLimitPrefix)) headers[upstreamRateLimitPrefix + name.slice(rateLimitPrefix.length)] = value;
      else headers[name] = value;
    }
  }
  if (gateway !== undefined) Object.assign(headers, gateway);
  if (later !== undefined) Object.assign(headers, later);
  const providerRequestId = provider?.['request-id'];
  if (providerRequestId !== undefined) headers['request-id'] = providerRequestId;
  return headers;
}

/**
 * A provider error's headers (its `x-ratelimit-*` among them) beside the gateway's: moved to
 * `x-upstream-ratelimit-*`, in place, when the gateway limits this caller itself, as replyHeaders
 * does for answers.
 */
export function moveUpstreamRateLimits(errorHeaders: Record<string, string>, gateway: Readonly<Record<string, string>>): void {
  if (!setsRateLimit(gateway)) return;
  for (const name of Object.keys(errorHeaders)) {
    if (!name.startsWith(rateLimitPrefix)) continue;
    errorHeaders[upstreamRateLimitPrefix + name.slice(rateLimitPrefix.length)] = errorHeaders[name]!;
    delete errorHeaders[name];
  }
}
