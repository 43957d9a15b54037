import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { ledgerRowsByRequest } from './ledger-helpers.ts';

// The ledger row of a request says what its client saw: the status it got (Anthropic's 529 to an
// Anthropic client, not the 503 retry rules read), the cost of its x-tollgate-cost-usd header to
// the digit, and, for an answer priced from an estimate, the estimated tokens that cost was
// computed from.

describe('the ledger records what the client got', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let directory: string;
  let storage: string;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-ledger-client-'));
    storage = `sqlite:${join(directory, 'ledger.db')}`;
    upstream = await startStandIn((request, response) => {
      if (request.path.startsWith('/v1/messages')) {
        response.writeHead(529, { 'content-type': 'application/json', 'request-id': 'req_overloaded' });
        response.end(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_overloaded' }));
        return;
      }
      const { model } = request.json as { model: string };
      const answer = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'Paris is the capital of France, and has been for centuries.' }, finish_reason: 'stop' }] };
      // `odd-price` reports a usage whose cost is no short binary fraction; `no-usage` reports none.
      const usage = model === 'odd-price' ? { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } : undefined;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(usage ? { ...answer, usage } : answer));
    });
    gateway = await startGateway(
      [
        'providers:',
        `  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [no-usage, odd-price] }`,
        '  claude: { type: anthropic, api_key: test-key, base_url: "' + upstream.url + '" }',
        'routing: { retry: { attempts: 1 } }',
        'pricing:',
        '  local: { "*": { input: 0.15, output: 0.6 } }',
      ].join('\n'),
      {},
      { storage },
    );
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const openai = (requestId: string) => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });
  let headers: Record<string, string | null> = {};

  it("an Anthropic client gets Anthropic's 529", async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': 'overloaded' } });
    await assert.rejects(client.messages.create({ model: 'claude/claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => error instanceof APIError && error.status === 529);
  });

  it('an answer without usage and one with an odd price get their cost headers', async () => {
    const noUsage = await openai('no-usage').chat.completions.create({ model: 'local/no-usage', messages: [{ role: 'user', content: 'What is the capital of France?' }] }).withResponse();
    const odd = await openai('odd-price').chat.completions.create({ model: 'local/odd-price', messages: [{ role: 'user', content: 'What is the capital of France?' }] }).withResponse();
    headers = {
      noUsage: noUsage.response.headers.get('x-tollgate-cost-usd'),
      noUsageEstimated: noUsage.response.headers.get('x-tollgate-cost-estimated'),
      odd: odd.response.headers.get('x-tollgate-cost-usd'),
    };
    assert.equal(headers.noUsageEstimated, 'true');
    assert.equal(headers.odd, '0.00000135');
  });

  it('the ledger rows: the status the client got, the estimated tokens behind an estimated cost, the header cost to the digit', async () => {
    await gateway.close();
    const rows = await ledgerRowsByRequest(storage);
    assert.equal(Number(rows.get('overloaded')?.status), 529);
    assert.equal(rows.get('overloaded')?.error_type, 'api_error');

    const estimated = rows.get('no-usage')!;
    assert.equal(Number(estimated.cost_estimated), 1);
    assert.ok(Number(estimated.output_tokens) > 0, `output ${estimated.output_tokens}`);
    const fromTokens = (Number(estimated.input_tokens) * 0.15 + Number(estimated.output_tokens) * 0.6) / 1e6;
    assert.equal(Number(estimated.cost_usd), Number(fromTokens.toFixed(10)));
    assert.equal(Number(estimated.cost_usd), Number(headers.noUsage));

    assert.equal(Number(rows.get('odd-price')?.cost_usd), Number(headers.odd));
    assert.equal(String(rows.get('odd-price')?.cost_usd), '0.00000135');
  });
});
