import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { openStore } from '../../src/store/open-store.ts';
import { startGateway } from '../helpers/start-gateway.ts';

/**
 * The SQLite store holds consumers, key hashes, usage, the audit log and encrypted provider
 * credentials: a file the gateway creates is its owner's only (0600, and 0600 -wal and -shm,
 * which SQLite creates with the database file's mode), in a folder it creates 0700, whatever the
 * umask. A file or folder that already exists keeps the permissions its operator gave it.
 */

const mode = async (path: string) => (await stat(path)).mode & 0o777;
const octal = (value: number) => `0${value.toString(8)}`;

describe('the SQLite store file is private to its owner', { skip: process.platform === 'win32' && 'POSIX modes' }, () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tollgate-modes-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('a fresh start through the gateway: the database, -wal and -shm are 0600, the folders it made 0700', async () => {
    const previous = process.umask(0o022);
    try {
      const data = join(folder, 'fresh', 'data');
      const file = join(data, 'tollgate.db');
      const gw = await startGateway('plugins: { usage-ledger: {} }', {}, { storage: `sqlite:${file}` });
      try {
        // A request the usage ledger writes: the WAL and its shared-memory index exist while the store is open.
        await new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 }).chat.completions.create({ model: 'echo/test', messages: [{ role: 'user', content: 'hi' }] });
        for (const path of [file, `${file}-wal`, `${file}-shm`]) assert.equal(octal(await mode(path)), '0600', path);
        assert.equal(octal(await mode(data)), '0700');
        assert.equal(octal(await mode(join(folder, 'fresh'))), '0700');
      } finally {
        await gw.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  it("an operator's existing file and folder keep their modes", async () => {
    const data = join(folder, 'existing');
    await mkdir(data);
    await chmod(data, 0o750);
    const file = join(data, 'tollgate.db');
    await writeFile(file, '');
    await chmod(file, 0o640);
    const { store } = await openStore(`sqlite:${file}`);
    try {
      await store.db.selectFrom('tollgate_schema').selectAll().execute();
      assert.equal(octal(await mode(file)), '0640');
      assert.equal(octal(await mode(`${file}-wal`)), '0640', 'SQLite gives the WAL the database file\'s mode');
      assert.equal(octal(await mode(data)), '0750');
    } finally {
      await store.close();
    }
  });

  it('an existing folder keeps its mode; the new file in it is 0600', async () => {
    const data = join(folder, 'shared-folder');
    await mkdir(data);
    await chmod(data, 0o755);
    const file = join(data, 'tollgate.db');
    const { store } = await openStore(`sqlite:${file}`);
    await store.close();
    assert.equal(octal(await mode(file)), '0600');
    assert.equal(octal(await mode(data)), '0755');
  });
});
