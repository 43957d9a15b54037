import { createTemporaryDatabase } from './postgres-database.ts';
import { storeConformance } from './store-conformance.ts';
import { describe, it } from 'node:test';

// Probe once: the suite runs against its own database, or is skipped loudly (see postgres-database.ts).
const probe = await createTemporaryDatabase();
if (probe) {
  await probe.drop();
  storeConformance('postgresql', createTemporaryDatabase);
} else {
  describe('store conformance: postgresql', () => {
    it('SKIPPED: PostgreSQL is not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)', { skip: 'PostgreSQL not reachable' }, () => {});
  });
}
