import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { fixtureBytes } from './fixtures.ts';

type GenerateBody = {
  systemInstruction?: { parts: Array<{ text: string }> };
  contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
  generationConfig?: { maxOutputTokens?: number; thinkingConfig?: { thinkingBudget?: number; thinkingLevel?: string; includeThoughts?: boolean } };
};

/**
 * An Anthropic SDK client on Gemini: system blocks and a tool result's blocks reach Gemini apart
 * (never glued), and an exact thinking budget goes as Gemini's thinkingBudget, within the model's
 * range and below the output limit (Gemini counts thoughts against maxOutputTokens).
 */
describe('Anthropic Messages API clients on Gemini (audit findings F3, F6)', () => {
  let upstream: StandIn;
  let client: Anthropic;
  let close: () => Promise<void>;

  before(async () => {
    const started = await startProviderGateway(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(fixtureBytes('generate-text.json'));
      },
      (upstreamUrl) => ({ env: { GEMINI_API_KEY: 'gem-key', GEMINI_BASE_URL: upstreamUrl } }),
    );
    ({ upstream, close } = started);
    client = new Anthropic({ baseURL: started.gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  function sent(): GenerateBody {
    assert.equal(upstream.requests.length, 1);
    return upstream.requests[0].json as GenerateBody;
  }

  it('F3: system blocks are separate lines of the systemInstruction', async () => {
    await client.messages.create({ model: 'gemini/gemini-2.5-flash', max_tokens: 100, system: [{ type: 'text', text: 'Answer in French' }, { type: 'text', text: 'Use JSON' }], messages: [{ role: 'user', content: 'Hi' }] });
    assert.deepEqual(sent().systemInstruction, { parts: [{ text: 'Answer in French\nUse JSON' }] });
  });

  it("F3: a tool_result of several text blocks is the functionResponse's result, one block a line", async () => {
    await client.messages.create({
      model: 'gemini/gemini-2.5-flash',
      max_tokens: 100,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: [{ type: 'text', text: 'Result one.' }, { type: 'text', text: 'Result two.' }] }] },
      ],
    });
    const response = sent().contents[2].parts[0].functionResponse as { name: string; response: unknown };
    assert.deepEqual(response, { id: 'toolu_01A', name: 'get_weather', response: { result: 'Result one.\nResult two.' } });
  });

  it('F6: the exact budget_tokens is the thinkingBudget (not an effort bucket)', async () => {
    const budgetOf = async (model: string, maxTokens: number, budgetTokens: number) => {
      upstream.requests.length = 0;
      await client.messages.create({ model, max_tokens: maxTokens, thinking: { type: 'enabled', budget_tokens: budgetTokens }, messages: [{ role: 'user', content: 'Think' }] });
      const config = sent().generationConfig!;
      return [config.maxOutputTokens, config.thinkingConfig?.thinkingBudget, config.thinkingConfig?.includeThoughts];
    };
    assert.deepEqual(await budgetOf('gemini/gemini-2.5-flash', 5000, 3000), [5000, 3000, true]);
    assert.deepEqual(await budgetOf('gemini/gemini-2.5-flash', 12000, 10000), [12000, 10000, true]);
    assert.deepEqual(await budgetOf('gemini/gemini-2.5-pro', 6000, 5000), [6000, 5000, true]);
  });

  it("F6: the budget stays within the model's range and leaves room for the answer", async () => {
    const budgetOf = async (model: string, maxTokens: number, budgetTokens: number) => {
      upstream.requests.length = 0;
      // A timeout of its own: the SDK refuses a large max_tokens without streaming otherwise.
      await client.messages.create({ model, max_tokens: maxTokens, thinking: { type: 'enabled', budget_tokens: budgetTokens }, messages: [{ role: 'user', content: 'Think' }] }, { timeout: 30_000 });
      return sent().generationConfig!.thinkingConfig?.thinkingBudget;
    };
    // Above the model's most: Flash takes up to 24576, Pro up to 32768.
    assert.equal(await budgetOf('gemini/gemini-2.5-flash', 64000, 40000), 24576);
    assert.equal(await budgetOf('gemini/gemini-2.5-pro', 64000, 40000), 32768);
    // A budget that would take the whole output limit gets half of it, so the answer has room.
    assert.equal(await budgetOf('gemini/gemini-2.5-flash', 4000, 4000), 2000);
    // Flash-Lite thinks at least 512 tokens.
    assert.equal(await budgetOf('gemini/gemini-2.5-flash-lite', 800, 1024), 512);
  });

  it('Gemini 3 keeps its thinking level (it takes levels, not budgets)', async () => {
    await client.messages.create({ model: 'gemini/gemini-3-pro-preview', max_tokens: 5000, thinking: { type: 'enabled', budget_tokens: 3000 }, messages: [{ role: 'user', content: 'Think' }] });
    assert.deepEqual(sent().generationConfig!.thinkingConfig, { includeThoughts: true, thinkingLevel: 'high' });
  });
});
