import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { ledgerRowsByRequest } from '../ledger/ledger-helpers.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// OpenAI answers with the processing tier that served a call (`service_tier`). Flex is billed at
// Batch API rates, half the standard price (developers.openai.com/api/docs/guides/flex-processing);
// priority at the prices of openai.com/api-priority-processing; `default` and `scale` at the
// standard price. gpt-5: standard $1.25 / $10, flex $0.625 / $5, priority $2.50 / $20.

const usage = { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, total_tokens: 2_000_000 };
const expected: Record<string, number> = { default: 11.25, scale: 11.25, flex: 5.625, priority: 22.5 };

describe('OpenAI service tiers are priced at their own rates', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let directory: string;
  let storage: string;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-tier-'));
    storage = `sqlite:${join(directory, 'ledger.db')}`;
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; stream?: boolean; service_tier?: string };
      const tier = body.service_tier ?? 'default';
      const head = { id: 'chatcmpl-1', created: 1, model: 'gpt-5-2025-08-07', service_tier: tier, system_fingerprint: null };
      if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(
          [
            { ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }], usage: null },
            { ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null },
            { ...head, object: 'chat.completion.chunk', choices: [], usage },
          ]
            .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
            .join('') + 'data: [DONE]\n\n',
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ...head, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }], usage }));
    });
    gateway = await startGateway('{}', { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${upstream.url}/v1` }, { storage });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const client = (requestId: string) => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });

  for (const tier of ['default', 'scale', 'flex', 'priority'] as const) {
    it(`${tier}: the header and the stream's ledger row`, async () => {
      const { data, response } = await client(`json-${tier}`).chat.completions.create({ model: 'openai/gpt-5', service_tier: tier, messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
      assert.equal(data.service_tier, tier);
      assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), expected[tier]);
      const stream = await client(`stream-${tier}`).chat.completions.create({ model: 'openai/gpt-5', service_tier: tier, stream: true, messages: [{ role: 'user', content: 'Hi' }] });
      for await (const _chunk of stream) void _chunk;
    });
  }

  it('the ledger has the tier prices, streams included', async () => {
    await gateway.close();
    const rows = await ledgerRowsByRequest(storage);
    for (const tier of Object.keys(expected)) {
      assert.equal(Number(rows.get(`json-${tier}`)?.cost_usd), expected[tier], `json ${tier}`);
      assert.equal(Number(rows.get(`stream-${tier}`)?.cost_usd), expected[tier], `stream ${tier}`);
    }
  });
});
