import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// The unpriced_model warning asks the operator to price a model. A call that failed (a typo the
// provider answers 404, a request it refuses) names no model to price: only a model that answered
// gets the warning, else clients' typos filled the log with advice to price them.

describe('unpriced_model warnings and failed calls', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  const lines: Array<Record<string, unknown>> = [];

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const model = (request.json as { model: string }).model;
      if (model === 'real-model') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }));
        return;
      }
      const status = model === 'refused-model' ? 400 : 404;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `The model '${model}' does not exist`, type: 'invalid_request_error', param: 'model', code: status === 404 ? 'model_not_found' : 'invalid_value' } }));
    });
    gw = await startGateway(`providers:\n  self: { type: openai-compatible, base_url: "${upstream.url}/v1" }\n`, {}, { logLevel: 'warn', logLines: lines });
  });
  after(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it('warns for a model that answered, not for one the provider refused', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
    for (const model of ['self/gpt-4o-typo', 'self/refused-model']) {
      await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }), OpenAI.APIError);
    }
    await client.chat.completions.create({ model: 'self/real-model', messages: [{ role: 'user', content: 'hi' }] });
    const warnings = lines.filter((line) => line.type === 'unpriced_model');
    assert.deepEqual(warnings.map((line) => line.model), ['real-model']);
    // The model named as YAML needs it, quoted when it must be.
    assert.match(String(warnings[0]!.msg), /pricing: \{ self: \{ real-model: \{ input: \.\.\., output: \.\.\. \} \} \}/);
  });
});
