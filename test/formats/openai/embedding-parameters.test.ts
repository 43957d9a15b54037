import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BadRequestError } from 'openai';
import { startProviderGateway, type ProviderGateway } from '../../helpers/provider-gateway.ts';

/** A Cohere /v2/embed answer for the texts it was sent: 2-value vectors, billed tokens. */
function cohereEmbed(body: { texts: string[] }): unknown {
  return { id: 'e', embeddings: { float: body.texts.map(() => [0.5, -0.25]) }, texts: body.texts, meta: { billed_units: { input_tokens: body.texts.length } } };
}

/** A 400 invalid_request_error that names `param`, as OpenAI answers a value it does not take. */
function refusesParam(param: string) {
  return (error: unknown) => error instanceof BadRequestError && error.param === param && error.type === 'invalid_request_error' && error.message.includes(`'${param}'`);
}

// OpenAI's embeddings reference takes `encoding_format` float or base64 and `dimensions` as a
// positive integer; other values are 400s. The gateway checks them before any provider is called,
// so a translated provider (Cohere here) never turns them into something else with a 200.
describe('embeddings parameters as OpenAI checks them (OpenAI SDK through the gateway)', () => {
  let running: ProviderGateway;

  before(async () => {
    running = await startProviderGateway(
      (request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(cohereEmbed(request.json as { texts: string[] })));
      },
      (url) => ({ config: `providers:\n  cohere: { type: cohere, api_key: co-key, base_url: "${url}" }` }),
    );
  });
  beforeEach(() => {
    running.upstream.requests.length = 0;
  });
  after(() => running.close());

  const embed = (fields: Record<string, unknown>) => running.client.embeddings.create({ model: 'cohere/embed-v4.0', input: 'hello', ...fields } as never);

  it("encoding_format other than float or base64 is a 400 naming 'encoding_format'; nothing goes upstream", async () => {
    for (const value of ['int8', 'binary', 'FLOAT', 5]) await assert.rejects(embed({ encoding_format: value }), refusesParam('encoding_format'), String(value));
    assert.equal(running.upstream.requests.length, 0);
  });

  it("dimensions that is not a positive integer is a 400 naming 'dimensions'; nothing goes upstream", async () => {
    for (const value of ['abc', -5, 0, 1.5, '512', true]) await assert.rejects(embed({ dimensions: value }), refusesParam('dimensions'), String(value));
    assert.equal(running.upstream.requests.length, 0);
  });

  it('input as OpenAI takes it: no empty string or token array, at most 2048 entries (the dos2 audit: 200,000 empty strings were 2,000 upstream calls that counted no tokens); 2048 pass', async () => {
    const refusesInput = (param: string) => (error: unknown) => error instanceof BadRequestError && error.param === param && error.type === 'invalid_request_error';
    await assert.rejects(embed({ input: '' }), refusesInput('input'));
    await assert.rejects(embed({ input: [] }), refusesInput('input'));
    await assert.rejects(embed({ input: ['a', '', 'b'] }), refusesInput('input[1]'));
    await assert.rejects(embed({ input: [[1, 2], []] }), refusesInput('input[1]'));
    await assert.rejects(embed({ input: Array.from({ length: 2049 }, () => 'x') }), (error: unknown) => refusesInput('input')(error) && (error as Error).message.includes('2049 entries'));
    assert.equal(running.upstream.requests.length, 0);
    const most = await embed({ input: Array.from({ length: 2048 }, (_unused, index) => `text ${index}`), encoding_format: 'float' });
    assert.equal(most.data.length, 2048);
  });

  it('valid values and nulls pass: float, base64 (the SDK default), a positive dimensions', async () => {
    const floats = await embed({ encoding_format: 'float', dimensions: 256 });
    assert.deepEqual(floats.data[0].embedding, [0.5, -0.25]);
    assert.equal((running.upstream.requests[0].json as { output_dimension?: number }).output_dimension, 256);
    const decoded = await embed({});
    assert.deepEqual(decoded.data[0].embedding, [0.5, -0.25]);
    const nulls = await embed({ encoding_format: null, dimensions: null });
    assert.deepEqual(nulls.data[0].embedding, [0.5, -0.25]);
    assert.equal('output_dimension' in (running.upstream.requests[2].json as object), false);
  });
});
