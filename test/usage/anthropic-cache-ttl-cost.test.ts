import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { ledgerRowsByRequest } from '../ledger/ledger-helpers.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { GoogleStandIn, serviceAccountFile } from '../providers/vertex/google-stand-in.ts';

// Anthropic prices a prompt-cache write by its lifetime: 1.25x the input price for 5 minutes, 2x for
// an hour (platform.claude.com/docs/en/about-claude/pricing). Its usage splits the writes in
// `cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens` (Bedrock Converse:
// `cacheDetails`); without the split every write is priced at the 5-minute rate.

// claude-sonnet-4-5: $3 input, $3.75 5m writes, $6 1h writes, $0.30 cache reads, $15 output.
const allOneHour = { input_tokens: 500, cache_read_input_tokens: 2000, cache_creation_input_tokens: 1000, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1000 }, output_tokens: 250 };
const mixed = { ...allOneHour, cache_creation: { ephemeral_5m_input_tokens: 400, ephemeral_1h_input_tokens: 600 } };
const noSplit = { input_tokens: 500, cache_read_input_tokens: 2000, cache_creation_input_tokens: 1000, output_tokens: 250 };
const cost = { allOneHour: 0.01185, mixed: 0.01095, noSplit: 0.0096 };

function messageBody(model: string, usage: Record<string, unknown>) {
  return { id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'Hello.' }], stop_reason: 'end_turn', stop_sequence: null, usage };
}

function messageEvents(model: string, usage: Record<string, unknown>): string {
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const { output_tokens: output, ...input } = usage;
  return [
    event('message_start', { type: 'message_start', message: { ...messageBody(model, { ...input, output_tokens: 1 }), content: [], stop_reason: null } }),
    event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello.' } }),
    event('content_block_stop', { type: 'content_block_stop', index: 0 }),
    event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: output } }),
    event('message_stop', { type: 'message_stop' }),
  ].join('');
}

/** The usage a test asks for, by the user message's text. */
function usageNamed(text: string): Record<string, unknown> {
  return text.includes('mixed') ? mixed : text.includes('nosplit') ? noSplit : allOneHour;
}

function lastUserText(body: { messages?: Array<{ content: unknown }> }): string {
  return JSON.stringify(body.messages?.at(-1)?.content ?? '');
}

describe('1-hour prompt-cache writes are priced at the 1-hour rate on every path that carries Anthropic usage', () => {
  let anthropicUpstream: StandIn;
  let bedrockUpstream: StandIn;
  const google = new GoogleStandIn();
  let googleUpstream: StandIn;
  let gateway: RunningGateway;
  let directory: string;
  let storage: string;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-cache-ttl-'));
    storage = `sqlite:${join(directory, 'ledger.db')}`;
    anthropicUpstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; stream?: boolean; messages: Array<{ content: unknown }> };
      const usage = usageNamed(lastUserText(body));
      if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(messageEvents(body.model, usage));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(messageBody(body.model, usage)));
    });
    bedrockUpstream = await startStandIn((request, response) => {
      const split = lastUserText(request.json as { messages: Array<{ content: unknown }> }).includes('mixed');
      const cacheDetails = split ? [{ ttl: '1h', inputTokens: 600 }, { ttl: '5m', inputTokens: 400 }] : [{ ttl: '1h', inputTokens: 1000 }];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          output: { message: { role: 'assistant', content: [{ text: 'Hello.' }] } },
          stopReason: 'end_turn',
          usage: { inputTokens: 500, outputTokens: 250, totalTokens: 3750, cacheReadInputTokens: 2000, cacheWriteInputTokens: 1000, cacheDetails },
          metrics: { latencyMs: 10 },
        }),
      );
    });
    googleUpstream = await startStandIn(google.handler);
    google.reply = (request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(messageBody('claude-sonnet-4-5', usageNamed(lastUserText(request.json as { messages: Array<{ content: unknown }> })))));
    };
    gateway = await startGateway(
      '{}',
      {
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: anthropicUpstream.url,
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_REGION: 'us-east-1',
        BEDROCK_BASE_URL: bedrockUpstream.url,
        GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile(`${googleUpstream.url}/token`),
        ANTHROPIC_VERTEX_PROJECT_ID: 'my-project',
        CLOUD_ML_REGION: 'europe-west1',
        VERTEX_BASE_URL: googleUpstream.url,
      },
      { storage },
    );
  });
  after(async () => {
    await gateway.close();
    await Promise.all([anthropicUpstream.close(), bedrockUpstream.close(), googleUpstream.close()]);
    rmSync(directory, { recursive: true, force: true });
  });

  const anthropicClient = (requestId: string) => new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });
  const openaiClient = (requestId: string) => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });

  it('Anthropic client, /v1/messages passed through as bytes (non-streamed): the header prices 1h writes at $6, a split at both rates, no split at $3.75', async () => {
    for (const [text, expected] of [['all-1h', cost.allOneHour], ['mixed', cost.mixed], ['nosplit', cost.noSplit]] as const) {
      const { response } = await anthropicClient(`pass-${text}`).messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 300, messages: [{ role: 'user', content: text }] }).withResponse();
      assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), expected, text);
    }
  });

  it('Anthropic client, streamed passthrough: the ledger prices the split from message_start', async () => {
    const stream = anthropicClient('pass-stream').messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 300, messages: [{ role: 'user', content: 'all-1h' }] });
    await stream.finalMessage();
  });

  it('OpenAI client translated to Anthropic, streamed and not', async () => {
    const { response } = await openaiClient('chat-json').chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'mixed' }] }).withResponse();
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), cost.mixed);
    const stream = await openaiClient('chat-stream').chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', stream: true, messages: [{ role: 'user', content: 'all-1h' }] });
    for await (const _chunk of stream) void _chunk;
  });

  it('Bedrock Claude: Converse cacheDetails split the writes by TTL', async () => {
    for (const [text, expected] of [['all-1h', cost.allOneHour], ['mixed', cost.mixed]] as const) {
      const { response } = await openaiClient(`bedrock-${text}`).chat.completions.create({ model: 'bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0', messages: [{ role: 'user', content: text }] }).withResponse();
      assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), expected, text);
    }
  });

  it('Claude on Vertex AI (rawPredict) reads the same split', async () => {
    const { response } = await anthropicClient('vertex').messages.create({ model: 'vertex/claude-sonnet-4-5@20250929', max_tokens: 300, messages: [{ role: 'user', content: 'all-1h' }] }).withResponse();
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), cost.allOneHour);
  });

  it('the ledger has the same costs, streams included', async () => {
    await gateway.close();
    const rows = await ledgerRowsByRequest(storage);
    const costOf = (id: string) => Number(rows.get(id)?.cost_usd);
    assert.equal(costOf('pass-all-1h'), cost.allOneHour);
    assert.equal(costOf('pass-mixed'), cost.mixed);
    assert.equal(costOf('pass-nosplit'), cost.noSplit);
    assert.equal(costOf('pass-stream'), cost.allOneHour);
    assert.equal(costOf('chat-json'), cost.mixed);
    assert.equal(costOf('chat-stream'), cost.allOneHour);
    assert.equal(costOf('bedrock-all-1h'), cost.allOneHour);
    assert.equal(costOf('bedrock-mixed'), cost.mixed);
    assert.equal(costOf('vertex'), cost.allOneHour);
  });
});
