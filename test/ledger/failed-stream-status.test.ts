import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { StreamUsageTail } from '../../src/pipeline/passthrough-usage.ts';
import { openStore } from '../../src/store/open-store.ts';
import { startGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { databaseOf } from './ledger-helpers.ts';

// A stream that fails after its 200 (the provider's in-stream error event, an idle timeout) is a
// failed call in the ledger: recorded with the failure's status and code, counted under `errors`
// by /usage, and free when nothing was streamed. An SDK that stops reading at the error event does
// not turn it into a client cancellation (499).

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** What each model of the stand-in does after one content chunk. */
const endings: Record<string, string> = {
  // OpenAI's and vLLM's shape: an error object alone.
  'error-event': `data: ${JSON.stringify({ error: { message: 'The server is overloaded.', type: 'server_error', code: 'overloaded' } })}\n\n`,
  // OpenRouter's documented mid-stream error: an HTTP status as the code, and a choice finished with "error".
  'openrouter-error': `data: ${JSON.stringify({ id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'm', error: { code: 502, message: 'Provider disconnected' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] })}\n\ndata: [DONE]\n\n`,
};

describe('a stream that fails after its 200, in the usage ledger', () => {
  let upstream: StandIn;
  let directory: string;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-failed-stream-'));
    upstream = await startStandIn(async (request, response) => {
      const model = (JSON.parse(request.body) as { model: string }).model;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (model === 'silent') {
        // Headers, then nothing: the idle timeout ends it.
        response.flushHeaders();
        await sleep(1500);
        response.end();
        return;
      }
      response.write(chunk({ role: 'assistant', content: 'Hello' }));
      await sleep(20);
      response.end(endings[model]);
    });
  });
  after(async () => {
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function rowsAfter(storage: string, run: (gatewayUrl: string) => Promise<void>, extraConfig = ''): Promise<Array<Record<string, unknown>>> {
    const gateway = await startGateway(
      `providers:\n  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [error-event, openrouter-error, silent], timeouts: { idle: 300ms } }\npricing:\n  local: { "*": { input: 1000, output: 2000 } }\n${extraConfig}`,
      {},
      { storage },
    );
    try {
      await run(gateway.url);
      await sleep(300);
    } finally {
      await gateway.close();
    }
    const reopened = await openStore(storage);
    try {
      return (await databaseOf(reopened.store).selectFrom('usage_records').selectAll().orderBy('at').execute()) as Array<Record<string, unknown>>;
    } finally {
      await reopened.store.close();
    }
  }

  for (const [name, plugins] of [
    ['passed through as bytes', ''],
    ['read event by event (a plugin sees each chunk)', 'plugins: { pii: { response: mask } }\n'],
  ] as const) {
    it(`records the provider's in-stream error, not a 499, when ${name} (OpenAI SDK)`, async () => {
      const storage = `sqlite:${join(directory, `openai-${name.length}.db`)}`;
      const rows = await rowsAfter(
        storage,
        async (url) => {
          const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
          for (const model of ['local/error-event', 'local/openrouter-error']) {
            const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] });
            await assert.rejects(
              (async () => {
                for await (const _chunk of stream) {
                  // The SDK raises at the error event.
                }
              })(),
              (error: unknown) => error instanceof OpenAI.APIError,
            );
          }
        },
        plugins,
      );
      assert.equal(rows.length, 2);
      assert.deepEqual(
        rows.map((row) => [row.requested_model, Number(row.status), row.error_type, row.error_code]),
        [
          ['local/error-event', 502, 'upstream_error', 'overloaded'],
          ['local/openrouter-error', 502, 'upstream_error', 'upstream_error'],
        ],
      );
    });
  }

  it('records it for an Anthropic client too (translated)', async () => {
    const storage = `sqlite:${join(directory, 'anthropic.db')}`;
    const rows = await rowsAfter(storage, async (url) => {
      const client = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
      const stream = client.messages.stream({ model: 'local/openrouter-error', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
      await assert.rejects(stream.finalMessage(), (error: unknown) => error instanceof Anthropic.APIError);
    });
    assert.deepEqual(
      rows.map((row) => [Number(row.status), row.error_code]),
      [[502, 'upstream_error']],
    );
  });

  it('records an idle timeout before the first event as 504, free when nothing was streamed', async () => {
    const storage = `sqlite:${join(directory, 'idle.db')}`;
    const rows = await rowsAfter(storage, async (url) => {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
      // The stream's start waits for its first event (an error there fails the call before any byte):
      // a provider silent after its headers is the HTTP error, not a 200 that fails in-stream.
      await assert.rejects(client.chat.completions.create({ model: 'local/silent', stream: true, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
        assert.equal((error as { status?: number }).status, 504);
        return true;
      });
    });
    assert.equal(rows.length, 1);
    assert.deepEqual([Number(rows[0]!.status), rows[0]!.error_code, Number(rows[0]!.cost_usd)], [504, 'upstream_timeout', 0]);
  });

  it('StreamUsageTail finds the error event across any split, and ignores "error" inside content', () => {
    const text = `${chunk({ role: 'assistant', content: 'say \\"error\\": {}' })}${chunk({ content: '{"error": {"x": 1}}' })}${endings['openrouter-error']}`;
    for (const size of [1, 5, 64, text.length]) {
      const tail = new StreamUsageTail();
      for (let offset = 0; offset < text.length; offset += size) tail.push(Buffer.from(text.slice(offset, offset + size)));
      const failure = tail.streamError();
      // OpenRouter's code 502 is the failure's status.
      assert.deepEqual([failure?.message, failure?.status, failure?.code], ['Provider disconnected', 502, 'upstream_error'], `pieces of ${size}`);
    }
    const clean = new StreamUsageTail();
    clean.push(Buffer.from(`${chunk({ content: 'the "error" word' })}${chunk({}, 'stop')}data: [DONE]\n\n`));
    assert.equal(clean.streamError(), null);
  });
});
