import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import OpenAI from 'openai';
import { startGateway } from '../helpers/start-gateway.ts';
import { startStandIn } from '../helpers/stand-in-server.ts';
import { ledgerRowsByRequest } from './ledger-helpers.ts';

// A broken or hostile upstream reporting negative token counts (blind security audit) must not
// record negative tokens nor give tokens back to a key's token limit.

it('negative token counts from a provider are recorded as 0 and charge nothing back to a token limit', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-negative-usage-'));
  const storage = `sqlite:${join(directory, 'ledger.db')}`;
  const upstream = await startStandIn((request, response) => {
    const { model } = request.json as { model: string };
    const usage = model === 'negative' ? { prompt_tokens: -1_000_000, completion_tokens: -5, total_tokens: -1_000_005, prompt_tokens_details: { cached_tokens: -3 }, completion_tokens_details: { reasoning_tokens: -2 } } : { prompt_tokens: 40, completion_tokens: 20, total_tokens: 60 };
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage }));
  });
  const gateway = await startGateway(
    `providers: { local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [negative, normal] } }
plugins:
  key-auth: { keys: [{ key: tg-negative-0123456789, consumer: app }] }
  rate-limit: { limits: [{ scope: key, tokens: 100, per: minute }] }`,
    {},
    { storage },
  );
  try {
    const client = (requestId: string) => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'tg-negative-0123456789', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });
    await client('normal-1').chat.completions.create({ model: 'local/normal', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });
    await client('negative').chat.completions.create({ model: 'local/negative', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });
    // 60 tokens used of 100: a negative report must not have given any back, so the next 60 do not fit.
    await client('normal-2').chat.completions.create({ model: 'local/normal', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });
    const refused = await client('normal-3').chat.completions.create({ model: 'local/normal', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 }).then(
      () => null,
      (error: { status?: number }) => error.status,
    );
    assert.equal(refused, 429);
  } finally {
    await gateway.close();
    await upstream.close();
  }
  const rows = await ledgerRowsByRequest(storage);
  const negative = rows.get('negative')!;
  assert.deepEqual([negative.input_tokens, negative.output_tokens, negative.cached_tokens, negative.reasoning_tokens].map(Number), [0, 0, 0, 0]);
  rmSync(directory, { recursive: true, force: true });
});
