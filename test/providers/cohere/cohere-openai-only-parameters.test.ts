import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { replyWhole } from '../../helpers/provider-replies.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { refusal } from '../../helpers/openai-sdk.ts';
import { fixtureBytes } from './fixtures.ts';

/**
 * OpenAI-only chat parameters Cohere has nothing for (web search, verbosity, stored completions,
 * predicted outputs, safety_identifier), through the real gateway: refused with 400 under
 * strict_params (`strict`), before any call, as `user` is; otherwise left out (`lenient`).
 */

const config = (url: string) => `providers:
  strict: { type: cohere, api_key: test-key, base_url: "${url}", strict_params: true }
  lenient: { type: cohere, api_key: test-key, base_url: "${url}" }
`;

describe('cohere: OpenAI-only parameters are refused under strict_params, else left out (OpenAI SDK)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    const reply = replyWhole(200, { 'content-type': 'application/json' }, () => fixtureBytes('chat-text.json'));
    ({ upstream, client, close } = await startProviderGateway((request, response) => reply(request, response), (url) => ({ config: config(url) })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  const user: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hi' }];

  it('web_search_options, verbosity, store, prediction and safety_identifier: 400 unsupported_parameter naming each; store: false is no request', async () => {
    const asked: Array<[string, Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>]> = [
      ['web_search_options', { web_search_options: {} }],
      ['verbosity', { verbosity: 'low' }],
      ['store', { store: true }],
      ['prediction', { prediction: { type: 'content', content: 'Hello' } }],
      ['safety_identifier', { safety_identifier: 'user-1' }],
    ];
    for (const [name, fields] of asked) {
      const error = await refusal(client.chat.completions.create({ model: 'strict/command-a-03-2025', messages: user, ...fields }));
      assert.deepEqual([error.status, error.code, (error.error as { param?: string }).param], [400, 'unsupported_parameter', name]);
    }
    assert.equal(upstream.requests.length, 0);
    await client.chat.completions.create({ model: 'strict/command-a-03-2025', messages: user, store: false });
    await client.chat.completions.create({ model: 'lenient/command-a-03-2025', messages: user, web_search_options: {}, verbosity: 'low', store: true, safety_identifier: 'user-1' });
    assert.equal(upstream.requests.length, 2);
    assert.deepEqual(Object.keys(upstream.requests[1].json as object).sort(), ['messages', 'model', 'stream']);
  });
});
