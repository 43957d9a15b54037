import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';

export interface VerifierCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type Verdict = { ok: true; region: string; service: string } | { ok: false; reason: string };

/** `20261206T092148Z` -> the Date it names. */
function dateOf(amzDate: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!match) throw new Error(`bad x-amz-date ${amzDate}`);
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/**
 * What AWS does with a signed request, as a stand-in can: recompute the SigV4 signature with the
 * secret it knows, over the method, path, signed headers and body bytes it received, and compare.
 * A wrong secret, a changed byte, host or path, or a header left out of the signature fails.
 */
export async function verifySigV4(request: RecordedRequest, known: VerifierCredentials): Promise<Verdict> {
  const authorization = String(request.headers.authorization ?? '');
  const parsed = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!parsed) return { ok: false, reason: 'no SigV4 authorization header' };
  const [, accessKeyId, , region, service, signedHeaderList] = parsed;
  if (accessKeyId !== known.accessKeyId) return { ok: false, reason: 'unknown access key id' };
  const signedNames = signedHeaderList.split(';');
  for (const required of ['host', 'x-amz-date']) if (!signedNames.includes(required)) return { ok: false, reason: `${required} is not signed` };
  const headers: Record<string, string> = {};
  for (const name of signedNames) {
    const value = request.headers[name];
    if (value === undefined) return { ok: false, reason: `signed header ${name} was not sent` };
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // AWS hashes the body it received; a signer must not be trusted to have hashed what it sent.
  const bodyHash = createHash('sha256').update(request.body, 'utf8').digest('hex');
  if (headers['x-amz-content-sha256'] !== undefined && headers['x-amz-content-sha256'] !== bodyHash) return { ok: false, reason: 'x-amz-content-sha256 does not match the body' };
  delete headers['x-amz-content-sha256'];
  const sessionToken = headers['x-amz-security-token'];
  const signer = new SignatureV4({ service, region, credentials: { ...known, ...(sessionToken ? { sessionToken } : {}) }, sha256: Hash.bind(null, 'sha256') });
  const [hostname, port] = headers.host.split(':');
  const expected = await signer.sign(
    { method: request.method, protocol: 'http:', hostname, port: port ? Number(port) : undefined, path: request.path, query: {}, headers, body: request.body },
    { signingDate: dateOf(headers['x-amz-date']) },
  );
  if (expected.headers.authorization !== authorization) return { ok: false, reason: 'signature mismatch' };
  return { ok: true, region, service };
}
