import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { startGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatChunk } from '../helpers/openai-bodies.ts';


/**
 * A stop whose drain timeout runs out with requests still running: the gateway ends them itself
 * (503 shutting_down; a stream in-stream), records them, and only then writes the usage ledger's last batch.
 */
describe('a stop past its drain timeout', () => {
  let upstream: StandIn;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'tollgate-stop-'));
    // `long` streams a chunk every 50 ms for 10 s; `hang` answers nothing for 10 s.
    upstream = await startStandIn((request, response) => {
      const model = (request.json as { model: string }).model;
      const timer = setTimeout(() => response.destroy(), 10_000);
      response.on('close', () => clearTimeout(timer));
      if (model === 'hang') return;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const ticker = setInterval(() => response.write(`data: ${JSON.stringify(chatChunk('m', { content: 'tick ' }))}\n\n`), 50);
      response.on('close', () => clearInterval(ticker));
    });
  });
  after(async () => {
    await upstream.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('ends a stream with an in-stream shutting_down error and a waiting request with a 503, and records both', async () => {
    const storage = `sqlite:${join(folder, 'ledger.db')}`;
    const gw = await startGateway(`providers: { up: { type: openai-compatible, base_url: "${upstream.url}/v1" } }\n`, {}, { storage });
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });

    const stream = await client.chat.completions.create({ model: 'up/long', messages: [{ role: 'user', content: 'hi' }], stream: true }).withResponse();
    const streamId = stream.response.headers.get('x-request-id')!;
    let received = '';
    const streamOutcome = (async () => {
      try {
        for await (const part of stream.data) received += part.choices[0]?.delta.content ?? '';
        return null;
      } catch (error) {
        return error;
      }
    })();
    const waiting = client.chat.completions.create({ model: 'up/hang', messages: [{ role: 'user', content: 'hi' }] }).then(
      () => null,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const stopped = Date.now();
    await gw.gateway.stop(300);
    assert.ok(Date.now() - stopped < 3000, 'the stop is bounded');

    const streamError = await streamOutcome;
    assert.ok(received.startsWith('tick'), 'the stream delivered chunks before the stop');
    assert.ok(streamError instanceof APIError, `the SDK raises the in-stream error, not a connection error: ${String(streamError)}`);
    assert.match(String((streamError as APIError).message), /shutting down|draining/i);

    const waitingError = await waiting;
    assert.ok(waitingError instanceof APIError, String(waitingError));
    assert.equal((waitingError as APIError).status, 503);
    assert.equal((waitingError as APIError).code, 'shutting_down');

    const database = new DatabaseSync(join(folder, 'ledger.db'));
    try {
      const rows = database.prepare('select request_id, status from usage_records').all() as Array<{ request_id: string; status: number }>;
      assert.equal(rows.length, 2, 'both requests are in the ledger');
      assert.equal(rows.find((row) => row.request_id === streamId)?.status, 503, "the cut stream is recorded with the stop's status, not a client's 499");
      assert.deepEqual(rows.map((row) => row.status), [503, 503]);
    } finally {
      database.close();
    }
  });

  it('the echo provider’s paced stream is ended the same way: in-stream shutting_down, not internal_error', async () => {
    const storage = `sqlite:${join(folder, 'echo-ledger.db')}`;
    const gw = await startGateway('providers: { slow: { type: echo, options: { chunk_delay_ms: 200, max_chunks: 50 } } }\n', {}, { storage });
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'slow/x', messages: [{ role: 'user', content: 'a b c d e f g h i j k l m n o p' }], stream: true });
    const outcome = (async () => {
      try {
        for await (const _part of stream);
        return null;
      } catch (error) {
        return error;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await gw.gateway.stop(200);
    const error = await outcome;
    assert.ok(error instanceof APIError, String(error));
    assert.match(String((error as APIError).message), /shutting down/i);
    assert.doesNotMatch(String((error as APIError).message), /failed to handle/i);
  });
});
