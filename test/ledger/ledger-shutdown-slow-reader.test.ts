import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { startLoggedGateway, waitFor } from '../store/outage-helpers.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../store/postgres-database.ts';

/**
 * A stream whose client has stopped reading (its socket buffer full: an app in the background, a
 * stalled consumer) when the gateway stops. The drain ends it with `shutting_down`, but it could
 * not finish until its connection was closed, which came after the ledger's last write: its usage
 * record was lost ("1 usage records could not be written at shutdown"; resilience audit F6).
 */

const chunk = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'big', choices: [{ index: 0, delta: { content: 'x'.repeat(2000) }, finish_reason: null }] })}\n\n`;

/** A provider that streams as fast as the gateway takes it, for much longer than any test. */
async function startBigStream(): Promise<StandIn> {
  return startStandIn(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let sent = 0; sent < 100_000 && !response.destroyed; sent++) {
      if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
    }
    response.end('data: [DONE]\n\n');
  });
}

/** Sends a streaming chat request and never reads the answer. */
function startNonReader(port: number, key: string): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const body = JSON.stringify({ model: 'up/big', stream: true, messages: [{ role: 'user', content: 'tell me everything' }] });
  socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${key}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socket.pause();
  return socket;
}

async function stopWithNonReader(storage: string, standIn: StandIn): Promise<void> {
  const gw = await startLoggedGateway(storage, `providers: { up: { type: openai-compatible, base_url: "${standIn.url}/v1", api_key: sk-test } }\npricing: { up: { "*": { input: 1, output: 2 } } }\n`);
  const store = gw.gateway.identity.store;
  const consumer = await store.createConsumer({ name: 'slow-reader' }, 'test');
  const { secret } = await store.createKey({ consumer_id: consumer.id }, 'test');
  await gw.gateway.identity.cache.refresh();
  const socket = startNonReader(gw.gateway.port, secret);
  try {
    // The stream is running, and its client's socket is full.
    assert.ok(await waitFor(() => gw.gateway.metrics.inFlight.get().then((metric) => (metric.values[0]?.value ?? 0) === 1), 3000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = performance.now();
    await gw.gateway.stop(1000);
    const took = performance.now() - started;
    assert.ok(took < 3500, `the stop took ${Math.round(took)} ms`);
    assert.deepEqual(gw.logged(/could not be written|are lost/), [], 'no usage record lost');
    const access = gw.logs.findIndex((line) => line.type === 'access' && line.error === 'shutting_down');
    const stopped = gw.logs.findIndex((line) => line.msg === 'stopped');
    assert.ok(access >= 0 && access < stopped, 'the request ended (and was logged) before the gateway said it stopped');
  } finally {
    socket.destroy();
    await gw.close();
  }
  const reopened = await openStore(storage);
  try {
    const rows = await (reopened.store as KyselyStore).db.selectFrom('usage_records').select(['status', 'error_code', 'stream', 'output_tokens']).execute();
    assert.equal(rows.length, 1, 'the stream is in the ledger');
    assert.equal(rows[0].error_code, 'shutting_down');
    assert.equal(Number(rows[0].status), 503);
    assert.ok(Number(rows[0].output_tokens) > 0, 'with what it had streamed');
  } finally {
    await reopened.store.close();
  }
}

describe('a stream whose client stopped reading when the gateway stops', () => {
  let standIn: StandIn;
  let folder: string;
  before(async () => {
    standIn = await startBigStream();
    folder = mkdtempSync(join(tmpdir(), 'tollgate-slow-reader-'));
  });
  after(async () => {
    await standIn.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('is ended shortly after the drain timeout and recorded in the ledger (SQLite file)', { timeout: 10_000 }, async () => {
    await stopWithNonReader(`sqlite:${join(folder, 'ledger.db')}`, standIn);
  });

  it('is ended shortly after the drain timeout and recorded in the ledger (PostgreSQL)', { timeout: 10_000 }, async (context) => {
    const database: TemporaryDatabase | null = await createTemporaryDatabase();
    if (!database) return context.skip('PostgreSQL not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)');
    try {
      await stopWithNonReader(database.url, standIn);
    } finally {
      await database.drop();
    }
  });
});
