import { createHash, createHmac } from 'node:crypto';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The SigV4 signature of a received request, computed from AWS's written procedure with nothing
 * but node:crypto: an independent check of what @smithy/signature-v4 produced. For every service
 * but S3 the canonical URI encodes each (already encoded) path segment once more.
 */
export function signatureByHand(request: RecordedRequest, secretAccessKey: string): string {
  const authorization = String(request.headers.authorization);
  const [, shortDate, region, service, signedHeaderList] = /Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+),/.exec(authorization) ?? [];
  const names = signedHeaderList.split(';');
  const canonicalHeaders = names.map((name) => `${name}:${String(request.headers[name]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalUri = request.path.split('/').map(uriEncode).join('/');
  const canonicalRequest = [request.method, canonicalUri, '', canonicalHeaders, signedHeaderList, sha256Hex(request.body)].join('\n');
  const amzDate = String(request.headers['x-amz-date']);
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, shortDate), region), service), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}
