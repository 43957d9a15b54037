import { GatewayError } from '../../errors/gateway-error.ts';
import { withoutSecrets } from '../without-secrets.ts';

/** Network errors that mean nothing answered at that address. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Tokens a token endpoint may echo that the credential file does not hold: JWTs (assertions, subject tokens; cut short too) and Google access tokens. */
const tokenPatterns = [/eyJ[\w-]+(?:\.[\w-]*){0,2}/g, /ya29\.[\w.-]+/g];

/** The short words an error body gives: OAuth's `error (error_description)`, or Google's `{"error":{"message"}}`. */
function answerOf(data: unknown, scrub: (text: string) => string): string {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return '';
    }
  }
  if (body === null || typeof body !== 'object') return '';
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  if (typeof error === 'string' && error !== '') {
    return typeof description === 'string' && description !== '' ? `: ${scrub(error).slice(0, 100)} (${scrub(description).slice(0, 200)})` : `: ${scrub(error).slice(0, 100)}`;
  }
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message !== '' ? `: ${scrub(message).slice(0, 200)}` : '';
}

/** The error codes of an error and its causes (fetch and node-fetch nest the socket's error). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, name, type } = current as { code?: unknown; name?: unknown; type?: unknown };
    for (const value of [code, name, type]) if (typeof value === 'string') codes.push(value);
  }
  return codes;
}

/**
 * What went wrong getting a token, in words for the client: the HTTP status and OAuth error of an
 * answer, "could not be reached" or "did not answer in time" for no answer, else the library's own
 * message (a missing subject token file, a metadata server without its Metadata-Flavor header).
 * The library's error is never passed on as is: its config holds the request's form (the
 * assertion, the refresh token).
 */
function describe(error: unknown, endpoint: string, scrub: (text: string) => string): string {
  const response = (error as { response?: { status?: unknown; data?: unknown } } | null)?.response;
  if (typeof response?.status === 'number') return `${endpoint} answered HTTP ${response.status}${answerOf(response.data, scrub)}`;
  const codes = codesOf(error);
  if (codes.some((code) => /timeout/i.test(code) || code === 'ETIMEDOUT' || code === 'request-timeout')) return `${endpoint} did not answer in time`;
  const unreachable = codes.find((code) => unreachableCodes.has(code));
  if (unreachable !== undefined) return `${endpoint} could not be reached (${unreachable})`;
  const message = error instanceof Error ? error.message : String(error);
  return scrub(message).replace(/\s+/g, ' ').slice(0, 300).replace(/\.$/, '');
}

/**
 * A token that could not be had, as a 502 `provider_auth_failed` (so retries and fallbacks treat it
 * as the upstream failure it is). `secrets` (the credential file's key, refresh token, client
 * secret) and anything shaped like a JWT or an access token are scrubbed from the message.
 */
export function googleAuthFailure(provider: string, error: unknown, endpoint: string, secrets: ReadonlyArray<string | undefined>): GatewayError {
  // An endpoint that echoes its request echoes the form: the secrets URL-encoded too.
  const encoded = secrets.flatMap((secret) => (secret ? [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)] : []));
  const scrub = (text: string) => tokenPatterns.reduce((clean, pattern) => clean.replace(pattern, '[redacted]'), withoutSecrets(text, encoded));
  const detail = describe(error, endpoint, scrub);
  return new GatewayError({
    status: 502,
    type: 'upstream_error',
    code: 'provider_auth_failed',
    message: `Provider '${provider}' could not get a Google access token: ${detail}.`,
    upstream: true,
  });
}
