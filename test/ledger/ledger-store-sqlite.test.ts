import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerStoreConformance, sqliteMemory } from './ledger-store-conformance.ts';

ledgerStoreConformance('sqlite memory', sqliteMemory);
ledgerStoreConformance('sqlite file', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-ledger-store-'));
  return { url: `sqlite:${join(directory, 'ledger.db')}`, drop: async () => rmSync(directory, { recursive: true, force: true }) };
});
