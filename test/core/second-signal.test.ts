import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { freePort } from '../helpers/free-port.ts';
import { chatChunk } from '../helpers/openai-bodies.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const chunks = 30;

/**
 * A second stop signal while the gateway drains. Kubernetes sends one SIGTERM, then SIGKILL after
 * the grace period; a second SIGTERM comes from an impatient operator or supervisor, and used to
 * end the process at once (exit 1), cutting streams in flight with no ledger row. Now it is logged
 * and ignored; a second SIGINT (Ctrl-C again at a terminal) still forces the exit.
 */
describe('a second stop signal during the drain', () => {
  let upstream: StandIn;

  before(async () => {
    // A stream of 30 chunks, one every 50 ms (1.5 s), then its usage and [DONE].
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const ticker = setInterval(() => {
        if (sent++ < chunks) return void response.write(`data: ${JSON.stringify(chatChunk('m', { content: 'tick ' }))}\n\n`);
        clearInterval(ticker);
        response.end(`data: ${JSON.stringify({ ...chatChunk('m', {}, 'stop'), usage: { prompt_tokens: 3, completion_tokens: chunks, total_tokens: chunks + 3 } })}\n\ndata: [DONE]\n\n`);
      }, 50);
      response.on('close', () => clearInterval(ticker));
    });
  });
  after(() => upstream.close());

  /** `tollgate start` with a stream in flight; its output, its exit code and the stream's outcome. */
  async function startWithStream(workers: number) {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-second-signal-'));
    const [port, adminPort] = [await freePort(), await freePort()];
    const path = join(folder, 'tollgate.yaml');
    const database = join(folder, 'tollgate.db');
    await writeFile(path, `server: { port: ${port}, host: 127.0.0.1, workers: ${workers}, drain_timeout: 10s }\nadmin: { port: ${adminPort} }\nstorage: sqlite:${database}\nlog: { format: json }\nproviders: { up: { type: openai-compatible, base_url: "${upstream.url}/v1" } }\n`);
    const child = spawn(process.execPath, [cli, 'start', '--config', path], { env: { ...process.env, OPENAI_API_KEY: '' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const ready = workers > 1 ? 'worker processes' : 'Tollgate listening';
    for (let waited = 0; !output.includes(ready) && waited < 20_000; waited += 50) await sleep(50);
    assert.ok(output.includes(ready), output);
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'up/m', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } }).withResponse();
    const requestId = stream.response.headers.get('x-request-id')!;
    let received = 0;
    let firstChunk: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (firstChunk = resolve));
    const outcome = (async () => {
      try {
        for await (const part of stream.data) {
          if (part.choices[0]?.delta.content) received++;
          firstChunk();
        }
        return 'finished';
      } catch (error) {
        return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
      }
    })();
    await started;
    const ledgerStatus = () => {
      const ledger = new DatabaseSync(database);
      try {
        return (ledger.prepare('select status from usage_records where request_id = ?').get(requestId) as { status: number } | undefined)?.status;
      } finally {
        ledger.close();
      }
    };
    return { child, output: () => output, exited, outcome, received: () => received, ledgerStatus };
  }

  for (const workers of [1, 2]) {
    it(`${workers === 1 ? 'one process' : 'server.workers: 2'}: a second SIGTERM is logged and ignored; the stream finishes, is recorded, and the exit is 0`, async () => {
      const run = await startWithStream(workers);
      try {
        run.child.kill('SIGTERM');
        await sleep(300);
        run.child.kill('SIGTERM');
        assert.equal(await run.outcome, 'finished');
        assert.equal(run.received(), chunks, 'every chunk arrived');
        assert.equal(await run.exited, 0);
        assert.match(run.output(), /SIGTERM while (the workers )?drain(ing)?: ignored, the drain goes on/);
        assert.equal(run.ledgerStatus(), 200, 'the stream has its ledger row');
      } finally {
        run.child.kill('SIGKILL');
      }
    });
  }

  it('one process: a second SIGINT (Ctrl-C again) still exits at once, with 1', async () => {
    const run = await startWithStream(1);
    try {
      run.child.kill('SIGINT');
      await sleep(300);
      const forced = Date.now();
      run.child.kill('SIGINT');
      assert.equal(await run.exited, 1);
      assert.ok(Date.now() - forced < 1000, 'without waiting for the drain');
      assert.notEqual(await run.outcome, 'finished');
      assert.match(run.output(), /SIGINT while draining: exiting now/);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
