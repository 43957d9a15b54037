import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { AwsCredentials } from './bedrock-options.ts';

/** Headers SigV4 leaves out of a signature (AWS's signers skip them: proxies may change them). */
const unsignedHeaders = new Set(['authorization', 'user-agent', 'x-amzn-trace-id', 'connection', 'expect', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'cache-control', 'from', 'max-forwards', 'pragma', 'referer']);

/** RFC 3986 percent-encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical URI of a path as sent: every service but S3 signs each (already encoded) segment
 * encoded once more, so `/model/a%3A0/converse` is signed as `/model/a%253A0/converse`.
 */
function canonicalPath(path: string): string {
  return path.split('/').map(uriEncode).join('/');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: KeyObject | string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/**
 * Signs HTTP requests with AWS Signature Version 4 (AWS's "Create a signed AWS API request"),
 * synchronously, with node:crypto. The signing key is derived once per day, region and service,
 * and kept as a KeyObject (Node makes one from raw key bytes on every createHmac, ~20 us here).
 * Written here instead of calling @smithy/signature-v4 per request: that signer, async and
 * generic, cost a Converse call ~140 us of the gateway's CPU at full load (Bedrock through the
 * gateway served 0.60 of what it served with a bearer key), against ~10 us for this one; its
 * output is the reference the tests check this against.
 */
export class SigV4Signer {
  readonly #credentials: AwsCredentials;
  readonly #region: string;
  readonly #service: string;
  #keyDate = '';
  #signingKey: KeyObject | null = null;

  constructor(credentials: AwsCredentials, region: string, service: string) {
    this.#credentials = credentials;
    this.#region = region;
    this.#service = service;
  }

  #keyFor(shortDate: string): KeyObject {
    if (this.#signingKey === null || this.#keyDate !== shortDate) {
      const dateKey = hmac(`AWS4${this.#credentials.secretAccessKey}`, shortDate);
      this.#signingKey = createSecretKey(hmac(hmac(hmac(dateKey, this.#region), this.#service), 'aws4_request'));
      this.#keyDate = shortDate;
    }
    return this.#signingKey;
  }

  /**
   * The request's headers plus x-amz-date, x-amz-content-sha256, x-amz-security-token (temporary
   * credentials) and authorization, every name in lower case. `headers` must hold every header
   * that will be sent, host included; all but the unsigned ones are signed.
   */
  sign(method: string, path: string, headers: Record<string, string>, body: string, now = new Date()): Record<string, string> {
    const longDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const shortDate = longDate.slice(0, 8);
    const payloadHash = sha256Hex(body);
    const signed: Record<string, string> = {};
    for (const name in headers) signed[name.toLowerCase()] = headers[name]!;
    signed['x-amz-date'] = longDate;
    signed['x-amz-content-sha256'] = payloadHash;
    if (this.#credentials.sessionToken) signed['x-amz-security-token'] = this.#credentials.sessionToken;
    const names = Object.keys(signed).filter((name) => !unsignedHeaders.has(name)).sort();
    let canonicalHeaders = '';
    for (const name of names) canonicalHeaders += `${name}:${signed[name]!.trim().replace(/\s+/g, ' ')}\n`;
    const signedNames = names.join(';');
    const canonicalRequest = `${method}\n${canonicalPath(path)}\n\n${canonicalHeaders}\n${signedNames}\n${payloadHash}`;
    const scope = `${shortDate}/${this.#region}/${this.#service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signature = createHmac('sha256', this.#keyFor(shortDate)).update(stringToSign, 'utf8').digest('hex');
    signed.authorization = `AWS4-HMAC-SHA256 Credential=${this.#credentials.accessKeyId}/${scope}, SignedHeaders=${signedNames}, Signature=${signature}`;
    return signed;
  }
}
