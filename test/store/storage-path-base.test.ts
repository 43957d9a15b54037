// A relative `storage: sqlite:` path is the working directory's, not the config file's folder
// (README, `storage`): the default `./data` of `npm start` and the image's /app/data, with the
// config on a read-only mount elsewhere, depend on it. This pins the documented behaviour.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';

describe('storage: a relative SQLite path', () => {
  it('is resolved against the working directory, and the start says which file it opened', async () => {
    const configFolder = await mkdtemp(join(tmpdir(), 'tollgate-config-'));
    const workingFolder = await mkdtemp(join(tmpdir(), 'tollgate-cwd-'));
    const configPath = join(configFolder, 'tollgate.yaml');
    await writeFile(configPath, 'server: { host: 127.0.0.1 }\nstorage: sqlite:./state/gateway.db\n');
    const lines: Array<{ msg: string; storage?: string }> = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const previous = process.cwd();
    process.chdir(workingFolder);
    let gateway: Gateway | undefined;
    try {
      gateway = await Gateway.start({ configPath, env: {}, port: 0, adminPort: 0, logger: pino({ level: 'info' }, sink) });
      assert.ok(existsSync(join(workingFolder, 'state/gateway.db')), 'the file is under the working directory');
      assert.equal(existsSync(join(configFolder, 'state')), false, 'nothing under the config file’s folder');
      assert.ok(lines.some((line) => line.storage === `sqlite:${join(workingFolder, 'state/gateway.db')}`), 'a start line names the absolute path');
    } finally {
      await gateway?.stop(2000);
      process.chdir(previous);
      await rm(configFolder, { recursive: true, force: true });
      await rm(workingFolder, { recursive: true, force: true });
    }
  });
});
