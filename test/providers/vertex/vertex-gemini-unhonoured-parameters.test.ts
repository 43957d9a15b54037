import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { RecordedRequest, StandIn } from '../../helpers/stand-in-server.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { refusal, weatherTool } from '../../helpers/openai-sdk.ts';
import { fixtureBytes as geminiFixture } from '../gemini/fixtures.ts';

/**
 * Gemini on Vertex AI takes the Gemini API's body, so what Gemini cannot honour is refused the same
 * way under strict_params (and left out otherwise), through the real gateway: `parallel_tool_calls:
 * false`, OpenAI-only parameters, thinking asked of a model without it. And gemini-embedding-001
 * vectors shortened with `dimensions` come back unit length, as on the Gemini API.
 */

type Body = Record<string, unknown>;

function json(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}

function answer(request: RecordedRequest, response: ServerResponse): void {
  if (request.path.endsWith(':predict')) return json(response, { predictions: [{ embeddings: { statistics: { token_count: 1 }, values: [3, 0, 4] } }] });
  json(response, JSON.parse(geminiFixture('generate-text.json').toString('utf8')));
}

const config = (url: string) => `providers:
  strict: { type: vertex, api_key: ya29.test-token, base_url: "${url}", strict_params: true, options: { project: p1, location: us-central1 } }
  lenient: { type: vertex, api_key: ya29.test-token, base_url: "${url}", options: { project: p1, location: us-central1 } }
`;

describe('vertex Gemini models: unhonoured parameters and shortened embeddings (OpenAI SDK)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    ({ upstream, client, close } = await startProviderGateway(answer, (url) => ({ config: config(url) })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  const user: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Rome?' }];
  const refusedParam = async (request: Promise<unknown>): Promise<string | undefined> => {
    const error = await refusal(request);
    assert.deepEqual([error.status, error.code], [400, 'unsupported_parameter']);
    return (error.error as { param?: string }).param;
  };

  it('parallel_tool_calls: false, OpenAI-only parameters and thinking on gemini-2.0-flash are refused under strict_params, before any call', async () => {
    assert.equal(await refusedParam(client.chat.completions.create({ model: 'strict/gemini-2.5-flash', messages: user, tools: [weatherTool], parallel_tool_calls: false })), 'parallel_tool_calls');
    assert.equal(await refusedParam(client.chat.completions.create({ model: 'strict/gemini-2.5-flash', messages: user, web_search_options: {} })), 'web_search_options');
    assert.equal(await refusedParam(client.chat.completions.create({ model: 'strict/gemini-2.5-flash', messages: user, verbosity: 'high' })), 'verbosity');
    assert.equal(await refusedParam(client.chat.completions.create({ model: 'strict/gemini-2.0-flash', messages: user, reasoning_effort: 'high' })), 'reasoning_effort');
    assert.equal(upstream.requests.length, 0);
    await client.chat.completions.create({ model: 'strict/gemini-2.5-flash', messages: user, tools: [weatherTool], parallel_tool_calls: true, store: false });
    assert.equal(upstream.requests.length, 1);
  });

  it('without strict_params they are left out: no thinkingConfig for gemini-2.0-flash', async () => {
    await client.chat.completions.create({ model: 'lenient/gemini-2.0-flash', messages: user, tools: [weatherTool], parallel_tool_calls: false, reasoning_effort: 'high', safety_identifier: 'u-1' });
    const body = upstream.requests[0].json as Body;
    assert.equal(body.generationConfig, undefined);
    assert.deepEqual(Object.keys(body).sort(), ['contents', 'tools']);
  });

  it('gemini-embedding-001 asked with dimensions: the vector comes back unit length', async () => {
    const result = await client.embeddings.create({ model: 'lenient/gemini-embedding-001', input: 'hello', dimensions: 3, encoding_format: 'float' });
    assert.deepEqual(upstream.requests[0].json, { instances: [{ content: 'hello' }], parameters: { outputDimensionality: 3 } });
    assert.deepEqual(result.data[0].embedding, [0.6, 0, 0.8]);
  });
});
