import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { chatChunk } from '../helpers/openai-bodies.ts';
import { startGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { ledgerRowsByRequest } from '../ledger/ledger-helpers.ts';

// A client that keeps reading a stream, only slower than the provider sends it (a slow link, an
// app that speaks each chunk), is no stalled client: only one that takes none of the bytes for
// the stall limit is cut (README, upstream.timeouts). Here the limit is 3 s (the longer of idle
// and a minute, at most total), and the client reads slowly for 7 s: past both the stall limit
// and the attempt's total, which time the provider, not a client that holds it back. Node's
// socket never drains in that time (the kernel wakes a writer only once a third of its send
// buffer is free), so the gateway has to see the bytes the client does take.

/** About 16 MB of SSE in 1 KiB events: more than every buffer on the way holds. */
const blocks = 1000;
const eventsPerBlock = 16;
const block = Buffer.from(Array.from({ length: eventsPerBlock }, () => `data: ${JSON.stringify(chatChunk('m', { content: 'x'.repeat(960) }))}\n\n`).join(''));
const ending = `data: ${JSON.stringify(chatChunk('m', {}, 'stop'))}\n\ndata: ${JSON.stringify({ id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [], usage: { prompt_tokens: 5, completion_tokens: 16000, total_tokens: 16005 } })}\n\ndata: [DONE]\n\n`;

async function writeBigStream(response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.write(`data: ${JSON.stringify(chatChunk('m', { role: 'assistant', content: '' }))}\n\n`);
  for (let index = 0; index < blocks; index++) {
    if (response.destroyed) return;
    if (!response.write(block)) await new Promise<void>((resolve) => {
      const done = () => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.once('drain', done);
      response.once('close', done);
    });
  }
  response.end(ending);
}

/** How long the client reads slowly (about 100 KiB/s), before it reads the rest at full speed. */
const slowForMs = 7000;

describe('a client that reads a stream slowly but steadily', () => {
  let upstream: StandIn;
  let directory: string;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-slow-reader-'));
    upstream = await startStandIn((_request, response) => writeBigStream(response));
  });
  after(async () => {
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const paths = [
    ['passed through as bytes (chat completions)', 'chat'],
    ['translated (the Responses API)', 'responses'],
  ] as const;

  for (const [name, api] of paths) {
    it(`gets the whole stream past the stall limit and the total timeout, recorded 200, ${name}`, async () => {
      const storage = `sqlite:${join(directory, `${randomUUID()}.db`)}`;
      const lines: Array<Record<string, unknown>> = [];
      const gateway = await startGateway(`providers:\n  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m], timeouts: { idle: 1s, total: 3s } }\n`, {}, { storage, logLines: lines });
      const requestId = `slow-${randomUUID()}`;
      const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'none', maxRetries: 0, defaultHeaders: { 'x-request-id': requestId } });
      let text = 0;
      const started = performance.now();
      try {
        const slowly = async (): Promise<void> => {
          // About one 1 KiB event every 10 ms while slow.
          if (performance.now() - started < slowForMs) await sleep(10);
        };
        if (api === 'chat') {
          const stream = await client.chat.completions.create({ model: 'local/m', stream: true, messages: [{ role: 'user', content: 'read me slowly' }] });
          for await (const chunk of stream) {
            text += chunk.choices[0]?.delta.content?.length ?? 0;
            await slowly();
          }
        } else {
          const stream = await client.responses.create({ model: 'local/m', stream: true, input: 'read me slowly' });
          for await (const event of stream) {
            if (event.type === 'response.output_text.delta') text += event.delta.length;
            if (event.type === 'response.failed' || event.type === 'error') assert.fail(`the stream failed: ${JSON.stringify(event)}`);
            await slowly();
          }
        }
      } finally {
        await gateway.close();
      }
      assert.ok(performance.now() - started > slowForMs, 'the client was still reading slowly past the stall limit');
      assert.equal(text, blocks * eventsPerBlock * 960, 'every byte of text came');
      const row = (await ledgerRowsByRequest(storage)).get(requestId);
      assert.deepEqual([row?.status, row?.error_code], [200, null]);
      const access = lines.find((line) => line.type === 'access' && line.id === requestId);
      assert.deepEqual([access?.status, access?.error], [200, undefined]);
    });
  }
});
