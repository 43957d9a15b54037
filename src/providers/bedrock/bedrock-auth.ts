import type { AwsCredentials } from './bedrock-options.ts';
import { SigV4Signer } from './sign-sigv4.ts';

/** The signing name of Bedrock Runtime (its endpoint is bedrock-runtime, its SigV4 service is bedrock). */
export const bedrockSigningService = 'bedrock';

export interface SignableRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A Bedrock API key (console-made, or AWS_BEARER_TOKEN_BEDROCK) travels as a bearer token, unsigned. */
export function bearerHeaders(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}` };
}

/** One signer per provider: it keeps the day's derived signing key. */
export function createBedrockSigner(credentials: AwsCredentials, region: string): SigV4Signer {
  return new SigV4Signer(credentials, region, bedrockSigningService);
}

/**
 * Signs a request with SigV4 and returns the headers to send: the request's own plus host,
 * x-amz-date, x-amz-content-sha256, x-amz-security-token (temporary credentials) and
 * authorization. The host is set here because it is signed and must be exactly what goes on the
 * wire (with the port of a non-default endpoint); the path is signed as sent (the percent-encoded
 * model id), which the signer encodes once more, as AWS expects.
 */
export function signedHeaders(signer: SigV4Signer, request: SignableRequest): Record<string, string> {
  const url = new URL(request.url);
  return signer.sign('POST', url.pathname, { ...request.headers, host: url.host }, request.body);
}
