import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from './bedrock-options.ts';
import { Sha256ForSigning } from './sha256-for-signing.ts';

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

/**
 * One signer per provider: it keeps the day's derived signing key, so a call costs one HMAC chain
 * less; its hashes are Sha256ForSigning's (HMAC keys made once, not per call).
 */
export function createBedrockSigner(credentials: AwsCredentials, region: string): SignatureV4 {
  return new SignatureV4({ service: bedrockSigningService, region, credentials, sha256: Sha256ForSigning });
}

/**
 * Signs a request with SigV4 and returns the headers to send: the request's own plus host,
 * x-amz-date, x-amz-content-sha256, x-amz-security-token (temporary credentials) and
 * authorization, as the signer writes them. The host is set here because it is signed and must
 * be exactly what goes on the wire (with the port of a non-default endpoint); the path is signed
 * as sent (the percent-encoded model id), which the signer encodes once more, as AWS expects.
 */
export async function signedHeaders(signer: SignatureV4, request: SignableRequest): Promise<Record<string, string>> {
  const url = new URL(request.url);
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: url.pathname,
    query: {},
    headers: { ...request.headers, host: url.host },
    body: request.body,
  });
  return signed.headers as Record<string, string>;
}
