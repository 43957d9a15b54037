import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { isApiError } from '../../helpers/openai-sdk.ts';
import { replyWhole } from '../../helpers/provider-replies.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { checkingConverse } from './checking-bedrock-stand-in.ts';
import { fixtureBytes } from './event-stream-fixtures.ts';

/**
 * reasoning_effort and sampling parameters for Claude on Bedrock follow the same model rules as
 * Anthropic's API (src/providers/claude-model-family.ts): adaptive thinking with an effort on
 * Opus 4.6 / Sonnet 4.6 and later, no temperature/top_p/top_k on Opus 4.7 and later, budgets on
 * older models. A Bedrock API key keeps the stand-in free of SigV4 (bedrock-gateway.test.ts checks that).
 */
describe('bedrock provider: Claude thinking and sampling by model generation (OpenAI SDK client)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    const answer = replyWhole(200, { 'content-type': 'application/json' }, () => fixtureBytes('converse-text.json'));
    // The stand-in refuses what Converse refuses, thinking budgets under 1024 or not below maxTokens included.
    ({ upstream, client, close } = await startProviderGateway(checkingConverse(() => answer), (url) => ({
      config: `
providers:
  aws: { type: bedrock, api_key: bedrock-key, base_url: "${url}", options: { region: us-east-1 } }
  aws-strict: { type: bedrock, api_key: bedrock-key, base_url: "${url}", strict_params: true, options: { region: us-east-1 } }
`,
    })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  function sent(): { inferenceConfig?: Record<string, unknown>; additionalModelRequestFields?: Record<string, unknown> } {
    assert.equal(upstream.requests.length, 1);
    return upstream.requests[0].json as ReturnType<typeof sent>;
  }

  const hi = [{ role: 'user' as const, content: 'Hi' }];

  it('us.anthropic.claude-opus-4-8-v1:0: adaptive thinking with output_config.effort; temperature, top_p and top_k left out', async () => {
    await client.chat.completions.create({ model: 'aws/us.anthropic.claude-opus-4-8-v1:0', reasoning_effort: 'high', temperature: 0.7, top_p: 0.9, messages: hi, top_k: 40 } as never);
    const body = sent();
    assert.deepEqual(body.additionalModelRequestFields, { thinking: { type: 'adaptive' }, output_config: { effort: 'high' } });
    assert.deepEqual(body.inferenceConfig, { maxTokens: 16384 + 4096 });
  });

  it('anthropic.claude-opus-4-7 without reasoning: no sampling parameters either; a client limit stands with adaptive thinking', async () => {
    await client.chat.completions.create({ model: 'aws/anthropic.claude-opus-4-7', temperature: 0.2, max_tokens: 300, messages: hi });
    assert.deepEqual(sent(), { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 300 } });
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'aws/anthropic.claude-opus-4-7', reasoning_effort: 'minimal', max_tokens: 300, messages: hi });
    assert.deepEqual([sent().additionalModelRequestFields, sent().inferenceConfig], [{ thinking: { type: 'adaptive' }, output_config: { effort: 'low' } }, { maxTokens: 300 }]);
  });

  it('anthropic.claude-opus-4-6-v1 thinks adaptively (xhigh is high there) and keeps a temperature when it does not think', async () => {
    await client.chat.completions.create({ model: 'aws/anthropic.claude-opus-4-6-v1', reasoning_effort: 'xhigh' as 'high', messages: hi });
    assert.deepEqual(sent().additionalModelRequestFields, { thinking: { type: 'adaptive' }, output_config: { effort: 'high' } });
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'aws/anthropic.claude-opus-4-6-v1', temperature: 0.4, messages: hi });
    assert.deepEqual(sent().inferenceConfig, { temperature: 0.4 });
  });

  it('an older Claude keeps budget_tokens', async () => {
    await client.chat.completions.create({ model: 'aws/anthropic.claude-sonnet-4-5-20250929-v1:0', reasoning_effort: 'low', messages: hi });
    assert.deepEqual(sent().additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: 1024 } });
  });

  it("max_completion_tokens is the client's cap: thinking fits within it (at most half), never raising it (F3)", async () => {
    const sonnet = 'aws/anthropic.claude-sonnet-4-5-20250929-v1:0';
    await client.chat.completions.create({ model: sonnet, reasoning_effort: 'high', max_completion_tokens: 10000, messages: hi });
    assert.deepEqual([sent().additionalModelRequestFields, sent().inferenceConfig], [{ thinking: { type: 'enabled', budget_tokens: 5000 } }, { maxTokens: 10000 }]);
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: sonnet, reasoning_effort: 'medium', max_tokens: 40000, messages: hi });
    assert.deepEqual([sent().additionalModelRequestFields, sent().inferenceConfig], [{ thinking: { type: 'enabled', budget_tokens: 4096 } }, { maxTokens: 40000 }]);
    // Too small a cap for Claude's 1024-token minimum budget: no thinking, the cap as asked (and a temperature is kept).
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: sonnet, reasoning_effort: 'high', max_completion_tokens: 1000, temperature: 0.3, messages: hi });
    assert.deepEqual(sent(), { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 1000, temperature: 0.3 } });
    // No cap: room for the answer beside the budget.
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: sonnet, reasoning_effort: 'high', messages: hi });
    assert.deepEqual(sent().inferenceConfig, { maxTokens: 16384 + 4096 });
  });

  it('Claude 4.1 to 4.6 take temperature or top_p, not both: topP is left out when both come', async () => {
    for (const model of ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0', 'anthropic.claude-opus-4-1-20250805-v1:0', 'global.anthropic.claude-opus-4-5-20251101-v1:0', 'anthropic.claude-sonnet-4-6']) {
      upstream.requests.length = 0;
      await client.chat.completions.create({ model: `aws/${model}`, temperature: 0.7, top_p: 1, messages: hi });
      assert.deepEqual(sent().inferenceConfig, { temperature: 0.7 }, model);
    }
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'aws/anthropic.claude-sonnet-4-20250514-v1:0', temperature: 0.7, top_p: 0.9, messages: hi });
    assert.deepEqual(sent().inferenceConfig, { temperature: 0.7, topP: 0.9 });
    // Not Claude: both go.
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'aws/amazon.nova-pro-v1:0', temperature: 0.7, top_p: 0.9, messages: hi });
    assert.deepEqual(sent().inferenceConfig, { temperature: 0.7, topP: 0.9 });
    upstream.requests.length = 0;
    await assert.rejects(client.chat.completions.create({ model: 'aws-strict/us.anthropic.claude-sonnet-4-5-20250929-v1:0', temperature: 0.7, top_p: 1, messages: hi }), (error: unknown) => {
      isApiError(400, 'unsupported_parameter', 'invalid_request_error')(error);
      assert.equal((error as { param?: string }).param, 'top_p');
      return true;
    });
    assert.equal(upstream.requests.length, 0);
  });

  it('under strict_params a current Claude refuses sampling parameters with 400 unsupported_parameter', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'aws-strict/us.anthropic.claude-opus-4-8-v1:0', top_p: 0.5, messages: hi }), isApiError(400, 'unsupported_parameter', 'invalid_request_error'));
    assert.equal(upstream.requests.length, 0);
  });
});
