import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { presetTable } from '../../../src/providers/presets/preset-table.ts';
import { refusal } from '../../helpers/openai-sdk.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

const completion = {
  id: 'chatcmpl-s1',
  object: 'chat.completion',
  created: 1733000000,
  model: 'some-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};

const warning = 'parameters the provider cannot honour were dropped';

/**
 * The fields a preset's quirks drop are parameters the service cannot honour: the same rule as for
 * every translated provider (a warning naming them, 400 unsupported_parameter under strict_params).
 */
describe('presets: quirk drops follow strict_params', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;
  const logLines: Array<Record<string, unknown>> = [];

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion));
    });
    const entries: string[] = [];
    for (const spec of presetTable) {
      if (!spec.chatQuirks?.drop?.length) continue;
      entries.push(`  ${spec.type}: { type: ${spec.type}, api_key: k, base_url: "${upstream.url}/${spec.type}" }`);
      entries.push(`  strict-${spec.type}: { type: ${spec.type}, api_key: k, base_url: "${upstream.url}/${spec.type}", strict_params: true }`);
    }
    gw = await startGateway(['providers:', ...entries].join('\n'), {}, { logLines });
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    logLines.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('groq and cerebras are the presets with quirk drops (each is checked below)', () => {
    assert.deepEqual(presetTable.filter((spec) => spec.chatQuirks?.drop?.length).map((spec) => spec.type).sort(), ['cerebras', 'groq']);
  });

  it('groq: logprobs, top_logprobs and logit_bias are dropped with a warning that names them (never their values)', async () => {
    const result = await client.chat.completions.create({ model: 'groq/llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'hi', name: 'ann' }], logprobs: true, top_logprobs: 2, logit_bias: { '1234': 5 } });
    assert.equal(result.choices[0].message.content, 'Hello');
    assert.deepEqual(upstream.requests[0].json, { model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'hi' }] });
    const warned = logLines.filter((line) => line.msg === warning);
    assert.equal(warned.length, 1);
    assert.equal(warned[0].provider, 'groq');
    assert.deepEqual(warned[0].dropped, ['logprobs', 'logit_bias', 'top_logprobs']);
    assert.doesNotMatch(JSON.stringify(warned[0]), /1234/);
  });

  it('groq: a message field the quirks drop (name) and logprobs: false go quietly', async () => {
    await client.chat.completions.create({ model: 'strict-groq/llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'hi', name: 'ann' }], logprobs: false });
    assert.deepEqual(upstream.requests[0].json, { model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(logLines.filter((line) => line.msg === warning).length, 0);
  });

  it('groq under strict_params: logprobs is refused with 400 unsupported_parameter, before any upstream call', async () => {
    const error = await refusal(client.chat.completions.create({ model: 'strict-groq/llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'hi' }], logprobs: true, top_logprobs: 2 }));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'unsupported_parameter');
    assert.equal(error.param, 'logprobs');
    assert.match(error.message, /'top_logprobs'/);
    assert.equal(upstream.requests.length, 0);
  });

  it('cerebras: the penalties and service_tier are dropped with a warning', async () => {
    await client.chat.completions.create({ model: 'cerebras/llama3.1-8b', messages: [{ role: 'user', content: 'hi' }], frequency_penalty: 0.1, presence_penalty: 0.2, service_tier: 'auto' });
    assert.deepEqual(upstream.requests[0].json, { model: 'llama3.1-8b', messages: [{ role: 'user', content: 'hi' }] });
    const warned = logLines.filter((line) => line.msg === warning);
    assert.equal(warned.length, 1);
    assert.deepEqual(warned[0].dropped, ['frequency_penalty', 'presence_penalty', 'service_tier']);
  });

  it('cerebras under strict_params: a penalty is refused with 400 unsupported_parameter, before any upstream call', async () => {
    const error = await refusal(client.chat.completions.create({ model: 'strict-cerebras/llama3.1-8b', messages: [{ role: 'user', content: 'hi' }], presence_penalty: 0.2 }));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'unsupported_parameter');
    assert.equal(error.param, 'presence_penalty');
    assert.equal(upstream.requests.length, 0);
  });
});
