import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { ledgerRowsByRequest } from './ledger-helpers.ts';

// A translated stream the client leaves before the provider's final usage keeps the input side the
// provider already reported (Anthropic's message_start usage, Gemini's usageMetadata on each
// event), cache reads and writes included, as the /v1/messages passthrough does; its output is
// counted from what was streamed. Recorded 499, flagged estimated.

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

describe('a translated stream the client cuts keeps the usage the provider reported', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let directory: string;
  let storage: string;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-cut-translated-'));
    storage = `sqlite:${join(directory, 'ledger.db')}`;
    // Three pieces of text, a pause long enough for the client to leave, then the rest.
    upstream = await startStandIn(async (request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (request.path.startsWith('/v1/messages')) {
        response.write(
          event('message_start', {
            type: 'message_start',
            message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, usage: { input_tokens: 500, cache_creation_input_tokens: 1000, cache_read_input_tokens: 2000, output_tokens: 1 } },
          }),
        );
        response.write(event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
        for (let index = 0; index < 50 && !response.destroyed; index++) {
          response.write(event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ` word${index}` } }));
          await sleep(index === 2 ? 400 : 2);
        }
        response.end(event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 50 } }) + event('message_stop', { type: 'message_stop' }));
        return;
      }
      // Gemini: every event repeats usageMetadata, its candidates count growing.
      for (let index = 0; index < 50 && !response.destroyed; index++) {
        const usageMetadata = { promptTokenCount: 800, cachedContentTokenCount: 300, candidatesTokenCount: index + 1, totalTokenCount: 801 + index };
        response.write(`data: ${JSON.stringify({ candidates: [{ index: 0, content: { role: 'model', parts: [{ text: ` word${index}` }] } }], usageMetadata })}\n\n`);
        await sleep(index === 2 ? 400 : 2);
      }
      response.end(`data: ${JSON.stringify({ candidates: [{ index: 0, content: { role: 'model', parts: [{ text: '.' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 800, cachedContentTokenCount: 300, candidatesTokenCount: 51, totalTokenCount: 851 } })}\n\n`);
    });
    gateway = await startGateway(
      [
        'pricing:',
        '  anthropic: { claude-sonnet-4-5: { input: 1000, output: 2000, cached_input: 100, cache_write: 1250 } }',
        '  gemini: { gemini-2.5-flash: { input: 1000, output: 2000, cached_input: 100 } }',
      ].join('\n'),
      { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: upstream.url, GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: upstream.url },
      { storage },
    );
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Streams with the OpenAI SDK and leaves after three pieces of text (the SDK aborts the request). */
  async function cutAfterThree(model: string, requestId: string): Promise<void> {
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });
    const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'Count to fifty.' }] });
    let pieces = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) pieces++;
      if (pieces === 3) break;
    }
    await sleep(600);
  }

  it('chat completions client, anthropic provider: message_start input usage, output from the deltas sent', async () => {
    await cutAfterThree('anthropic/claude-sonnet-4-5', 'cut-anthropic');
  });

  it('chat completions client, gemini provider: the last usageMetadata seen', async () => {
    await cutAfterThree('gemini/gemini-2.5-flash', 'cut-gemini');
  });

  it('the ledger rows', async () => {
    await gateway.close();
    const rows = await ledgerRowsByRequest(storage);
    const anthropic = rows.get('cut-anthropic')!;
    assert.equal(Number(anthropic.status), 499);
    assert.equal(Number(anthropic.cost_estimated), 1);
    assert.equal(Number(anthropic.input_tokens), 3500);
    assert.equal(Number(anthropic.cached_tokens), 2000);
    const anthropicOutput = Number(anthropic.output_tokens);
    assert.ok(anthropicOutput >= 3 && anthropicOutput < 50, `output ${anthropicOutput}`);
    // 500 input at 1000, 2000 cache reads at 100, 1000 cache writes at 1250 (5-minute: no split reported).
    assert.equal(Number(anthropic.cost_usd), Number(((500 * 1000 + 2000 * 100 + 1000 * 1250 + anthropicOutput * 2000) / 1e6).toFixed(10)));

    const gemini = rows.get('cut-gemini')!;
    assert.equal(Number(gemini.status), 499);
    assert.equal(Number(gemini.cost_estimated), 1);
    assert.equal(Number(gemini.input_tokens), 800);
    assert.equal(Number(gemini.cached_tokens), 300);
    const geminiOutput = Number(gemini.output_tokens);
    assert.ok(geminiOutput >= 3 && geminiOutput < 50, `output ${geminiOutput}`);
    assert.equal(Number(gemini.cost_usd), Number(((500 * 1000 + 300 * 100 + geminiOutput * 2000) / 1e6).toFixed(10)));
  });
});
