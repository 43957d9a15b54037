import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../src/store/open-store.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { startGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { databaseOf } from './ledger-helpers.ts';

// An answer a response plugin refuses (output-validation's 502, pii's response block) was still
// produced and billed by the provider: the ledger records its tokens and cost, and budgets are
// charged for it, on the byte passthrough and on a translated reply alike.

const usage = { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 };
// 1000 / 2000 USD per million tokens: 20 in and 10 out cost 0.04.
const callCost = 0.04;

describe('answers a response plugin refused, in the ledger and the budgets', () => {
  let upstream: StandIn;
  let directory: string;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-refused-'));
    upstream = await startStandIn((request, response) => {
      const model = (request.json as { model: string }).model;
      const content = model === 'leaky' ? 'Write to jane.doe@example.com' : model === 'prose' ? 'Sure! Lyon, about half a million.' : '{"city":"Lyon"}';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion(model, content, usage)));
    });
  });
  after(async () => {
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('records the tokens and cost of refused answers and charges the budget for them', async () => {
    const storage = `sqlite:${join(directory, 'ledger.db')}`;
    const gateway = await startGateway(
      [
        'providers:',
        `  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [prose, leaky, fine] }`,
        'pricing:',
        '  local: { "*": { input: 1000, output: 2000 } }',
        'plugins:',
        '  output-validation: {}',
        '  pii: { request: off, response: block }',
        '  rate-limit: { limits: [{ scope: global, cost_usd: 0.13, per: day }] }',
      ].join('\n'),
      {},
      { storage },
    );
    const json = { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
    const chat = (model: string) => fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `local/${model}`, messages: [{ role: 'user', content: 'Lyon?' }], max_tokens: 10, response_format: json }) });
    // The Anthropic Messages entry to an OpenAI-format provider: the reply is translated, not passed as bytes.
    const message = () => fetch(`${gateway.baseURL}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'local/leaky', max_tokens: 10, messages: [{ role: 'user', content: 'Mail?' }] }) });
    let statuses: number[];
    try {
      statuses = [(await chat('prose')).status, (await chat('leaky')).status, (await message()).status];
      await sleep(100);
      // 0.12 spent of 0.13: too little left for another call's reservation.
      const next = await chat('fine');
      statuses.push(next.status);
      assert.equal(((await next.json()) as { error: { code: string } }).error.code, 'budget_exceeded');
    } finally {
      await gateway.close();
    }
    assert.deepEqual(statuses, [502, 400, 400, 429]);
    const reopened = await openStore(storage);
    try {
      const rows = await databaseOf(reopened.store).selectFrom('usage_records').select(['status', 'error_code', 'input_tokens', 'output_tokens', 'cost_usd']).orderBy('at').execute();
      assert.deepEqual(
        rows.slice(0, 3).map((row) => [row.status, row.error_code, row.input_tokens, row.output_tokens, Math.round(Number(row.cost_usd) * 1e6) / 1e6]),
        [
          [502, 'output_validation_failed', 20, 10, callCost],
          [400, 'pii_detected', 20, 10, callCost],
          [400, 'pii_detected', 20, 10, callCost],
        ],
      );
    } finally {
      await reopened.store.close();
    }
  });
});
