import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { RecordedRequest, StandIn } from '../../helpers/stand-in-server.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { refusal, weatherTool } from '../../helpers/openai-sdk.ts';
import { fixtureBytes } from './fixtures.ts';

/**
 * What Gemini cannot honour, through the real gateway: `parallel_tool_calls: false` (an Anthropic
 * client's `disable_parallel_tool_use`), OpenAI-only parameters (web search, verbosity, stored
 * completions, predicted outputs, safety_identifier), and thinking asked of a model without it.
 * One provider entry is strict (`strict`: refused with 400 before any call), one is not (`lenient`:
 * served without them). The stand-in refuses a thinkingConfig on the models Google refuses it on.
 */

type Body = Record<string, unknown>;

/** Google documents thinking for Gemini 2.5 and 3 only; the others answer this 400 (googleapis/js-genai #681). */
const noThinking = /gemini-(1\.|2\.0)|gemma|gemini-2\.5-flash-image/;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}

function answer(request: RecordedRequest, response: ServerResponse): void {
  const thinking = ((request.json as Body).generationConfig as Body | undefined)?.thinkingConfig;
  if (thinking !== undefined && noThinking.test(request.path)) {
    return json(response, 400, { error: { code: 400, message: 'Unable to submit request because thinking is not supported by this model.', status: 'INVALID_ARGUMENT' } });
  }
  json(response, 200, JSON.parse(fixtureBytes('generate-text.json').toString('utf8')));
}

const config = (url: string) => `providers:
  strict: { type: gemini, api_key: test-key, base_url: "${url}", strict_params: true }
  lenient: { type: gemini, api_key: test-key, base_url: "${url}" }
`;

describe('gemini: parameters Gemini cannot honour are refused under strict_params, else left out (OpenAI and Anthropic SDKs)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let anthropic: Anthropic;
  let close: () => Promise<void>;

  before(async () => {
    const started = await startProviderGateway(answer, (url) => ({ config: config(url) }));
    ({ upstream, client, close } = started);
    anthropic = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
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
  const sentGenerationConfig = (): Body | undefined => (upstream.requests.at(-1)!.json as Body).generationConfig as Body | undefined;

  it('parallel_tool_calls: false is refused under strict_params (an Anthropic client\'s disable_parallel_tool_use too); true is no request', async () => {
    assert.equal(await refusedParam(client.chat.completions.create({ model: 'strict/gemini-2.5-flash', messages: user, tools: [weatherTool], parallel_tool_calls: false })), 'parallel_tool_calls');
    const anthropicError = await anthropic.messages
      .create({ model: 'strict/gemini-2.5-flash', max_tokens: 100, messages: [{ role: 'user', content: 'Weather in Rome?' }], tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }], tool_choice: { type: 'auto', disable_parallel_tool_use: true } })
      .then(() => null, (error: unknown) => error);
    assert.ok(anthropicError instanceof Anthropic.APIError && anthropicError.status === 400 && /parallel_tool_calls/.test(anthropicError.message), String(anthropicError));
    assert.equal(upstream.requests.length, 0);
    await client.chat.completions.create({ model: 'strict/gemini-2.5-flash', messages: user, tools: [weatherTool], parallel_tool_calls: true });
    await client.chat.completions.create({ model: 'lenient/gemini-2.5-flash', messages: user, tools: [weatherTool], parallel_tool_calls: false });
    assert.equal(upstream.requests.length, 2);
    assert.equal('parallel_tool_calls' in (upstream.requests[1].json as Body), false);
  });

  it('web_search_options, verbosity, store, prediction and safety_identifier are refused under strict_params; store: false is no request', async () => {
    const asked: Array<[string, Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>]> = [
      ['web_search_options', { web_search_options: {} }],
      ['verbosity', { verbosity: 'low' }],
      ['store', { store: true }],
      ['prediction', { prediction: { type: 'content', content: 'Sunny' } }],
      ['safety_identifier', { safety_identifier: 'user-1' }],
    ];
    for (const [name, fields] of asked) {
      assert.equal(await refusedParam(client.chat.completions.create({ model: 'strict/gemini-2.5-flash', messages: user, ...fields })), name);
    }
    assert.equal(upstream.requests.length, 0);
    await client.chat.completions.create({ model: 'strict/gemini-2.5-flash', messages: user, store: false });
    await client.chat.completions.create({ model: 'lenient/gemini-2.5-flash', messages: user, web_search_options: {}, verbosity: 'low', store: true, safety_identifier: 'user-1' });
    assert.equal(upstream.requests.length, 2);
    assert.deepEqual(Object.keys(upstream.requests[1].json as Body), ['contents']);
  });

  it('thinking asked of a model that cannot think (2.0, 1.5, Gemma, 2.5 Flash Image) is left out, refused under strict_params; none asks for no thinking, which they honour', async () => {
    for (const model of ['gemini-2.0-flash', 'gemini-1.5-pro', 'gemma-3-27b-it', 'gemini-2.5-flash-image']) {
      const completion = await client.chat.completions.create({ model: `lenient/${model}`, messages: user, reasoning_effort: 'high' });
      assert.equal(completion.choices[0].finish_reason, 'stop');
      assert.equal(sentGenerationConfig(), undefined, model);
    }
    assert.equal(await refusedParam(client.chat.completions.create({ model: 'strict/gemini-2.0-flash', messages: user, reasoning_effort: 'low' })), 'reasoning_effort');
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'strict/gemini-2.0-flash', messages: user, reasoning_effort: 'none' });
    assert.equal(sentGenerationConfig(), undefined);
    // Models that think still get their thinkingConfig.
    await client.chat.completions.create({ model: 'strict/gemini-2.5-flash', messages: user, reasoning_effort: 'low' });
    assert.deepEqual(sentGenerationConfig(), { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } });
  });

  it("an Anthropic client's thinking on gemini-2.0-flash is served without it (a Claude Code-style agent keeps working)", async () => {
    const message = await anthropic.messages.create({ model: 'lenient/gemini-2.0-flash', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(sentGenerationConfig()?.thinkingConfig, undefined);
  });
});
