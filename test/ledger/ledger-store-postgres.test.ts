import { describe, it } from 'node:test';
import { createTemporaryDatabase } from '../store/postgres-database.ts';
import { ledgerStoreConformance } from './ledger-store-conformance.ts';

// Probe once: the suite runs against its own database, or is skipped loudly (test/store/postgres-database.ts).
const probe = await createTemporaryDatabase();
if (probe) {
  await probe.drop();
  ledgerStoreConformance('postgresql', createTemporaryDatabase);
} else {
  describe('usage ledger store: postgresql', () => {
    it('SKIPPED: PostgreSQL is not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)', { skip: 'PostgreSQL not reachable' }, () => {});
  });
}
