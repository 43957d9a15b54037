import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore, parseStorage } from '../../src/store/open-store.ts';
import { storeConformance } from './store-conformance.ts';

storeConformance('sqlite (file)', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'tollgate-store-'));
  return { url: `sqlite:${join(folder, 'nested', 'tollgate.db')}`, drop: () => rm(folder, { recursive: true, force: true }) };
});

storeConformance('sqlite (memory)', async () => ({ url: 'sqlite::memory:', drop: async () => {} }));

describe('sqlite storage line', () => {
  it('creates the directory and uses WAL', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-store-'));
    try {
      const { store } = await openStore(`sqlite:${join(folder, 'a', 'b', 'tollgate.db')}`);
      const [row] = await store.db.selectFrom('tollgate_schema').selectAll().execute();
      assert.equal(row.version, 1);
      await store.close();
      await stat(join(folder, 'a', 'b', 'tollgate.db'));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('parses the storage line and rejects anything else clearly', () => {
    assert.deepEqual(parseStorage('sqlite:./data/tollgate.db'), { kind: 'sqlite', target: './data/tollgate.db' });
    assert.deepEqual(parseStorage('sqlite::memory:'), { kind: 'sqlite', target: ':memory:' });
    assert.deepEqual(parseStorage('postgres://u@h/db'), { kind: 'postgres', target: 'postgres://u@h/db' });
    assert.throws(() => parseStorage('mysql://x'), /expected sqlite:PATH or postgres:\/\//);
  });
});
