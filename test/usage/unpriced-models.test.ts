import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// A served model without a price is recorded at $0 (documented); the operator learns it from one
// warning per model per process, never one per request, that says so and how to set `pricing:`.
// Models the catalog now prices from the providers' own pricing pages get their header.

const million = { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, total_tokens: 2_000_000 };

describe('models served without a price', () => {
  let upstream: StandIn;
  let gateway: Gateway;
  let baseURL: string;
  const lines: Array<Record<string, unknown>> = [];

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; stream?: boolean };
      if (request.path.startsWith('/v1/messages')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1_000_000, output_tokens: 1_000_000 } }));
        return;
      }
      const head = { id: 'chatcmpl-1', created: 1, model: body.model };
      if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(`data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] })}\n\ndata: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [], usage: million })}\n\ndata: [DONE]\n\n`);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ...head, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: million }));
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    gateway = await Gateway.start({
      configText: `
providers:
  selfhosted: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [llama-a, llama-b, llama-priced] }
  anyname: { type: openai-compatible, base_url: "${upstream.url}/v1" }
pricing:
  selfhosted: { llama-priced: { input: 1, output: 1 } }
`,
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${upstream.url}/v1`, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: upstream.url },
      port: 0,
      adminPort: 0,
      logger: pino({ level: 'warn' }, sink),
      storage: 'sqlite::memory:',
    });
    baseURL = `http://127.0.0.1:${gateway.port}/v1`;
  });
  after(async () => {
    await gateway.stop(2000);
    await upstream.close();
  });

  const client = () => new OpenAI({ baseURL, apiKey: 'client-key', maxRetries: 0 });

  it('warns once per unpriced model, streamed or not, however many calls it serves', async () => {
    for (let index = 0; index < 3; index++) {
      const { response } = await client().chat.completions.create({ model: 'selfhosted/llama-a', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      assert.equal(response.headers.get('x-tollgate-cost-usd'), null);
    }
    const stream = await client().chat.completions.create({ model: 'selfhosted/llama-b', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const _chunk of stream) void _chunk;
    await client().chat.completions.create({ model: 'selfhosted/llama-b', messages: [{ role: 'user', content: 'hi' }] });
    await client().chat.completions.create({ model: 'selfhosted/llama-priced', messages: [{ role: 'user', content: 'hi' }] });
    const warnings = lines.filter((line) => line.type === 'unpriced_model');
    assert.deepEqual(
      warnings.map((line) => [line.provider, line.model]),
      [
        ['selfhosted', 'llama-a'],
        ['selfhosted', 'llama-b'],
      ],
    );
    for (const warning of warnings) {
      assert.match(String(warning.msg), /recorded as \$0/);
      assert.match(String(warning.msg), /pricing:/);
    }
  });

  it('names at most 20 unpriced models of a provider, then says once that more are unpriced and stops (invented names cannot flood the log)', async () => {
    for (let index = 0; index < 30; index++) await client().chat.completions.create({ model: `anyname/invented-${index}`, messages: [{ role: 'user', content: 'hi' }] });
    const warnings = lines.filter((line) => line.type === 'unpriced_model' && line.provider === 'anyname');
    assert.equal(warnings.length, 21);
    assert.match(String(warnings[20]!.msg), /more models of provider 'anyname' have no price.*no more are logged/);
  });

  it('prices models added to the catalog from the providers’ own pages: claude-opus-4-7, gpt-5.4-nano', async () => {
    const anthropic = new Anthropic({ baseURL: baseURL.replace(/\/v1$/, ''), apiKey: 'client-key', maxRetries: 0 });
    const { response: opus } = await anthropic.messages.create({ model: 'anthropic/claude-opus-4-7', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    // $5 input, $25 output (platform.claude.com/docs/en/about-claude/pricing).
    assert.equal(opus.headers.get('x-tollgate-cost-usd'), '30');
    const { response: nano } = await client().chat.completions.create({ model: 'openai/gpt-5.4-nano', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    // $0.20 input, $1.25 output (developers.openai.com/api/docs/models/gpt-5.4-nano).
    assert.equal(nano.headers.get('x-tollgate-cost-usd'), '1.45');
    assert.equal(lines.filter((line) => line.type === 'unpriced_model' && String(line.model).includes('opus')).length, 0);
  });
});
