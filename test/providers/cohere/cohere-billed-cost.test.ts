import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { ledgerRowsByRequest } from '../../ledger/ledger-helpers.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

// Cohere bills `usage.billed_units` ("the number of billed input tokens"), which leaves out the
// tokens of its own prompt template that `usage.tokens` counts. The cost is computed from
// billed_units; the client and the ledger keep seeing `tokens` (what the model read and wrote,
// OpenAI's meaning), as src/providers/cohere/README.md documents.

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/cohere/${name}`, import.meta.url));

// command-r-plus-08-2024: $2.50 input, $10 output.
const price = { input: 2.5, output: 10 };
const costOf = (input: number, output: number) => Number(((input * price.input + output * price.output) / 1e6).toFixed(10));

describe('Cohere cost from billed_units', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let directory: string;
  let storage: string;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-cohere-billed-'));
    storage = `sqlite:${join(directory, 'ledger.db')}`;
    upstream = await startStandIn((request, response) => {
      const body = request.json as { stream?: boolean; messages: Array<{ content: unknown }> };
      if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(fixture('stream-text.sse'));
        return;
      }
      const billedOnly = JSON.stringify(body.messages).includes('billed only');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(fixture(billedOnly ? 'chat-max-tokens-billed-only.json' : 'chat-text.json'));
    });
    gateway = await startGateway('{}', { CO_API_KEY: 'test-key', CO_API_URL: upstream.url }, { storage });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const client = (requestId: string) => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });

  it('prices the billed units (5 in, 14 out), while the client sees the tokens (71 in)', async () => {
    const { data, response } = await client('billed').chat.completions.create({ model: 'cohere/command-r-plus-08-2024', messages: [{ role: 'user', content: 'Bonjour' }] }).withResponse();
    assert.equal(data.usage?.prompt_tokens, 71);
    assert.equal(data.usage?.completion_tokens, 14);
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), costOf(5, 14));
  });

  it('without tokens, billed_units are both the usage and the cost', async () => {
    const { data, response } = await client('billed-only').chat.completions.create({ model: 'cohere/command-r-plus-08-2024', messages: [{ role: 'user', content: 'billed only' }] }).withResponse();
    assert.equal(data.usage?.prompt_tokens, 9);
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), costOf(9, 4));
  });

  it('a stream: the message-end usage is priced from its billed units', async () => {
    const stream = await client('billed-stream').chat.completions.create({ model: 'cohere/command-r-plus-08-2024', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Bonjour' }] });
    let promptTokens = 0;
    for await (const chunk of stream) if (chunk.usage) promptTokens = chunk.usage.prompt_tokens;
    assert.equal(promptTokens, 73);
  });

  it('the ledger: tokens as the client saw them, the cost of the billed units', async () => {
    await gateway.close();
    const rows = await ledgerRowsByRequest(storage);
    assert.deepEqual([Number(rows.get('billed')?.input_tokens), Number(rows.get('billed')?.cost_usd)], [71, costOf(5, 14)]);
    assert.deepEqual([Number(rows.get('billed-only')?.input_tokens), Number(rows.get('billed-only')?.cost_usd)], [9, costOf(9, 4)]);
    assert.deepEqual([Number(rows.get('billed-stream')?.input_tokens), Number(rows.get('billed-stream')?.cost_usd)], [73, costOf(7, 15)]);
  });
});
