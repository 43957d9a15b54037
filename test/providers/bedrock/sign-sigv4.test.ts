import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { SigV4Signer } from '../../../src/providers/bedrock/sign-sigv4.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const host = 'bedrock-runtime.eu-west-1.amazonaws.com';
const path = '/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse';
const body = '{"messages":[{"role":"user","content":[{"text":"héllo  there"}]}]}';

/** The headers AWS's own signer (@smithy/signature-v4, the reference) writes for the same request. */
async function referenceHeaders(headers: Record<string, string>, signingDate: Date, withCredentials: typeof credentials & { sessionToken?: string } = credentials): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'bedrock', region: 'eu-west-1', credentials: withCredentials, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({ method: 'POST', protocol: 'https:', hostname: host, path, query: {}, headers, body }, { signingDate });
  return signed.headers as Record<string, string>;
}

describe('SigV4Signer (synchronous SigV4 with node:crypto)', () => {
  it("writes the signature, date and payload hash AWS's own signer writes, header case and spacing aside", async () => {
    const signingDate = new Date('2026-12-06T10:11:12.345Z');
    const headers = { host, 'Content-Type': 'application/json', accept: 'application/json', 'x-team': '  search   team ' };
    const ours = new SigV4Signer(credentials, 'eu-west-1', 'bedrock').sign('POST', path, headers, body, signingDate);
    const reference = await referenceHeaders(headers, signingDate);
    assert.equal(ours['x-amz-date'], '20261206T101112Z');
    assert.equal(ours['x-amz-content-sha256'], reference['x-amz-content-sha256']);
    assert.match(ours.authorization!, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261206\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date;x-team, Signature=[0-9a-f]{64}$/);
    assert.equal(ours.authorization, reference.authorization);
    assert.equal(ours['content-type'], 'application/json');
  });

  it('signs the session token of temporary credentials, and a new day with a new key', async () => {
    const temporary = { ...credentials, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' };
    const signer = new SigV4Signer(temporary, 'eu-west-1', 'bedrock');
    for (const signingDate of [new Date('2026-12-06T23:59:59Z'), new Date('2026-12-07T00:00:01Z')]) {
      const ours = signer.sign('POST', path, { host, 'content-type': 'application/json' }, body, signingDate);
      const reference = await referenceHeaders({ host, 'content-type': 'application/json' }, signingDate, temporary);
      assert.equal(ours['x-amz-security-token'], temporary.sessionToken);
      assert.equal(ours.authorization, reference.authorization);
    }
  });

  it('gives a different signature for another secret, body or path', () => {
    const date = new Date('2026-12-06T10:00:00Z');
    const signature = (secret: string, text: string, at: string) => new SigV4Signer({ ...credentials, secretAccessKey: secret }, 'eu-west-1', 'bedrock').sign('POST', at, { host }, text, date).authorization;
    const base = signature(credentials.secretAccessKey, body, path);
    assert.notEqual(signature('another-secret', body, path), base);
    assert.notEqual(signature(credentials.secretAccessKey, `${body} `, path), base);
    assert.notEqual(signature(credentials.secretAccessKey, body, '/model/x/converse'), base);
  });
});
