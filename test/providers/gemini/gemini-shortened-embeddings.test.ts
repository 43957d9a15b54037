import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';

/**
 * Google normalises only gemini-embedding-001's full 3072-dimension vectors; shortened ones
 * (outputDimensionality) come back as they are, and Google says to normalise them. OpenAI's are
 * unit length, and code written for the openai SDK compares by dot product. Through the real
 * gateway: vectors asked with `dimensions` come back with length 1, as floats and as base64.
 */

const shortened = [0, 0.1, 0.2];
const length = (vector: number[]) => Math.hypot(...vector);
const fromBase64 = (text: string) => Array.from(new Float32Array(new Uint8Array(Buffer.from(text, 'base64')).buffer));

describe('gemini: embeddings shortened with dimensions come back unit length (OpenAI SDK)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    ({ upstream, client, close } = await startProviderGateway((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      const batch = request.path.endsWith(':batchEmbedContents');
      response.end(JSON.stringify(batch ? { embeddings: [{ values: shortened }, { values: [3, 4, 0] }] } : { embedding: { values: shortened } }));
    }, (url) => ({ env: { GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: url } })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  it('floats: each vector scaled to length 1, in the same direction', async () => {
    const result = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'hello', dimensions: 3, encoding_format: 'float' });
    assert.equal((upstream.requests[0].json as { outputDimensionality?: number }).outputDimensionality, 3);
    const vector = result.data[0].embedding;
    assert.ok(Math.abs(length(vector) - 1) < 1e-12, String(vector));
    assert.ok(Math.abs(vector[2] / vector[1] - 2) < 1e-12);

    const batch = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: ['a', 'b'], dimensions: 3, encoding_format: 'float' });
    assert.deepEqual(batch.data[1].embedding, [0.6, 0.8, 0]);
    assert.ok(Math.abs(length(batch.data[0].embedding) - 1) < 1e-12);
  });

  it("base64 (the SDK's default) decodes to a unit vector too", async () => {
    const result = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'hello', dimensions: 3, encoding_format: 'base64' });
    const vector = fromBase64(result.data[0].embedding as unknown as string);
    assert.ok(Math.abs(length(vector) - 1) < 1e-6, String(vector));
  });

  it("without dimensions the vectors are Google's as they came (the full size is normalised by Google)", async () => {
    const result = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'hello', encoding_format: 'float' });
    assert.deepEqual(result.data[0].embedding, shortened);
  });
});
