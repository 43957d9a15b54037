import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

function completion(usage: object | undefined) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1700000000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from upstream', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    ...(usage ? { usage } : {}),
  };
}

describe('x-tollgate-cost-usd on non-streaming responses', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;
  before(async () => {
    upstream = await startStandIn((request, response) => {
      const withoutUsage = request.body.includes('no usage please');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion(withoutUsage ? undefined : { prompt_tokens: 10_000, completion_tokens: 1000, total_tokens: 11_000, prompt_tokens_details: { cached_tokens: 4000 } })));
    });
    gw = await startGateway(
      `
pricing:
  echo: { "*": { input: 2, output: 4 } }
  openai: { gpt-4o: { input: 2 } }
`,
      { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${upstream.url}/v1` },
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('prices a passthrough OpenAI response from its usage, cached tokens at the cached price', async () => {
    const { response } = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    // gpt-4o-mini: $0.15 input, $0.075 cached, $0.60 output per million.
    const expected = (6000 * 0.15 + 4000 * 0.075 + 1000 * 0.6) / 1e6;
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), Number(expected.toFixed(10)));
    assert.equal(response.headers.get('x-tollgate-cost-estimated'), null);
  });

  it('estimates (and says so) when the provider reports no usage', async () => {
    const { response } = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'no usage please' }] }).withResponse();
    assert.ok(Number(response.headers.get('x-tollgate-cost-usd')) > 0);
    assert.equal(response.headers.get('x-tollgate-cost-estimated'), 'true');
  });

  it('uses prices from the config for models the catalog does not know (echo)', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'echo/anything', messages: [{ role: 'user', content: 'price this answer' }] }).withResponse();
    const usage = data.usage!;
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), Number(((usage.prompt_tokens * 2 + usage.completion_tokens * 4) / 1e6).toFixed(10)));
  });

  it('sends no cost header on streams (the usage arrives after the headers)', async () => {
    const stream = await client.chat.completions.create({ model: 'echo/x', stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(stream.response.headers.get('x-tollgate-cost-usd'), null);
    for await (const _chunk of stream.data);
  });
});
