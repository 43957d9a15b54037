import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { costOfUsage } from '../../src/usage/compute-cost.ts';
import { PriceCatalog, shippedCatalog } from '../../src/usage/price-catalog.ts';
import { ledgerRowsByRequest } from '../ledger/ledger-helpers.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// Long-context rates: Anthropic bills every token of a Claude Sonnet 4 / 4.5 request whose input
// (input, cache reads and cache writes together) is over 200k tokens at $6 input / $22.50 output,
// the cache multipliers applied to $6 (platform.claude.com/docs/en/about-claude/pricing, "Long
// context pricing"); Google bills Gemini 2.5 Pro prompts over 200k at $2.50 / $15
// (ai.google.dev/gemini-api/docs/pricing). Snapshots priced apart from their family:
// gpt-4o-2024-05-13 at $5 / $15 (platform.openai.com/docs/pricing). OpenAI's priority page
// (openai.com/api-priority-processing) also prices gpt-4o-mini, o3 and o4-mini.

/** The usage a test asks for, by the last user message's text (`usage:<json>`). */
function usageIn(body: unknown): Record<string, unknown> {
  const text = JSON.stringify(body);
  const match = /usage:(\{.*?\})END/.exec(text.replaceAll('\\"', '"'));
  assert.ok(match, 'the test names the usage');
  return JSON.parse(match[1]!) as Record<string, unknown>;
}

describe('long-context rates, snapshot prices and the priority tier of more OpenAI models reach the header and the ledger', () => {
  let anthropicUpstream: StandIn;
  let openaiUpstream: StandIn;
  let geminiUpstream: StandIn;
  let gateway: RunningGateway;
  let directory: string;
  let storage: string;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-long-context-'));
    storage = `sqlite:${join(directory, 'ledger.db')}`;
    anthropicUpstream = await startStandIn((request, response) => {
      const body = request.json as { model: string };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text: 'Hello.' }], stop_reason: 'end_turn', stop_sequence: null, usage: usageIn(body) }));
    });
    openaiUpstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; service_tier?: string };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model, service_tier: body.service_tier ?? 'default', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }], usage: usageIn(body) }));
    });
    geminiUpstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: usageIn(request.json), modelVersion: 'gemini-2.5-pro' }));
    });
    gateway = await startGateway(
      '{}',
      {
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: anthropicUpstream.url,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: `${openaiUpstream.url}/v1`,
        GEMINI_API_KEY: 'test-key',
        GEMINI_BASE_URL: geminiUpstream.url,
      },
      { storage },
    );
  });
  after(async () => {
    await gateway.close();
    await Promise.all([anthropicUpstream.close(), openaiUpstream.close(), geminiUpstream.close()]);
    rmSync(directory, { recursive: true, force: true });
  });

  const openai = (requestId: string) => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });
  const anthropic = (requestId: string) => new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });

  async function chatCost(requestId: string, model: string, usage: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<number> {
    const { response } = await openai(requestId)
      .chat.completions.create({ model, messages: [{ role: 'user', content: `usage:${JSON.stringify(usage)}END` }], ...extra })
      .withResponse();
    return Number(response.headers.get('x-tollgate-cost-usd'));
  }

  it('Claude Sonnet 4.5 over 200k input tokens: every token at $6 / $22.50; at 200k exactly, the base rates', async () => {
    assert.equal(await chatCost('sonnet-long', 'anthropic/claude-sonnet-4-5', { input_tokens: 250_000, output_tokens: 2000 }), 1.545);
    assert.equal(await chatCost('sonnet-edge', 'anthropic/claude-sonnet-4-5', { input_tokens: 200_000, output_tokens: 2000 }), 0.63);
  });

  it('Claude Sonnet 4 through the Anthropic SDK: cache reads count toward the 200k and are billed at 0.1 x $6', async () => {
    const usage = { input_tokens: 20_000, cache_read_input_tokens: 190_000, cache_creation_input_tokens: 0, output_tokens: 1000 };
    const { response } = await anthropic('sonnet4-cache')
      .messages.create({ model: 'anthropic/claude-sonnet-4', max_tokens: 100, messages: [{ role: 'user', content: `usage:${JSON.stringify(usage)}END` }] })
      .withResponse();
    // 20,000 x $6 + 190,000 x $0.60 + 1,000 x $22.50, per million.
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), 0.2565);
  });

  it('Gemini 2.5 Pro over 200k prompt tokens: $2.50 / $15', async () => {
    const usage = { promptTokenCount: 250_000, candidatesTokenCount: 2000, totalTokenCount: 252_000 };
    assert.equal(await chatCost('gemini-long', 'gemini/gemini-2.5-pro', usage), 0.655);
  });

  it('gpt-4o-2024-05-13 is priced as itself, not as gpt-4o; priority too', async () => {
    const usage = { prompt_tokens: 10_000, completion_tokens: 1000, total_tokens: 11_000 };
    assert.equal(await chatCost('gpt4o-0513', 'openai/gpt-4o-2024-05-13', usage), 0.065);
    assert.equal(await chatCost('gpt4o-0513-priority', 'openai/gpt-4o-2024-05-13', usage, { service_tier: 'priority' }), 0.11375);
    // The family's own snapshots still take the family's price.
    assert.equal(await chatCost('gpt4o-0806', 'openai/gpt-4o-2024-08-06', usage), 0.035);
  });

  it('priority on gpt-4o-mini, o3 and o4-mini at the priority page prices', async () => {
    const usage = { prompt_tokens: 3282, completion_tokens: 500, total_tokens: 3782, prompt_tokens_details: { cached_tokens: 2048 }, completion_tokens_details: { reasoning_tokens: 300 } };
    assert.equal(await chatCost('mini-priority', 'openai/gpt-4o-mini', usage, { service_tier: 'priority' }), 0.0010645);
    assert.equal(await chatCost('o3-priority', 'openai/o3', usage, { service_tier: 'priority' }), 0.013111);
    assert.equal(await chatCost('o4-mini-priority', 'openai/o4-mini', usage, { service_tier: 'priority' }), 0.007492);
  });

  it('the ledger holds the same numbers', async () => {
    await gateway.close();
    const rows = await ledgerRowsByRequest(storage);
    assert.equal(Number(rows.get('sonnet-long')?.cost_usd), 1.545);
    assert.equal(Number(rows.get('sonnet4-cache')?.cost_usd), 0.2565);
    assert.equal(Number(rows.get('gemini-long')?.cost_usd), 0.655);
    assert.equal(Number(rows.get('gpt4o-0513')?.cost_usd), 0.065);
    assert.equal(Number(rows.get('o3-priority')?.cost_usd), 0.013111);
  });
});

describe('price catalogue: long-context entries and Cohere aliases', () => {
  const catalog = new PriceCatalog(shippedCatalog());

  it("Cohere's command-r-plus and command-r are their 04-2024 / 03-2024 snapshots, not the 08-2024 models", () => {
    const cohere = { name: 'cohere', type: 'cohere' };
    assert.deepEqual([catalog.lookup(cohere, 'command-r-plus')?.input, catalog.lookup(cohere, 'command-r-plus')?.output], [3, 15]);
    assert.deepEqual([catalog.lookup(cohere, 'command-r-03-2024')?.input, catalog.lookup(cohere, 'command-r-03-2024')?.output], [0.5, 1.5]);
    assert.deepEqual([catalog.lookup(cohere, 'command-r-plus-08-2024')?.input, catalog.lookup(cohere, 'command-r-plus-08-2024')?.output], [2.5, 10]);
    const bedrock = { name: 'bedrock', type: 'bedrock' };
    assert.equal(catalog.lookup(bedrock, 'cohere.command-r-plus-v1:0')?.output, 15);
  });

  it('Bedrock Claude Sonnet 4.5 over 200k: a 1-hour write at twice the long-context input', () => {
    const price = catalog.lookup({ name: 'bedrock', type: 'bedrock' }, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.ok(price);
    const usage = { prompt_tokens: 210_000, completion_tokens: 0, total_tokens: 210_000, cache_creation_tokens: 10_000, cache_creation_1h_tokens: 10_000 };
    // 200,000 x $6 + 10,000 x $12, per million.
    assert.equal(Number(costOfUsage(price, usage).toFixed(10)), 1.32);
  });

  it('a pricing: override can give a model its own long-context rates', () => {
    const custom = new PriceCatalog(shippedCatalog(), { local: { big: { input: 1, output: 2, long_context: { above_input_tokens: 100, input: 10, output: 20 } } } });
    const price = custom.lookup({ name: 'local', type: 'openai-compatible' }, 'big');
    assert.ok(price);
    assert.equal(costOfUsage(price, { prompt_tokens: 100, completion_tokens: 100, total_tokens: 200 }) * 1e6, 300);
    assert.equal(costOfUsage(price, { prompt_tokens: 101, completion_tokens: 100, total_tokens: 201 }) * 1e6, 3010);
  });
});
