import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { replyWhole } from '../../helpers/provider-replies.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { refusal, weatherTool } from '../../helpers/openai-sdk.ts';
import { fixtureBytes } from './fixtures.ts';

/**
 * What Ollama cannot honour, through the real gateway: `parallel_tool_calls: false` (Ollama has no
 * such switch, and its models may call several tools) and OpenAI-only parameters (web search,
 * verbosity, stored completions, predicted outputs, safety_identifier). Refused with 400 under
 * strict_params (`strict`), before any call; otherwise left out (`lenient`).
 */

const config = (url: string) => `providers:
  strict: { type: ollama, base_url: "${url}", strict_params: true }
  lenient: { type: ollama, base_url: "${url}" }
`;

describe('ollama: parameters Ollama cannot honour are refused under strict_params, else left out (OpenAI SDK)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    const reply = replyWhole(200, { 'content-type': 'application/json; charset=utf-8' }, () => fixtureBytes('chat-tool-call.json'));
    ({ upstream, client, close } = await startProviderGateway((request, response) => reply(request, response), (url) => ({ config: config(url) })));
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

  it('parallel_tool_calls: false is refused under strict_params; true is no request; without strict it is left out', async () => {
    assert.equal(await refusedParam(client.chat.completions.create({ model: 'strict/llama3.2', messages: user, tools: [weatherTool], parallel_tool_calls: false })), 'parallel_tool_calls');
    assert.equal(upstream.requests.length, 0);
    await client.chat.completions.create({ model: 'strict/llama3.2', messages: user, tools: [weatherTool], parallel_tool_calls: true });
    const completion = await client.chat.completions.create({ model: 'lenient/llama3.2', messages: user, tools: [weatherTool], parallel_tool_calls: false });
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    assert.equal(upstream.requests.length, 2);
    assert.equal('parallel_tool_calls' in (upstream.requests[1].json as object), false);
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
      assert.equal(await refusedParam(client.chat.completions.create({ model: 'strict/llama3.2', messages: user, ...fields })), name);
    }
    assert.equal(upstream.requests.length, 0);
    await client.chat.completions.create({ model: 'strict/llama3.2', messages: user, store: false });
    await client.chat.completions.create({ model: 'lenient/llama3.2', messages: user, web_search_options: {}, verbosity: 'low', store: true, safety_identifier: 'user-1' });
    assert.equal(upstream.requests.length, 2);
    assert.deepEqual(Object.keys(upstream.requests[1].json as object).sort(), ['messages', 'model', 'stream']);
  });
});
