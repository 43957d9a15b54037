import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256ForSigning } from '../../../src/providers/bedrock/sha256-for-signing.ts';

describe('Sha256ForSigning (the SigV4 signer hashes with cached HMAC keys)', () => {
  it('gives the SHA-256 and HMAC-SHA256 of node:crypto, for text and byte keys, again after reset and on reuse', async () => {
    const plain = new Sha256ForSigning();
    plain.update('héllo');
    plain.update(new Uint8Array([1, 2, 3]));
    assert.deepEqual(Buffer.from(await plain.digest()), createHash('sha256').update('héllo').update(Buffer.from([1, 2, 3])).digest());
    for (const key of ['AWS4secret', new Uint8Array(32).fill(7)]) {
      for (let round = 0; round < 2; round++) {
        const keyed = new Sha256ForSigning(key);
        keyed.update('string to sign');
        assert.deepEqual(Buffer.from(await keyed.digest()), createHmac('sha256', typeof key === 'string' ? key : Buffer.from(key)).update('string to sign').digest());
      }
    }
    const reset = new Sha256ForSigning('k');
    reset.update('thrown away');
    reset.reset();
    reset.update('kept');
    assert.deepEqual(Buffer.from(await reset.digest()), createHmac('sha256', 'k').update('kept').digest());
  });

  it('makes the same signature as the signer with smithy\'s own Hash', async () => {
    const options = { service: 'bedrock', region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } };
    const request = { method: 'POST', protocol: 'https:', hostname: 'bedrock-runtime.eu-west-1.amazonaws.com', path: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse', query: {}, headers: { host: 'bedrock-runtime.eu-west-1.amazonaws.com', 'content-type': 'application/json' }, body: '{"messages":[]}' };
    const signingDate = new Date('2026-12-06T10:00:00Z');
    const ours = await new SignatureV4({ ...options, sha256: Sha256ForSigning }).sign(structuredClone(request), { signingDate });
    const theirs = await new SignatureV4({ ...options, sha256: Hash.bind(null, 'sha256') }).sign(structuredClone(request), { signingDate });
    assert.match(String(ours.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261206\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$/);
    assert.equal(ours.headers.authorization, theirs.headers.authorization);
  });
});
