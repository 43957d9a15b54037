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

// OpenAI bills the audio a gpt-audio model hears and speaks in chat apart from text, at its audio
// prices (model pages, developers.openai.com/api/docs/models/<model>): gpt-audio text $2.50 / $10,
// audio $32 / $64; gpt-4o-mini-audio-preview text $0.15 / $0.60, audio $10 / $20 per million.
// The usage counts the audio inside prompt_tokens and completion_tokens (audit openai2, finding 1).
const usage = {
  prompt_tokens: 1200,
  completion_tokens: 127,
  total_tokens: 1327,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 300 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 120, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};
/** 900 text + 300 audio in, 7 text + 120 audio out. Every token at the text price was $0.00427. */
const gptAudio = (900 * 2.5 + 300 * 32 + 7 * 10 + 120 * 64) / 1e6;
const miniAudioPreview = (900 * 0.15 + 300 * 10 + 7 * 0.6 + 120 * 20) / 1e6;
/** A `pricing:` entry's audio prices, for a self-hosted model the catalogue lacks. */
const configured = (900 * 1 + 300 * 10 + 7 * 2 + 120 * 20) / 1e6;

const audioRequest = {
  modalities: ['text', 'audio'] as Array<'text' | 'audio'>,
  audio: { voice: 'alloy' as const, format: 'wav' as const },
  messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'What is said here?' }, { type: 'input_audio' as const, input_audio: { data: 'UklGRg==', format: 'wav' as const } }] }],
};

describe('audio tokens of chat answers are priced at the audio prices', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let directory: string;
  let storage: string;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-audio-'));
    storage = `sqlite:${join(directory, 'ledger.db')}`;
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; stream?: boolean };
      const head = { id: 'chatcmpl-1', created: 1, model: body.model, service_tier: 'default', system_fingerprint: null };
      const message = { role: 'assistant', content: null, refusal: null, audio: { id: 'audio_1', data: 'UklGRg==', expires_at: 1, transcript: 'Hello there.' } };
      if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(
          [
            { ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello there.' }, finish_reason: null }], usage: null },
            { ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null },
            { ...head, object: 'chat.completion.chunk', choices: [], usage },
          ]
            .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
            .join('') + 'data: [DONE]\n\n',
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ...head, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: 'stop' }], usage }));
    });
    gateway = await startGateway(
      `
providers:
  openai: { type: openai, api_key: test-key, base_url: "${upstream.url}/v1" }
  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [my-audio] }
pricing:
  local:
    my-audio: { input: 1, output: 2, audio_input: 10, audio_output: 20 }
`,
      {},
      { storage },
    );
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const openaiClient = (requestId: string) => new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });
  const anthropicClient = (requestId: string) => new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });

  it('gpt-audio (catalogue): the cost header of a chat answer with audio in and out', async () => {
    const { data, response } = await openaiClient('chat-gpt-audio').chat.completions.create({ model: 'openai/gpt-audio', ...audioRequest }).withResponse();
    assert.equal(data.usage?.prompt_tokens_details?.audio_tokens, 300);
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), Number(gptAudio.toFixed(10)));
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), 0.0196);
  });

  it('a dated snapshot (gpt-4o-mini-audio-preview-2024-12-17) and a stream', async () => {
    const { response } = await openaiClient('chat-mini').chat.completions.create({ model: 'openai/gpt-4o-mini-audio-preview-2024-12-17', ...audioRequest }).withResponse();
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), Number(miniAudioPreview.toFixed(10)));
    const stream = await openaiClient('stream-gpt-audio').chat.completions.create({ model: 'openai/gpt-audio', stream: true, ...audioRequest });
    for await (const _chunk of stream) void _chunk;
  });

  it('a pricing: entry with audio_input and audio_output is accepted and priced', async () => {
    const { response } = await openaiClient('chat-local').chat.completions.create({ model: 'local/my-audio', ...audioRequest }).withResponse();
    assert.equal(Number(response.headers.get('x-tollgate-cost-usd')), Number(configured.toFixed(10)));
  });

  it('Responses and Anthropic clients served by gpt-audio get the same cost', async () => {
    const responses = await openaiClient('responses').responses.create({ model: 'openai/gpt-audio', input: 'Say hello.' }).withResponse();
    assert.equal(Number(responses.response.headers.get('x-tollgate-cost-usd')), Number(gptAudio.toFixed(10)));
    const messages = await anthropicClient('messages').messages.create({ model: 'openai/gpt-audio', max_tokens: 200, messages: [{ role: 'user', content: 'Say hello.' }] }).withResponse();
    assert.equal(Number(messages.response.headers.get('x-tollgate-cost-usd')), Number(gptAudio.toFixed(10)));
  });

  it('the ledger holds the same costs and the token totals, the stream included', async () => {
    await gateway.close();
    const rows = await ledgerRowsByRequest(storage);
    for (const id of ['chat-gpt-audio', 'stream-gpt-audio', 'responses', 'messages']) {
      assert.equal(Number(rows.get(id)?.cost_usd), Number(gptAudio.toFixed(10)), id);
      assert.equal(Number(rows.get(id)?.input_tokens), 1200, id);
      assert.equal(Number(rows.get(id)?.output_tokens), 127, id);
    }
    assert.equal(Number(rows.get('chat-mini')?.cost_usd), Number(miniAudioPreview.toFixed(10)));
    assert.equal(Number(rows.get('chat-local')?.cost_usd), Number(configured.toFixed(10)));
  });
});
