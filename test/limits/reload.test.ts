import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import OpenAI, { RateLimitError } from 'openai';
import { startGateway } from '../helpers/start-gateway.ts';

describe('in-memory counters and a config reload', () => {
  it('keep counting across the reload (a budget does not start over when the file changes)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tollgate-limits-'));
    const path = join(directory, 'tollgate.yaml');
    const config = (name: string) => `plugins:\n  rate-limit:\n    limits: [{ scope: global, requests: 3, per: hour, name: ${name} }]\n`;
    await writeFile(path, config('before'));
    const gw = await startGateway('', {}, { configPath: path });
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
    const ask = async () => {
      try {
        await client.chat.completions.create({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] });
        return 'ok';
      } catch (error) {
        assert.ok(error instanceof RateLimitError);
        return 'limited';
      }
    };
    try {
      assert.deepEqual([await ask(), await ask()], ['ok', 'ok']);
      await writeFile(path, config('after'));
      assert.equal(await gw.gateway.reload(), true);
      assert.deepEqual([await ask(), await ask()], ['ok', 'limited']);
    } finally {
      await gw.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
