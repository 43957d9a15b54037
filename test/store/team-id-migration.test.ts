import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { teamIdMigrationConformance } from './team-id-migration.ts';
import { createTemporaryDatabase } from './postgres-database.ts';

teamIdMigrationConformance('sqlite file', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-team-id-'));
  return { url: `sqlite:${join(directory, 'gateway.db')}`, drop: async () => rmSync(directory, { recursive: true, force: true }) };
});

// Probe once: the suite runs against its own database, or is skipped loudly (postgres-database.ts).
const probe = await createTemporaryDatabase();
if (probe) {
  await probe.drop();
  teamIdMigrationConformance('postgresql', createTemporaryDatabase);
} else {
  describe('migration 5, the team id in the usage ledger: postgresql', () => {
    it('SKIPPED: PostgreSQL is not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)', { skip: 'PostgreSQL not reachable' }, () => {});
  });
}
