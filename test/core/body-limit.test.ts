import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

const repoRoot = new URL('../../', import.meta.url).pathname;

// The gateway in a process of its own, as users run it: in the test's own process the client and
// the server share one event loop and the reset this guards against does not happen.
describe('a body over server.body_limit', () => {
  let gateway: ChildProcess | undefined;
  let baseURL = '';
  const folder = mkdtempSync(join(tmpdir(), 'tollgate-body-limit-'));

  before(async () => {
    writeFileSync(join(folder, 'tollgate.yaml'), `server: { port: 0, host: 127.0.0.1, body_limit: 1mib }\nadmin: { enabled: false }\nstorage: sqlite:${join(folder, 'tollgate.db')}\n`);
    gateway = spawn(process.execPath, [join(repoRoot, 'bin/tollgate.js'), 'start', '--config', join(folder, 'tollgate.yaml')], { env: { ...process.env, OPENAI_API_KEY: '', TOLLGATE_LOG_LEVEL: 'info' } });
    let output = '';
    gateway.stdout!.on('data', (piece: Buffer) => (output += piece.toString()));
    gateway.stderr!.on('data', (piece: Buffer) => (output += piece.toString()));
    const deadline = Date.now() + 15_000;
    let match: RegExpMatchArray | null = null;
    while (!(match = output.match(/"listen":"(http:\/\/127\.0\.0\.1:\d+)"/)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(match, `the gateway did not start: ${output}`);
    baseURL = match[1];
  });

  after(() => {
    gateway?.kill('SIGTERM');
    rmSync(folder, { recursive: true, force: true });
  });

  it('gets its 413 in the client API shape every time, not a reset connection the SDK would retry', { timeout: 60_000 }, async () => {
    // 12 MiB, still uploading when the gateway refuses it by its Content-Length.
    const content = 'x'.repeat(12 * 1024 * 1024);
    const openai = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'unused', maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL, apiKey: 'unused', maxRetries: 0 });
    for (let attempt = 0; attempt < 4; attempt++) {
      await assert.rejects(openai.chat.completions.create({ model: 'echo/test', messages: [{ role: 'user', content }] }), (error: { status?: number; code?: string; constructor: { name: string } }) => {
        assert.equal(error.status, 413, `attempt ${attempt}: ${error.constructor.name}`);
        assert.equal(error.code, 'request_too_large');
        return true;
      });
      await assert.rejects(anthropic.messages.create({ model: 'echo/test', max_tokens: 5, messages: [{ role: 'user', content }] }), (error: { status?: number; error?: { error?: { type?: string } }; constructor: { name: string } }) => {
        assert.equal(error.status, 413, `attempt ${attempt}: ${error.constructor.name}`);
        assert.equal(error.error?.error?.type, 'request_too_large');
        return true;
      });
    }
    // The gateway is still up and answers a body within the limit.
    const answer = await openai.chat.completions.create({ model: 'echo/test', messages: [{ role: 'user', content: 'still here' }] });
    assert.equal(answer.choices[0].message.content, 'still here');
  });
});
